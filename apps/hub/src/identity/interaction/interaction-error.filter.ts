import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errors } from 'oidc-provider';
import { AppLogger } from '@tsunagu/logger';
import { html, page, pickLang } from '@tsunagu/web';

const text = {
  title: { ja: 'ログイン画面の有効期限が切れました', en: 'This sign-in page has expired' },
  lead: { ja: 'お手数ですが、ご利用のサービスの画面から、もう一度「Tottori ID でログイン」を押してください。', en: 'Please go back to the service and choose "Sign in with Tottori ID" again.' },
  errorTitle: { ja: 'エラーが発生しました', en: 'Something went wrong' },
  errorLead: { ja: '時間をおいて、もう一度お試しください。', en: 'Please try again later.' },
};

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
    const lang = pickLang(req);
    const expired = exception instanceof errors.SessionNotFound || exception instanceof errors.InvalidRequest;
    if (!expired) this.logger.error('Sign-in screen failed', exception);
    if (res.headersSent) return;
    const title = expired ? text.title[lang] : text.errorTitle[lang];
    const lead = expired ? text.lead[lang] : text.errorLead[lang];
    res.status(expired ? 400 : 500).type('html').send(page({ lang, title, body: html`<h1>${title}</h1><div class="alert" role="alert"><p>${lead}</p></div>` }).value);
  }
}
