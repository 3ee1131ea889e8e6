import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errors } from 'oidc-provider';
import { DomainException, statusFor } from '@tsunagu/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { pickLang, sendReply, WebReply } from '@tsunagu/web';
import { interactionErrorPage, interactionRefusedPage } from './interaction.views';

/**
 * Sign-in screens are pages, not an API: an expired or unknown interaction (a stale tab, a
 * bookmarked URL, a forged POST without the interaction cookie) gets a page that says what to do.
 */
@Catch()
export class InteractionErrorFilter implements ExceptionFilter {
  private readonly logger = new AppLogger(InteractionErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof DomainException) {
      // A refusal of InteractionGuard (a form without its interaction's token): said in words, nothing done.
      this.logger.warn(LogKind.Access, 'Sign-in form refused', { code: exception.code, method: req.method, path: req.path });
      if (!res.headersSent) sendReply(res, WebReply.page(interactionRefusedPage(pickLang(req), exception), statusFor(exception.reason)));
      return;
    }
    const expired = exception instanceof errors.SessionNotFound || exception instanceof errors.InvalidRequest;
    if (!expired) this.logger.error('Sign-in screen failed', exception);
    if (res.headersSent) return;
    sendReply(res, WebReply.page(interactionErrorPage(pickLang(req), expired), expired ? 400 : 500));
  }
}
