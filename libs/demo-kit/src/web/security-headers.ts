import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { cookiesSecure, LANG_COOKIE } from '@tsunagu/web';
import type { DemoRuntime } from '../demo-settings';

/**
 * Security headers for server-rendered pages. Forms may post to this site only, and the logout
 * form's redirect goes to the hub, so the hub's origin is allowed as a form target too.
 * `upgrade-insecure-requests` would break the plain-http localhost set-up, so it is on for https only.
 */
export function securityHeaders(runtime: DemoRuntime): (req: Request, res: Response, next: NextFunction) => void {
  const secure = runtime.secureCookies;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'", new URL(runtime.settings.hubUrl).origin],
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: secure ? { maxAge: 31_536_000 } : false,
    xFrameOptions: { action: 'deny' },
  });
}

/** `?lang=` also sets the language cookie, so that the choice survives navigation and forms. */
export function rememberLanguage(req: Request, res: Response, next: NextFunction): void {
  const lang = req.query?.lang;
  if ((lang === 'ja' || lang === 'en') && (req.cookies as Record<string, string> | undefined)?.[LANG_COOKIE] !== lang) {
    res.cookie(LANG_COOKIE, lang, { path: '/', sameSite: 'lax', httpOnly: true, secure: cookiesSecure(req), maxAge: 365 * 24 * 3600_000 });
  }
  next();
}
