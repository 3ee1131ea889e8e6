import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { cookiesSecure, LANG_COOKIE } from '@tsunagu/web';

/**
 * Remembers a language chosen with `?lang=` in the `lang` cookie, so the portal stays in that
 * language across links and form posts (pickLang reads the query, then the cookie).
 */
@Injectable()
export class LangCookieMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const lang = req.query?.lang;
    if ((lang === 'ja' || lang === 'en') && req.cookies?.[LANG_COOKIE] !== lang) {
      res.cookie(LANG_COOKIE, lang, { path: '/', sameSite: 'lax', httpOnly: true, secure: cookiesSecure(req), maxAge: 365 * 86_400_000 });
    }
    next();
  }
}
