import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainExceptionFilter, exceptionFor } from '@tsunagu/common';
import { REQUEST_ORIGIN_ERROR_MESSAGES, RequestOriginErrorCodes } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { html, isCrossSiteRequest, originOf, page, pickLang, sendReply, WebReply, wantsJson } from '@tsunagu/web';
import { requestOriginText as t } from './request-origin.messages';

/** The refusal of a cross-site request (code and words in libs/contracts request-origin.ts). */
export const RequestOriginException = exceptionFor('RequestOriginException', RequestOriginErrorCodes, REQUEST_ORIGIN_ERROR_MESSAGES);

/**
 * Paths whose callers are not the hub's own pages, so a browser request from another site is
 * legitimate there, or the caller is a machine with a bearer credential and no cookie to abuse:
 * - `/oidc`: oidc-provider (a service may POST an authorization request from its own site, a
 *   browser app calls the token endpoint with CORS; end-session keeps oidc-provider's own xsrf check);
 * - `/connect/v1`: the connectors (signed client assertions);
 * - `/api/v1/links`: the services' account-link API (bearer token);
 * - `/api/v1/identity/jpki/app`: card apps on another device (one-time transfer token, no cookie).
 */
export const CROSS_SITE_ALLOWED_PATHS = ['/oidc', '/connect/v1', '/api/v1/links', '/api/v1/identity/jpki/app'] as const;

function crossSiteAllowed(path: string): boolean {
  // Express routes case-insensitively: /OIDC/token reaches oidc-provider too.
  const p = path.toLowerCase();
  return CROSS_SITE_ALLOWED_PATHS.some((prefix) => p === prefix || p.startsWith(`${prefix}/`));
}

/**
 * One gate in front of every state-changing request of the hub's browser surfaces (sign-in
 * interaction, portal, back office, their JSON calls): a request the browser says was sent from
 * another site than `publicUrl`'s origin (libs/web {@link isCrossSiteRequest}) is answered 403
 * `cross_site_request`, a page or the JSON error body, before any body is parsed or any guard or
 * handler runs. Requests without `Origin` and `Sec-Fetch-Site` go on, to the CSRF token of their form.
 */
export function requestOriginMiddleware(publicUrl: string): RequestHandler {
  const ownOrigin = originOf(publicUrl);
  const logger = new AppLogger('RequestOrigin');
  const toResponse = (error: unknown) => new DomainExceptionFilter().toResponse(error);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (crossSiteAllowed(req.path) || !isCrossSiteRequest(req, ownOrigin)) {
      next();
      return;
    }
    logger.warn(LogKind.Access, 'Request refused: sent from another site', {
      method: req.method, path: req.path, origin: req.header('origin'), fetchSite: req.header('sec-fetch-site'),
    });
    const error = new RequestOriginException('cross_site_request');
    if (wantsJson(req)) {
      const { status, body } = toResponse(error);
      sendReply(res, WebReply.json(body, status));
      return;
    }
    const lang = pickLang(req);
    sendReply(res, WebReply.page(page({
      lang, title: t.title[lang],
      body: html`<h1>${t.title[lang]}</h1><div class="alert" role="alert"><p>${error.bilingual[lang]}</p></div><p><a href="/">${t.home[lang]}</a></p>`,
    }), 403));
  };
}
