import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainException, DomainExceptionFilter } from '@tsunagu/common';
import { html, pickLang } from '@tsunagu/web';
import { portalPage } from './portal.layout';

const t = {
  title: { ja: '操作を完了できませんでした', en: 'This could not be done' },
  back: { ja: '前の画面に戻る', en: 'Go back' },
  home: { ja: 'ホームへ', en: 'Home' },
  code: { ja: 'エラーコード', en: 'Error code' },
};

/**
 * Errors on portal pages become pages, not JSON: a resident who is not signed in goes to sign-in
 * and comes back; every other error is explained in the page's language with a way back. Status
 * codes and logging are those of the API filter (one mapping of reasons to statuses).
 */
function formPage(actionPath: string): string {
  const page = actionPath.replace(/\/[^/]+$/, '');
  return page.startsWith('/portal/links/') ? '/portal/links' : page;
}

@Catch()
export class PortalPageFilter implements ExceptionFilter {
  private readonly api = new DomainExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof DomainException && exception.code === 'not_signed_in') {
      const next = req.method === 'GET' ? req.originalUrl : '/account';
      res.redirect(303, `/account/login?next=${encodeURIComponent(next)}`);
      return;
    }
    const { status, body } = this.api.toResponse(exception);
    const lang = pickLang(req);
    const message = lang === 'ja' ? body.error.message : body.error.messageEn;
    // After a failed form post, back is the page that holds the form (the path without its action).
    const back = req.method === 'GET' ? '/account' : formPage(req.path);
    res.status(status).type('html').setHeader('cache-control', 'no-store').send(portalPage({
      lang, title: t.title[lang], path: req.method === 'GET' ? req.path : back, section: undefined,
      body: html`<h1>${t.title[lang]}</h1>
<div class="alert" role="alert"><p>${message}</p>
${body.error.details?.length ? html`<ul>${body.error.details.map((d) => html`<li>${d.problem}</li>`)}</ul>` : ''}</div>
<p class="hint">${t.code[lang]}: <span class="mono">${body.error.code}</span>${body.error.correlationId ? html` / ${body.error.correlationId}` : ''}</p>
<div class="actions"><a class="button" href="${back}">${req.method === 'GET' ? t.home[lang] : t.back[lang]}</a></div>`,
    }).value);
  }
}
