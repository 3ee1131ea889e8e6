import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import * as oidc from 'openid-client';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { WebCookie } from '@tsunagu/web';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { OIDC_PATH } from '../identity/oidc/oidc-provider.factory';
import { PORTAL_CALLBACK_PATH, PORTAL_CLIENT_ID, PORTAL_SIGNED_OUT_PATH } from '../identity/session/portal-client';
import { PortalException } from './portal.exception';

/** The one-time cookie that carries the PKCE verifier, the state and `next` through sign-in. */
export const AUTH_COOKIE = 'portal_auth';
export const AUTH_COOKIE_PATH = '/account';
const AUTH_COOKIE_MS = 600_000;

/** The used-up sign-in cookie: every callback clears it, whatever its outcome. */
export const clearedAuthCookie: WebCookie = { name: AUTH_COOKIE, value: '', path: AUTH_COOKIE_PATH, maxAgeMs: 0 };

/** Only the hub's own portal pages may be a destination after sign-in (no open redirect). */
function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/(portal|account)(\/[A-Za-z0-9._~\-/]*)?(\?[A-Za-z0-9._~\-=&%]*)?$/.test(next) && !next.includes('//') ? next : undefined;
}

/**
 * The portal signs residents in as a first-party OIDC client of the hub (authorization code with
 * PKCE), so its session is the hub's single sign-on session.
 */
@Injectable()
export class PortalSignInService {
  private readonly logger = new AppLogger(PortalSignInService.name);
  private discovered?: Promise<oidc.Configuration>;

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  /** Where to send the browser to sign in, and the cookie that must come back to the callback. */
  async start(next?: string): Promise<{ location: string; cookie: WebCookie }> {
    const config = await this.client();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${this.config.PUBLIC_URL}${PORTAL_CALLBACK_PATH}`,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    return {
      location: url.href,
      cookie: {
        name: AUTH_COOKIE, value: JSON.stringify({ verifier, state, next: safeNext(next) }), path: AUTH_COOKIE_PATH,
        maxAgeMs: AUTH_COOKIE_MS, httpOnly: true, sameSite: 'lax', secure: this.config.PUBLIC_URL.startsWith('https'),
      },
    };
  }

  /**
   * Redeems the code of the callback `req` (checked against the sign-in cookie). Answers where the
   * resident goes next, or undefined when the cookie is missing (sign-in must start again). A
   * refused callback (cancelled, an error from the hub, a bad, used or expired code, a wrong state)
   * throws `sign_in_cancelled` or `sign_in_failed`, which the callback page explains.
   */
  async finish(req: Request): Promise<string | undefined> {
    let saved: { verifier?: string; state?: string; next?: string } = {};
    try {
      saved = JSON.parse(String(req.cookies?.[AUTH_COOKIE] ?? '{}'));
    } catch {
      saved = {};
    }
    const current = new URL(req.originalUrl, this.config.PUBLIC_URL);
    const error = current.searchParams.get('error');
    if (!saved.verifier || !saved.state) {
      // No sign-in in progress here: an error from the hub is still explained, anything else starts again.
      if (error) throw this.refusal(error);
      return undefined;
    }
    const config = await this.client();
    try {
      await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: saved.verifier, expectedState: saved.state });
    } catch (cause) {
      if (cause instanceof oidc.AuthorizationResponseError) throw this.refusal(cause.error);
      if (cause instanceof oidc.ResponseBodyError) throw this.refusal(cause.error);
      // openid-client's own checks of the response (state, issuer, missing code): the callback is refused.
      if (cause instanceof oidc.ClientError) throw this.refusal(cause.code ?? 'invalid_response');
      throw cause;
    }
    return safeNext(saved.next) ?? '/account';
  }

  /** The typed error of a refused callback (`access_denied` is the resident cancelling). */
  private refusal(error: string): PortalException {
    this.logger.log(LogKind.Authentication, 'Portal sign-in callback refused', { error });
    const code = String(error).slice(0, 64).replace(/[^A-Za-z0-9_.-]/g, '?');
    return new PortalException(error === 'access_denied' ? 'sign_in_cancelled' : 'sign_in_failed', [{ field: 'error', problem: code }]);
  }

  /** The hub's end-session address, which comes back to the front page. */
  logoutUrl(): string {
    const url = new URL(`${this.config.PUBLIC_URL}${OIDC_PATH}/session/end`);
    url.searchParams.set('client_id', PORTAL_CLIENT_ID);
    url.searchParams.set('post_logout_redirect_uri', `${this.config.PUBLIC_URL}${PORTAL_SIGNED_OUT_PATH}`);
    return url.href;
  }

  private client(): Promise<oidc.Configuration> {
    this.discovered ??= oidc.discovery(new URL(`${this.config.PUBLIC_URL}${OIDC_PATH}`), PORTAL_CLIENT_ID, undefined, oidc.None(), {
      execute: this.config.PUBLIC_URL.startsWith('http://') ? [oidc.allowInsecureRequests] : [],
    }).catch((error) => {
      this.discovered = undefined;
      throw error;
    });
    return this.discovered;
  }
}
