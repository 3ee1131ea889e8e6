import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { BrowserAgent } from '@tsunagu/testing';
import { authorize, codeFlow, discover } from './support/oidc-flow';
import { type AppProcess, startHub } from './support/processes';

/**
 * Sender-constrained tokens (DPoP, RFC 9449) at the hub's own resources: a token bound to a key
 * is worth nothing without that key. The links API used to accept a bound token as a plain
 * Bearer token (the security review's finding 2); userinfo refused it.
 */
describe('DPoP-bound access tokens at the hub (e2e)', () => {
  let hub: AppProcess;
  let cashless: oidc.Configuration;
  const callback = 'http://127.0.0.1:39101/auth/callback';
  let keys: CryptoKeyPair;
  let bound: string;
  let linksMe: string;

  async function proof(key: CryptoKeyPair, claims: { htm?: string; htu?: string; ath?: string; iat?: number; jti?: string }): Promise<string> {
    return new SignJWT({
      htm: claims.htm ?? 'GET', htu: claims.htu ?? linksMe, iat: claims.iat ?? Math.floor(Date.now() / 1000), jti: claims.jti ?? randomUUID(),
      ath: claims.ath ?? createHash('sha256').update(bound).digest('base64url'),
    }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: await exportJWK(key.publicKey) }).sign(key.privateKey);
  }

  async function me(authorization: string, dpop?: string): Promise<{ status: number; code?: string }> {
    const res = await fetch(linksMe, { headers: { authorization, ...(dpop ? { dpop } : {}) } });
    const body = await res.json() as { error?: { code?: string } };
    return { status: res.status, code: body.error?.code };
  }

  beforeAll(async () => {
    hub = await startHub('dpop', { KEY_ENCRYPTION_KEY: 'd'.repeat(43), DEMO_CASHLESS_URL: 'http://127.0.0.1:39101' });
    linksMe = `${hub.url}/api/v1/links/me`;
    cashless = await discover(`${hub.url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
    keys = await oidc.randomDPoPKeyPair('ES256');
    const flow = await authorize(new BrowserAgent(), cashless, callback, { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' });
    const tokens = await oidc.authorizationCodeGrant(cashless, new URL(flow.callbackUrl), { pkceCodeVerifier: flow.verifier, expectedState: flow.state }, undefined, { DPoP: oidc.getDPoPHandle(cashless, keys) });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    bound = tokens.access_token;
  }, 90_000);
  afterAll(() => hub?.stop());

  it('refuses a bound token sent as Bearer, like userinfo does', async () => {
    expect(await me(`Bearer ${bound}`)).toEqual({ status: 401, code: 'invalid_dpop_proof' });
    const userinfo = await fetch(`${hub.url}/oidc/me`, { headers: { authorization: `Bearer ${bound}` } });
    expect(userinfo.status).toBe(401);
  });

  it('accepts it with a proof of its key for this request, once', async () => {
    const good = await proof(keys, {});
    // No link yet: the token was accepted, the answer is about the link.
    expect(await me(`DPoP ${bound}`, good)).toEqual({ status: 404, code: 'link_not_found' });
    expect(await me(`DPoP ${bound}`, good)).toEqual({ status: 401, code: 'invalid_dpop_proof' });
  });

  it('accepts a proof once even when it is sent many times at the same moment', async () => {
    const once = await proof(keys, {});
    const answers = await Promise.all(Array.from({ length: 8 }, () => me(`DPoP ${bound}`, once)));
    expect(answers.filter((a) => a.status === 404)).toHaveLength(1);
    expect(answers.filter((a) => a.code === 'invalid_dpop_proof')).toHaveLength(7);
  });

  it.each([
    ['no proof', async () => undefined],
    ['a proof for another method', async () => proof(keys, { htm: 'POST' })],
    ['a proof for another URL', async () => proof(keys, { htu: `${hub.url}/api/v1/links` })],
    ['a proof from ten minutes ago', async () => proof(keys, { iat: Math.floor(Date.now() / 1000) - 600 })],
    ['a proof for another token', async () => proof(keys, { ath: createHash('sha256').update('another').digest('base64url') })],
    ['a proof signed by another key', async () => proof(await oidc.randomDPoPKeyPair('ES256'), {})],
    ['a proof that is not a JWT', async () => 'not.a.jwt'],
  ])('refuses %s', async (_name, make) => {
    expect(await me(`DPoP ${bound}`, await make())).toEqual({ status: 401, code: 'invalid_dpop_proof' });
  });

  it('keeps plain Bearer tokens working, and refuses them under the DPoP scheme', async () => {
    const plain = (await codeFlow(new BrowserAgent(), cashless, callback, { loginId: 'misasa.hanako', password: 'tsunagu-demo-2026' })).tokens.access_token;
    expect(await me(`Bearer ${plain}`)).toEqual({ status: 404, code: 'link_not_found' });
    expect(await me(`DPoP ${plain}`, await proof(keys, {}))).toEqual({ status: 401, code: 'invalid_token' });
  });
});
