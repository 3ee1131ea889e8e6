import type { NextFunction, Request, Response } from 'express';

/**
 * Express app setting: cookies are `Secure` (the app's public address is https). Set it with
 * `app.set(SECURE_COOKIES, true)`; a request that itself came over TLS gets Secure cookies anyway.
 */
export const SECURE_COOKIES = 'tsunagu secure cookies';

/** True when cookies set on this request's answer must be `Secure` (see {@link SECURE_COOKIES}). */
export function cookiesSecure(req: Request | undefined): boolean {
  return !!req && (req.secure || req.app?.get(SECURE_COOKIES) === true);
}

/**
 * Every answer is `Cache-Control: no-store` unless its route says otherwise (public assets and
 * key sets set their own `max-age`): pages and JSON carry personal data, CSRF tokens or what a
 * resident typed, and a default that forgets nothing is safer than one header per route.
 */
export function noStoreByDefault(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('cache-control', 'no-store');
  next();
}
