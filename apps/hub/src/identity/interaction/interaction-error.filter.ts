import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errors } from 'oidc-provider';
import { AppLogger } from '@tsunagu/logger';
import { pickLang, sendReply, WebReply } from '@tsunagu/web';
import { interactionErrorPage } from './interaction.views';

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
    const expired = exception instanceof errors.SessionNotFound || exception instanceof errors.InvalidRequest;
    if (!expired) this.logger.error('Sign-in screen failed', exception);
    if (res.headersSent) return;
    sendReply(res, WebReply.page(interactionErrorPage(pickLang(req), expired), expired ? 400 : 500));
  }
}
