import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainException, DomainExceptionFilter } from '@tsunagu/common';
import { pickLang, sendReply, WebReply } from '@tsunagu/web';
import { portalReply } from './portal.layout';
import { errorPage } from './portal.views';
import { clearedAuthCookie } from './portal-sign-in.service';

/** After a failed form post, back is the page that holds the form (the path without its action). */
function formPage(actionPath: string): string {
  const page = actionPath.replace(/\/[^/]+$/, '');
  if (page.startsWith('/portal/links/')) return '/portal/links';
  return page.startsWith('/account/links/') ? '/account' : page;
}

/**
 * Errors on portal pages become pages, not JSON: a resident who is not signed in goes to sign-in
 * and comes back; every other error is explained in the page's language with a way back. Status
 * codes and logging are those of the API filter (one mapping of reasons to statuses).
 */
@Catch()
export class PortalPageFilter implements ExceptionFilter {
  private readonly api = new DomainExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof DomainException && exception.code === 'not_signed_in') return sendReply(res, WebReply.seeOther(this.signIn(req)));
    const { status, body } = this.api.toResponse(exception);
    const get = req.method === 'GET';
    const back = get ? '/account' : formPage(req.path);
    sendReply(res, portalReply(errorPage({ lang: pickLang(req), path: get ? req.path : back, error: body.error, back, backHome: get }), status));
  }

  /** Where a signed-out visitor goes: sign-in, then back to the page (after a post: the account page). */
  protected signIn(req: Request): string {
    const next = req.method === 'GET' ? req.originalUrl : '/account';
    return `/account/login?next=${encodeURIComponent(next)}`;
  }
}

/** The account pages' errors: as the portal's, but sign-in always lands on the account page. */
@Catch()
export class AccountPageFilter extends PortalPageFilter {
  protected override signIn(): string {
    return '/account/login';
  }
}

/**
 * A failed sign-in callback still uses up the one-time sign-in cookie (PKCE verifier and state),
 * then explains itself on a page (status and logging as the API filter's) whose one way on is
 * to sign in again.
 */
@Catch()
export class SignInCallbackFilter implements ExceptionFilter {
  private readonly api = new DomainExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.api.toResponse(exception);
    if (res.headersSent) return;
    const page = errorPage({ lang: pickLang(req), path: req.path, error: body.error, back: '/account/login', backHome: false, retry: true });
    sendReply(res, portalReply(page, status).cookie(clearedAuthCookie));
  }
}
