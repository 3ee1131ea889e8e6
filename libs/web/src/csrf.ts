import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/** The hidden form field a page posts the token in (the demo services name theirs `_csrf`). */
export const CSRF_FIELD = 'csrf';

/** The header a script sends the token in (the portal's and the admin's contracts name the same). */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for a request method that must carry the CSRF token (anything but GET, HEAD and OPTIONS). */
export function csrfRequired(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * A CSRF token bound to one session: HMAC-SHA256 of `binding` (the session's ID, with a purpose
 * prefix where one key serves several kinds of token) under `key`, a secret the server keeps and
 * shares between replicas. Nothing is stored: the same session always gets the same token, and
 * another session's token, or one made without the key, does not match.
 */
export function deriveCsrfToken(key: string | Buffer, binding: string): string {
  return createHmac('sha256', key).update(binding).digest('base64url');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * True when `submitted` is the `expected` token. The comparison runs in constant time over the
 * SHA-256 of both, so it tells neither where the strings differ nor how long the expected one is.
 * A missing or empty token, and anything not a string (a repeated field parsed as an array), never matches.
 */
export function csrfTokenMatches(expected: string | undefined, submitted: unknown): boolean {
  if (!expected || typeof submitted !== 'string' || !submitted) return false;
  return timingSafeEqual(digest(expected), digest(submitted));
}

/**
 * The token a request carries: the {@link CSRF_HEADER} header (scripts, JSON API), else the form
 * field `field` of a parsed body (pages). Unchecked: compare it with {@link csrfTokenMatches}.
 */
export function submittedCsrfToken(req: Pick<Request, 'header' | 'body'>, field = CSRF_FIELD): unknown {
  const body: unknown = req.body;
  return req.header(CSRF_HEADER) ?? (body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined);
}
