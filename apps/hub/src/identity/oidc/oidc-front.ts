import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { ClientIpResolver, delegatedInputCheck, parseCidrList } from '@tsunagu/common';
import { AppLogger, logAccess, runWithCorrelation, setLogClientIp } from '@tsunagu/logger';
import { mountedRouteLabel, type ServiceMetrics } from '@tsunagu/metrics';
import { expressClientAddress, publicOriginPin } from './oidc-public-origin';

type Header = [name: string, value: number | string | readonly string[]];

/**
 * The headers a middleware sets on every answer whatever the request, recorded once. The hub's
 * security headers (helmet, static directives: no nonce, nothing per request) are set by
 * replaying them instead of running helmet's eleven middlewares on every token request.
 * Refuses a middleware that does anything else (reads the request, answers, or defers).
 */
export function recordStaticHeaders(middleware: RequestHandler): readonly Header[] {
  const headers: Header[] = [];
  let nextCalled = false;
  const response = {
    setHeader: (name: string, value: Header[1]) => headers.push([name, value]),
    removeHeader: () => undefined,
    getHeader: () => undefined,
  };
  middleware({ headers: {}, method: 'GET', url: '/' } as never, response as never, () => (nextCalled = true));
  if (!nextCalled) throw new Error('the security headers middleware did not hand on at once: it cannot be recorded');
  return headers;
}

/** What the OpenID Provider's front needs from the hub's configuration. */
export interface OidcFrontOptions {
  /** Where the provider is mounted (`/oidc`). */
  mountPath: string;
  publicUrl: string;
  /** The hub's boolean `trust proxy` (Express's rule for the address handed to the provider). */
  trustProxy: boolean;
  /** Proxies believed for the address on log lines (libs/common client-ip.ts rule). */
  logTrustedProxies: string | undefined;
  metrics: ServiceMetrics;
  securityHeaders: RequestHandler;
  /** oidc-provider's `provider.callback()`. */
  provider: (req: IncomingMessage, res: ServerResponse) => unknown;
}

/**
 * Every request under the provider's mount path, served ahead of Express and Nest: the token
 * endpoint is the hub's hottest path, and the general chain (eight Express layers, helmet's
 * middlewares, two finish listeners) cost it about a tenth of its time while the provider
 * answers in its own format anyway. The same duties, in the same order: correlation id, client
 * address on log lines, one finish listener for the access line and the metrics, security
 * headers, `no-store`, the edge check of the input (marked for the provider to answer), the
 * pinned public origin, then the provider with Express's mount semantics (`originalUrl` the
 * whole path, `url` below the mount).
 */
export function oidcFront(options: OidcFrontOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const logger = new AppLogger('OidcFront');
  const mount = options.mountPath;
  const headers = recordStaticHeaders(options.securityHeaders);
  const logAddress = new ClientIpResolver(parseCidrList(options.logTrustedProxies ?? '').networks);
  const pin = publicOriginPin(options.publicUrl);
  const checkInput = delegatedInputCheck();
  const mounted = [mount];

  const serve = (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    const url = req.originalUrl ?? req.url ?? '/';
    req.originalUrl = url;
    setLogClientIp(logAddress.resolve(req.socket.remoteAddress, req.headers['x-forwarded-for'])?.toString());
    res.on('finish', () => {
      logAccess(req.method, url, res.statusCode, started);
      options.metrics.httpRequests.observe(
        { method: req.method ?? '', route: mountedRouteLabel(url, mounted), status: String(res.statusCode) },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    for (const [name, value] of headers) res.setHeader(name, value);
    res.setHeader('cache-control', 'no-store'); // personal answers; discovery and JWKS say otherwise themselves
    checkInput(req, res, () => {
      pin(req, expressClientAddress(req, options.trustProxy));
      req.url = url.slice(mount.length);
      if (req.url[0] !== '/') req.url = `/${req.url}`;
      Promise.resolve(options.provider(req, res)).catch((error: unknown) => {
        logger.error('The OpenID Provider failed to answer', error);
        if (!res.headersSent) {
          res.statusCode = 500;
          res.setHeader('content-type', 'application/json; charset=utf-8');
          res.end(JSON.stringify({ error: 'server_error', error_description: 'the request could not be answered' }));
        } else res.destroy();
      });
    });
  };

  return (req, res) => runWithCorrelation(req, res, () => serve(req, res));
}

/** Whether a request path lies under `mountPath` (lower case), ignoring case as Express's router does. */
export function isUnder(mountPath: string, url: string | undefined): boolean {
  if (!url || url.slice(0, mountPath.length).toLowerCase() !== mountPath) return false;
  const after = url.charCodeAt(mountPath.length);
  return Number.isNaN(after) || after === 0x2f /* / */ || after === 0x3f /* ? */;
}
