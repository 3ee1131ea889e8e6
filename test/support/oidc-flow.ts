import * as oidc from 'openid-client';
import { BrowserAgent, formAction, hiddenFields } from '@tsunagu/testing';

export interface Credentials { loginId: string; password: string }

export async function discover(issuer: string, clientId: string, secret?: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), clientId, secret, secret ? oidc.ClientSecretBasic(secret) : oidc.None(), { execute: [oidc.allowInsecureRequests] });
}

export interface FlowResult {
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
  /** Which screens the resident saw: 'login', 'consent'. */
  screens: string[];
  callbackUrl: string;
  verifier: string;
  state: string;
}

/**
 * Walks the authorization code flow as a browser would (sign-in and consent screens included)
 * and redeems the code with openid-client, which checks the ID token against the hub's JWKS.
 */
export async function authorize(agent: BrowserAgent, config: oidc.Configuration, redirectUri: string, creds?: Credentials, extra: Record<string, string> = {}): Promise<Omit<FlowResult, 'tokens'>> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid profile', state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
  });
  const screens: string[] = [];
  let step = await agent.follow(url.href, {}, redirectUri);
  while (!step.stoppedAt) {
    const page = await step.res.text();
    const login = formAction(page, '/login', step.url);
    const confirm = formAction(page, '/confirm', step.url);
    if (login && creds) {
      screens.push('login');
      step = await agent.follow(login, { form: { ...hiddenFields(page, '/login'), loginId: creds.loginId, password: creds.password } }, redirectUri);
    } else if (confirm) {
      screens.push('consent');
      step = await agent.follow(confirm, { form: hiddenFields(page, '/confirm') }, redirectUri);
    } else {
      throw new Error(`Unexpected page ${step.res.status} at ${step.url}: ${page.slice(0, 400)}`);
    }
  }
  return { screens, callbackUrl: step.stoppedAt, verifier, state };
}

export async function codeFlow(agent: BrowserAgent, config: oidc.Configuration, redirectUri: string, creds?: Credentials): Promise<FlowResult> {
  const result = await authorize(agent, config, redirectUri, creds);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(result.callbackUrl), { pkceCodeVerifier: result.verifier, expectedState: result.state });
  return { ...result, tokens };
}
