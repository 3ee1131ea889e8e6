import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { ERASURE_CALLBACK_PATH, REQUEST_ORIGIN_ERROR_MESSAGES } from '@tsunagu/contracts';
import { csrfRequired, csrfTokenMatches, isCrossSiteRequest, submittedCsrfToken } from '@tsunagu/web';
import { DemoException } from '../demo.exception';
import { BACKCHANNEL_LOGOUT_PATH } from '../hub/logout-token';
import { sessionState } from './session-state';

/** The demos' hidden form field; scripts send the `x-csrf-token` header. */
const DEMO_CSRF_FIELD = '_csrf';

/**
 * Refuses every state-changing request the browser says was sent from another site than the
 * demo's public origin (`Origin`, `Sec-Fetch-Site`: libs/web isCrossSiteRequest, the hub's rule),
 * and every one that does not carry the session's CSRF token — except the back-channel logout
 * endpoint, which a browser never calls and whose logout token is verified instead, and the
 * connector's erasure callback, which InternalApiGuard authenticates.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  private readonly logger = new AppLogger(CsrfGuard.name);

  /** @param publicOrigin the demo's public origin, asked per request (known once the server listens). */
  constructor(private readonly publicOrigin: () => string) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (!csrfRequired(req.method)) return true;
    // The hub's server-to-server POST: no browser, no session; the signed logout token is its proof.
    if (req.method === 'POST' && req.path === BACKCHANNEL_LOGOUT_PATH) return true;
    // The connector's erasure callback: no browser, no session; InternalApiGuard (the service token, or loopback) is its proof.
    if (req.method === 'POST' && req.path === ERASURE_CALLBACK_PATH) return true;
    if (isCrossSiteRequest(req, this.publicOrigin())) {
      this.logger.warn(LogKind.Access, 'Request refused: sent from another site', { method: req.method, path: req.path, origin: req.header('origin'), fetchSite: req.header('sec-fetch-site') });
      throw new DemoException('cross_site_request', REQUEST_ORIGIN_ERROR_MESSAGES.cross_site_request);
    }
    if (csrfTokenMatches(sessionState(req).csrfToken, submittedCsrfToken(req, DEMO_CSRF_FIELD))) return true;
    this.logger.warn(LogKind.Access, 'Request refused: missing or wrong CSRF token', { method: req.method, path: req.path });
    throw new DemoException('csrf_invalid', {
      ja: 'この操作の有効期限が切れたか、正しくない画面から送信されました。画面を開き直してからもう一度お試しください。',
      en: 'This form has expired or was not sent from this site. Please reopen the page and try again.',
    });
  }
}
