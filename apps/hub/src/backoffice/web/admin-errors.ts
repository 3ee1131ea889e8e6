import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainException, DomainExceptionFilter, throttleHeaders } from '@tsunagu/common';
import { html, pickLang, wantsJson } from '@tsunagu/web';
import type { AdminRequest } from '../../platform/access/admin-principal';
import { adminPage, supportDetails } from './admin.layout';
import { ConfirmationRequired } from './confirm';
import { confirmText, errorText as t, supportText } from './web.messages';

const api = new DomainExceptionFilter();

/** Only admin paths may be a destination after sign-in (no open redirect). */
export function safeAdminPath(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/(admin|system)(\/[A-Za-z0-9._~\-/]*)?(\?[A-Za-z0-9._~\-=&%]*)?$/.test(next) && !next.includes('//') && !next.startsWith('/admin/login') ? next : undefined;
}

/**
 * How every error of the admin screens is answered — from the access middleware as from a
 * handler. A browser that is not signed in goes to the sign-in page (and comes back); other errors
 * are a page in the admin's language, with the code and correlation ID under 「詳細」, or the JSON error body
 * when the client asked for JSON. Statuses and logging are those of the API filter.
 */
export function sendAdminError(req: AdminRequest, res: Response, exception: unknown): void {
  if (res.headersSent) return;
  const code = exception instanceof DomainException ? exception.code : undefined;
  if ((code === 'admin_sign_in_required' || code === 'admin_session_expired') && req.method === 'GET' && !wantsJson(req)) {
    const next = safeAdminPath(req.originalUrl);
    const query = new URLSearchParams({ ...(next && next !== '/admin' ? { next } : {}), ...(code === 'admin_session_expired' ? { expired: '1' } : {}) }).toString();
    res.redirect(303, `/admin/login${query ? `?${query}` : ''}`);
    return;
  }
  const { status, body } = api.toResponse(exception);
  res.setHeader('cache-control', 'no-store');
  for (const [name, value] of Object.entries(throttleHeaders(exception))) res.setHeader(name, value);
  if (wantsJson(req)) {
    res.status(status).json(body);
    return;
  }
  const lang = pickLang(req);
  const message = lang === 'ja' ? body.error.message : body.error.messageEn;
  const principal = req.admin;
  const area = req.path.toLowerCase().startsWith('/system') ? 'system' : principal ? 'tenant' : 'public';
  const back = req.method === 'GET' ? (principal?.kind === 'system' && !principal.tenant ? '/system' : '/admin') : req.path.replace(/\/[^/]+$/, '') || '/admin';
  const forbidden = status === 403;
  // An irreversible action posted without its confirmation: its confirmation page is a GET of the same path.
  const confirm = exception instanceof ConfirmationRequired && req.method === 'POST' ? req.path : undefined;
  res.status(status).type('html').send(adminPage({
    lang, title: forbidden ? t.forbiddenTitle[lang] : t.title[lang], path: req.method === 'GET' ? req.path : back,
    principal: forbidden && code !== 'admin_csrf_invalid' ? undefined : principal, area: forbidden ? 'public' : area,
    body: html`<h1>${forbidden ? t.forbiddenTitle[lang] : t.title[lang]}</h1>
<div class="alert" role="alert" data-error-code="${body.error.code}"><p>${message}</p></div>
${supportDetails(lang, html`<p>${t.code[lang]}: <span class="mono">${body.error.code}</span></p>
${body.error.correlationId ? html`<p>${supportText.correlationId[lang]}: <span class="mono">${body.error.correlationId}</span></p>` : ''}
${body.error.details?.length ? html`<ul>${body.error.details.map((d) => html`<li>${d.field !== '(body)' ? html`<span class="mono">${d.field}</span>: ` : ''}<span lang="en">${d.problem}</span></li>`)}</ul>` : ''}`)}
${forbidden && code !== 'admin_csrf_invalid' ? '' : html`<div class="actions">${confirm ? html`<a class="button" href="${confirm}">${confirmText.open[lang]}</a>` : ''}<a class="button secondary" href="${back}">${req.method === 'GET' ? t.home[lang] : t.back[lang]}</a></div>`}`,
  }).value);
}

/** Nest filter on every admin controller: errors of handlers go through {@link sendAdminError}. */
@Catch()
export class AdminPageFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendAdminError(host.switchToHttp().getRequest<Request>(), host.switchToHttp().getResponse<Response>(), exception);
  }
}
