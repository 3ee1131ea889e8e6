import type { Request, RequestHandler, Response } from 'express';
import { ClientIpResolver, inNetworks, type Network, parseCidrList } from '@tsunagu/common';
import type { ServiceMetrics } from './metrics-registry';

export interface MetricsAccess {
  /** Monitoring networks (CIDRs) allowed to scrape. */
  allowed: string;
  /** Proxies whose X-Forwarded-For is believed (hop by hop, as for the admin allow-lists). */
  trustedProxies?: string;
}

/** Config check of the two lists; each problem prefixed with its variable's name. */
export function metricsAccessProblems(variable: string, access: MetricsAccess, proxiesVariable: string): string[] {
  return [
    ...parseCidrList(access.allowed).problems.map((p) => `${variable}: ${p}`),
    ...parseCidrList(access.trustedProxies ?? '').problems.map((p) => `${proxiesVariable}: ${p}`),
  ];
}

/**
 * `GET /metrics` in Prometheus's text format, only to the monitoring networks: the figures name
 * routes, connectors and queue depths, which are nobody else's business. Others get 403 with a
 * typed error, as every refusal of the platform.
 */
export function metricsEndpoint(metrics: ServiceMetrics, access: MetricsAccess): RequestHandler {
  const networks: Network[] = parseCidrList(access.allowed).networks;
  const resolver = new ClientIpResolver(parseCidrList(access.trustedProxies ?? '').networks);
  return (req: Request, res: Response) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.status(405).set('allow', 'GET, HEAD').json({ error: 'method_not_allowed', message: 'GET のみ使えます。 / Only GET is allowed.' });
      return;
    }
    const client = resolver.resolve(req.socket.remoteAddress, req.headers['x-forwarded-for']);
    if (!inNetworks(client, networks)) {
      res.status(403).json({ error: 'metrics_forbidden', message: '監視用ネットワーク以外からはメトリクスを取得できません。 / Metrics are served only to the monitoring networks.' });
      return;
    }
    metrics.render().then(
      ({ contentType, body }) => res.status(200).type(contentType).set('cache-control', 'no-store').send(body),
      () => res.status(503).json({ error: 'metrics_unavailable', message: 'メトリクスを集計できませんでした。 / Metrics could not be collected.' }),
    );
  };
}
