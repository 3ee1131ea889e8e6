import { type AttemptLimiter, consumeAll, TooManyAttemptsException } from '@tsunagu/common';
import { THROTTLE_ERROR_MESSAGES_WITH_VALUE } from '@tsunagu/contracts';
import type { Middleware } from 'koa';
import { parse } from 'node:querystring';

/** oidc-provider's own limit on a request body; a bigger token request is refused by it anyway. */
const BODY_LIMIT = 56 * 1024;

/** The throttles of the token endpoint: per client and per address. */
export interface TokenThrottles {
  tokenClient: AttemptLimiter;
  tokenAddress: AttemptLimiter;
}

/** The body as text, or undefined when it is larger than {@link BODY_LIMIT}. */
async function readBody(req: NodeJS.ReadableStream): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    received += buffer.length;
    if (received > BODY_LIMIT) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The payload's `iss` of a client assertion (RFC 7523: the client ID), unverified: only a throttle key. */
function assertionIssuer(assertion: unknown): string | undefined {
  if (typeof assertion !== 'string') return undefined;
  try {
    const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload?.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}

/** The client a token request names: HTTP Basic (client_secret_basic), else the form (client_id, or a client assertion's issuer). */
function clientIdOf(authorization: string | undefined, form: Record<string, unknown> | undefined): string | undefined {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      try {
        return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      } catch {
        return decoded.slice(0, colon);
      }
    }
  }
  const id = form?.client_id;
  return typeof id === 'string' && id ? id : assertionIssuer(form?.client_assertion);
}

/**
 * A Koa middleware on the provider (`provider.use`) that counts every request to the token
 * endpoint per address and per client before oidc-provider looks at it, and answers a throttled
 * one 429 with `Retry-After` and the OAuth error `too_many_attempts` (RFC 6749 §5.2 shape).
 * To find the client of a form-posted request it reads the body itself and hands it on as
 * `req.body`, which oidc-provider accepts in place of the stream.
 */
export function tokenThrottle(throttles: TokenThrottles): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== '/token') return next();
    let form: Record<string, unknown> | undefined;
    if (!ctx.get('authorization') && ctx.is('application/x-www-form-urlencoded')) {
      // The hub's edge check (libs/common delegatedInputCheck, in oidc-front.ts) has usually read the body already
      // and left it as req.body (a Buffer); read the stream only when nobody has.
      const already = (ctx.req as unknown as { body?: unknown }).body;
      const raw = Buffer.isBuffer(already) ? already.toString('utf8') : typeof already === 'string' ? already : already === undefined ? await readBody(ctx.req) : undefined;
      if (raw === undefined) {
        ctx.status = 413;
        ctx.body = { error: 'invalid_request', error_description: 'request entity too large' };
        return;
      }
      (ctx.req as unknown as { body: string }).body = raw;
      form = parse(raw);
    }
    const clientId = clientIdOf(ctx.get('authorization') || undefined, form);
    try {
      await consumeAll([[throttles.tokenAddress, ctx.ip || 'unknown'], [throttles.tokenClient, clientId ?? '(none)']]);
    } catch (error) {
      if (!(error instanceof TooManyAttemptsException)) throw error;
      ctx.status = 429;
      ctx.set('retry-after', String(error.retryAfterSeconds));
      ctx.set('cache-control', 'no-store');
      ctx.body = { error: 'too_many_attempts', error_description: THROTTLE_ERROR_MESSAGES_WITH_VALUE.too_many_attempts(error.retryAfterSeconds).en };
      return;
    }
    await next();
  };
}
