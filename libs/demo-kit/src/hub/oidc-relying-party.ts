import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import * as oidc from 'openid-client';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { CLOCK, type Clock } from '@tsunagu/common';
import { DemoException } from '../demo.exception';
import { DemoRuntime } from '../demo-settings';

/** What the browser's session remembers between `/auth/login` and `/auth/callback`. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  startedAt: number;
}

/** A resident signed in with the hub, as this service sees them (pairwise subject). */
export interface SignedInResident {
  sub: string;
  /** The hub's session ID for this service (ID token `sid`): what a back-channel logout token names. */
  sid?: string;
  idToken: string;
  /** Needed only until the local account is linked (the link API takes it); dropped afterwards. */
  accessToken?: string;
  name?: string;
  acr?: string;
  amr?: string[];
  signedInAt: number;
}

const SCOPE = 'openid profile';
const PENDING_LOGIN_TTL_MS = 10 * 60_000;
/** Discovery is redone now and then, so that a restarted hub's new metadata is picked up. */
const DISCOVERY_TTL_MS = 10 * 60_000;
const HTTP_TIMEOUT_SECONDS = 10;

/** The hub could not be reached (or answered garbage); the resident can only try again later. */
export function hubUnavailable(): DemoException {
  return new DemoException('hub_unavailable', {
    ja: 'Tottori ID（連携基盤）に接続できません。しばらくしてからもう一度お試しください。',
    en: 'Tottori ID (the hub) cannot be reached. Please try again in a moment.',
  });
}

/**
 * The resident pressed 「許可しない」 at the hub (OIDC `access_denied`, RFC 6749 §4.1.2.1, with this
 * sign-in's own `state`), or did not verify their identity with the card when the level was
 * required (`unmet_authentication_requirements`, OIDC Core §3.1.2.6): a normal outcome, answered
 * with a normal page rather than an error.
 */
export class SignInDeclined extends Error {
  constructor(readonly reason: 'denied' | 'verification_required' = 'denied') {
    super('The resident declined the sign-in at the hub');
    this.name = 'SignInDeclined';
  }
}

function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof Error && error.name === 'TimeoutError');
}

/**
 * This demo as an OpenID Connect relying party of the hub (openid-client v6): authorization code
 * flow with PKCE S256, state and nonce, client_secret_basic. The hub's metadata is discovered
 * lazily and again after a failure, so a demo started before the hub still signs residents in.
 */
@Injectable()
export class OidcRelyingParty {
  private readonly logger = new AppLogger(OidcRelyingParty.name);
  private discovered?: { at: number; config: Promise<oidc.Configuration> };
  private hubKeys?: { jwksUri: string; keys: JWTVerifyGetKey };

  constructor(private readonly runtime: DemoRuntime, @Inject(CLOCK) private readonly clock: Clock) {}

  private configuration(): Promise<oidc.Configuration> {
    const now = this.clock.now().getTime();
    if (!this.discovered || now - this.discovered.at > DISCOVERY_TTL_MS) {
      const { clientId, clientSecret } = this.runtime.settings;
      const issuer = new URL(this.runtime.issuer);
      const config = oidc.discovery(issuer, clientId, clientSecret, oidc.ClientSecretBasic(clientSecret), {
        execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
        timeout: HTTP_TIMEOUT_SECONDS,
      });
      const entry = { at: now, config };
      this.discovered = entry;
      config.then(
        () => this.logger.log(LogKind.Communication, 'Discovered the hub OpenID Provider', { issuer: issuer.href }),
        (error: unknown) => {
          if (this.discovered === entry) this.discovered = undefined;
          this.logger.warn(LogKind.Communication, 'Hub discovery failed; will retry on the next sign-in', {
            issuer: issuer.href, error: error instanceof Error ? error.message : String(error),
          });
        },
      );
    }
    return this.discovered.config.catch(() => {
      throw hubUnavailable();
    });
  }

  /** Starts a sign-in: the hub's authorization URL and what to keep in the session to finish it. */
  async beginLogin(lang: 'ja' | 'en'): Promise<{ url: URL; pending: PendingLogin }> {
    const config = await this.configuration();
    const pending: PendingLogin = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      startedAt: this.clock.now().getTime(),
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.runtime.redirectUri,
      scope: SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      ui_locales: lang,
    });
    return { url, pending };
  }

  /**
   * Finishes a sign-in from the callback's query string: checks state, exchanges the code with the
   * PKCE verifier, validates the ID token (issuer, audience, nonce, signature) and reads the profile.
   * Throws {@link SignInDeclined} when the resident declined at the hub (the state checked first).
   */
  async completeLogin(callbackQuery: string, pending: PendingLogin | undefined): Promise<SignedInResident> {
    if (!pending || this.clock.now().getTime() - pending.startedAt > PENDING_LOGIN_TTL_MS) {
      throw new DemoException('login_failed', {
        ja: 'ログインの有効期限が切れたか、別の画面で開始されました。もう一度ログインしてください。',
        en: 'The sign-in expired or was started elsewhere. Please sign in again.',
      });
    }
    const config = await this.configuration();
    const currentUrl = new URL(this.runtime.redirectUri);
    currentUrl.search = callbackQuery;
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw this.signInError(error);
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) {
      throw new DemoException('login_failed', { ja: 'ID トークンを受け取れませんでした。', en: 'No ID token was received.' });
    }
    let name = typeof claims.name === 'string' ? claims.name : undefined;
    try {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      if (typeof info.name === 'string') name = info.name;
    } catch (error) {
      // The profile is a nicety on the screens; the sign-in itself is complete.
      this.logger.warn(LogKind.Communication, 'UserInfo request failed', { error: error instanceof Error ? error.message : String(error) });
    }
    this.logger.log(LogKind.Authentication, 'Resident signed in with the hub', {
      acr: claims.acr, amr: Array.isArray(claims.amr) ? claims.amr : undefined,
    });
    return {
      sub: claims.sub,
      sid: typeof claims.sid === 'string' ? claims.sid : undefined,
      idToken: tokens.id_token,
      accessToken: tokens.access_token,
      name,
      acr: typeof claims.acr === 'string' ? claims.acr : undefined,
      amr: Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === 'string') : undefined,
      signedInAt: this.clock.now().getTime(),
    };
  }

  /**
   * What a back-channel logout token is checked against: the hub's issuer and its signing keys
   * (the JWKS of its discovery document, fetched and cached by jose, refetched for an unknown key).
   */
  async logoutTokenKeys(): Promise<{ issuer: string; keys: JWTVerifyGetKey }> {
    const metadata = (await this.configuration()).serverMetadata();
    if (!metadata.jwks_uri) throw hubUnavailable();
    if (this.hubKeys?.jwksUri !== metadata.jwks_uri) {
      this.hubKeys = { jwksUri: metadata.jwks_uri, keys: createRemoteJWKSet(new URL(metadata.jwks_uri), { timeoutDuration: HTTP_TIMEOUT_SECONDS * 1000 }) };
    }
    return { issuer: metadata.issuer, keys: this.hubKeys.keys };
  }

  /** RP-initiated logout URL at the hub, or undefined when the hub cannot be reached. */
  async endSessionUrl(idToken: string | undefined, lang: 'ja' | 'en'): Promise<string | undefined> {
    try {
      const config = await this.configuration();
      if (!config.serverMetadata().end_session_endpoint) return undefined;
      const params: Record<string, string> = { post_logout_redirect_uri: this.runtime.postLogoutRedirectUri, ui_locales: lang };
      if (idToken) params.id_token_hint = idToken;
      return oidc.buildEndSessionUrl(config, params).href;
    } catch (error) {
      this.logger.warn(LogKind.Communication, 'Hub logout URL unavailable; signing out locally only', {
        error: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    }
  }

  private signInError(error: unknown): Error {
    if (error instanceof oidc.AuthorizationResponseError && error.error === 'access_denied') {
      this.logger.log(LogKind.Authentication, 'Resident declined the sign-in at the hub');
      return new SignInDeclined();
    }
    if (error instanceof oidc.AuthorizationResponseError && error.error === 'unmet_authentication_requirements') {
      this.logger.log(LogKind.Authentication, 'Resident did not verify their identity at the hub');
      return new SignInDeclined('verification_required');
    }
    if (error instanceof oidc.AuthorizationResponseError) {
      this.logger.log(LogKind.Authentication, 'Hub refused the sign-in', { error: error.error });
      return new DemoException('login_cancelled', {
        ja: 'ログインがキャンセルされたか、Tottori ID で認められませんでした。',
        en: 'The sign-in was cancelled or refused by Tottori ID.',
      }, [{ field: 'error', problem: error.error }]);
    }
    if (isNetworkFailure(error)) return hubUnavailable();
    this.logger.warn(LogKind.Authentication, 'Sign-in response rejected', {
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    return new DemoException('login_failed', {
      ja: 'ログインを完了できませんでした。もう一度ログインしてください。',
      en: 'The sign-in could not be completed. Please sign in again.',
    });
  }
}
