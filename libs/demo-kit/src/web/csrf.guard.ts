import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { DemoException } from '../demo.exception';
import { sessionState } from './session-state';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The token a form posted (hidden field `_csrf`) or a script sent (header `x-csrf-token`). */
function submittedToken(req: Request): unknown {
  const body = req.body as Record<string, unknown> | undefined;
  return (body && typeof body === 'object' ? body._csrf : undefined) ?? req.header('x-csrf-token');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** True when `submitted` is this session's CSRF token (compared in constant time). */
export function csrfTokenMatches(expected: string | undefined, submitted: unknown): boolean {
  if (!expected || typeof submitted !== 'string' || !submitted) return false;
  return timingSafeEqual(digest(expected), digest(submitted));
}

/** Refuses every state-changing request that does not carry the session's CSRF token. */
@Injectable()
export class CsrfGuard implements CanActivate {
  private readonly logger = new AppLogger(CsrfGuard.name);

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (SAFE_METHODS.has(req.method)) return true;
    if (csrfTokenMatches(sessionState(req).csrfToken, submittedToken(req))) return true;
    this.logger.warn(LogKind.Access, 'Request refused: missing or wrong CSRF token', { method: req.method, path: req.path });
    throw new DemoException('csrf_invalid', {
      ja: 'この操作の有効期限が切れたか、正しくない画面から送信されました。画面を開き直してからもう一度お試しください。',
      en: 'This form has expired or was not sent from this site. Please reopen the page and try again.',
    });
  }
}
