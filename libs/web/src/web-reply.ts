import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
// The adapter's own module: the package's index also loads multer (file uploads), which nothing here takes.
import { ExpressAdapter } from '@nestjs/platform-express/adapters/express-adapter';
import type { Request, Response } from 'express';
import type { SafeHtml } from './html';
import { cookiesSecure } from './http-defaults';

type ReplyKind = 'html' | 'redirect' | 'json' | 'text';

/**
 * What a page handler answers, instead of writing to `@Res()`: a page, a redirect or a JSON body,
 * with its status and headers. Handlers stay one call (`return WebReply.page(view(await …))`), and
 * the one place that writes replies ({@link sendReply}) sets what every reply needs.
 */
export class WebReply {
  private constructor(
    readonly kind: ReplyKind,
    readonly status: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly cookies: readonly WebCookie[] = [],
  ) {}

  /** An HTML page (status 200 unless given). */
  static page(body: SafeHtml, status = 200): WebReply {
    return new WebReply('html', status, body.value);
  }

  /** 303 See Other: the answer to a form post (the browser then GETs `location`). */
  static seeOther(location: string): WebReply {
    return new WebReply('redirect', 303, location);
  }

  /** A redirect with another status (302 for OAuth-style hops). */
  static redirect(location: string, status: 301 | 302 | 303 | 307 | 308): WebReply {
    return new WebReply('redirect', status, location);
  }

  /** A JSON body (status 200 unless given). */
  static json(body: unknown, status = 200): WebReply {
    return new WebReply('json', status, body);
  }

  /** A body of another media type (e.g. `application/jwt`), status 200 unless given. */
  static text(body: string, contentType: string, status = 200): WebReply {
    return new WebReply('text', status, body, { 'content-type': contentType });
  }

  /** The same reply with one more header. */
  header(name: string, value: string): WebReply {
    return new WebReply(this.kind, this.status, this.body, { ...this.headers, [name.toLowerCase()]: value }, this.cookies);
  }

  /** The same reply, never stored by a browser or proxy (personal data, secrets, CSRF tokens). */
  noStore(): WebReply {
    return this.header('cache-control', 'no-store');
  }

  /** The same reply with a cookie set on it. */
  cookie(cookie: WebCookie): WebReply {
    return new WebReply(this.kind, this.status, this.body, this.headers, [...this.cookies, cookie]);
  }
}

/** A cookie a reply sets (`maxAgeMs: 0` clears it); `secure` defaults to the app's secure-cookies setting (http-defaults.ts). */
export interface WebCookie {
  name: string;
  value: string;
  maxAgeMs?: number;
  path?: string;
  httpOnly?: boolean;
  sameSite?: 'lax' | 'strict';
  secure?: boolean;
}

/** Writes a reply to the response: the adapter for handlers, and exception filters that answer with a page. */
export function sendReply(res: Response, reply: WebReply): void {
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  for (const c of reply.cookies) {
    // A cleared cookie carries the same attributes it was set with (browsers match on them).
    const options = { path: c.path ?? '/', httpOnly: c.httpOnly ?? true, sameSite: c.sameSite ?? 'lax', secure: c.secure ?? cookiesSecure(res.req) } as const;
    if (c.maxAgeMs === 0) res.clearCookie(c.name, options);
    else res.cookie(c.name, c.value, { ...options, maxAge: c.maxAgeMs });
  }
  switch (reply.kind) {
    case 'html':
      res.status(reply.status).type('html').send(reply.body as string);
      return;
    case 'redirect':
      res.redirect(reply.status, reply.body as string);
      return;
    case 'json':
      res.status(reply.status).json(reply.body);
      return;
    case 'text':
      res.status(reply.status).send(reply.body as string);
      return;
  }
}

/**
 * Nest's Express adapter, answering a {@link WebReply} with its own status, type and headers.
 * (Nest's default reply would force the route's status — 201 for every POST — onto a page or a
 * redirect; handlers would then need `@Res()`, which the conventions keep for streams only.)
 */
export class WebReplyExpressAdapter extends ExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    if (body instanceof WebReply) return sendReply(response, body);
    return super.reply(response, body, statusCode);
  }
}

/** True when the client asked for JSON (API use of the admin routes) rather than a page. */
export function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

/** `@WantsJson()`: {@link wantsJson} of the request, as a handler parameter. */
export const WantsJson = createParamDecorator((_: unknown, ctx: ExecutionContext): boolean => wantsJson(ctx.switchToHttp().getRequest<Request>()));
