import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { csrfRequired, csrfTokenMatches, submittedCsrfToken } from '@tsunagu/web';
import { DemoException } from '../demo.exception';
import { sessionState } from './session-state';

/** The demos' hidden form field; scripts send the `x-csrf-token` header. */
const DEMO_CSRF_FIELD = '_csrf';

/** Refuses every state-changing request that does not carry the session's CSRF token. */
@Injectable()
export class CsrfGuard implements CanActivate {
  private readonly logger = new AppLogger(CsrfGuard.name);

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (!csrfRequired(req.method)) return true;
    if (csrfTokenMatches(sessionState(req).csrfToken, submittedCsrfToken(req, DEMO_CSRF_FIELD))) return true;
    this.logger.warn(LogKind.Access, 'Request refused: missing or wrong CSRF token', { method: req.method, path: req.path });
    throw new DemoException('csrf_invalid', {
      ja: 'この操作の有効期限が切れたか、正しくない画面から送信されました。画面を開き直してからもう一度お試しください。',
      en: 'This form has expired or was not sent from this site. Please reopen the page and try again.',
    });
  }
}
