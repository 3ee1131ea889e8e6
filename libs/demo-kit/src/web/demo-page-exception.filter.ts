import { type ArgumentsHost, Catch } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainException, DomainExceptionFilter } from '@tsunagu/common';
import { pickLang } from '@tsunagu/web';
import type { DemoProfile } from '../demo-profile';
import { isInternalApiPath } from '../internal/internal-api.guard';
import { errorView, sendHtml } from './demo-views';

const SIGN_IN_AGAIN = new Set(['login_failed', 'login_cancelled']);

/**
 * The shared DomainExceptionFilter decides status and message; browsers get them as a bilingual
 * page, API clients (and `/health`, the internal API) as the usual JSON error body.
 */
@Catch()
export class DemoPageExceptionFilter extends DomainExceptionFilter {
  constructor(private readonly profile: DemoProfile) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (res.headersSent) return;
    const wantsHtml = req.path !== '/health' && !isInternalApiPath(req.path) && req.accepts(['html', 'json']) === 'html';
    if (!wantsHtml) return super.catch(exception, host);
    const { status, body } = this.toResponse(exception);
    const code = body.error.code;
    sendHtml(res, status, errorView({ lang: pickLang(req), path: '', profile: this.profile }, { ja: body.error.message, en: body.error.messageEn }, {
      status,
      code,
      correlationId: body.error.correlationId,
      signInAgain: exception instanceof DomainException && SIGN_IN_AGAIN.has(code),
    }));
  }
}
