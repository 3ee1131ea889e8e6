import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ServiceMetrics } from './metrics-registry';

/**
 * The route label: the pattern Express matched (`/portal/consents/:id`), under its mount point;
 * a request no route matched is `unmatched` (its raw path would let anyone create series at will
 * and can carry identifiers). Paths served by a mounted app (oidc-provider under /oidc) keep the
 * mount point and their first segment only (`/oidc/token`), which names the endpoint.
 */
export function routeLabel(req: Request, mounted: readonly string[] = []): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}` || '/';
  return mountedRouteLabel(req.originalUrl, mounted);
}

/** The route label of a request served by a mounted app (`/oidc/token`), or `unmatched`. */
export function mountedRouteLabel(url: string, mounted: readonly string[]): string {
  const path = url.split('?')[0];
  for (const mount of mounted) {
    if (path === mount || path.startsWith(`${mount}/`)) {
      const segment = path.slice(mount.length + 1).split('/')[0];
      return /^[a-z][a-z0-9_.-]{0,40}$/.test(segment) ? `${mount}/${segment}` : mount;
    }
  }
  return 'unmatched';
}

/** Records every request's duration by method, route and status when the answer is sent. */
export function httpMetricsMiddleware(metrics: ServiceMetrics, options: { mounted?: readonly string[]; skip?: readonly string[] } = {}): RequestHandler {
  const skip = new Set(options.skip ?? ['/metrics']);
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const path = req.originalUrl.split('?')[0];
      if (skip.has(path)) return;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequests.observe({ method: req.method, route: routeLabel(req, options.mounted), status: String(res.statusCode) }, seconds);
    });
    next();
  };
}
