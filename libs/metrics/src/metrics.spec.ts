import express from 'express';
import request from 'supertest';
import { httpMetricsMiddleware, metricsAccessProblems, metricsEndpoint, routeLabel, sample, ServiceMetrics } from './index';

function app(access: { allowed: string; trustedProxies?: string }) {
  const metrics = new ServiceMetrics('test', 'spec');
  const a = express();
  a.use(httpMetricsMiddleware(metrics, { mounted: ['/oidc'] }));
  a.use('/metrics', metricsEndpoint(metrics, access));
  a.get('/portal/consents/:id', (_req, res) => { res.status(200).send('ok'); });
  a.use('/oidc', (_req, res) => { res.status(400).send('bad'); });
  return { a, metrics };
}

describe('metrics', () => {
  it('labels requests by the matched pattern, the mounted endpoint, or "unmatched" — never the raw path', async () => {
    const { a, metrics } = app({ allowed: '127.0.0.1/32,::1/128' });
    await request(a).get('/portal/consents/0b7f1c1e-2a8c-4bd3-9b8e-3f1f0a0c9d11').expect(200);
    await request(a).post('/oidc/token').expect(400);
    await request(a).get('/oidc/auth/7d3a%2F..%2Fsecret').expect(400);
    await request(a).get('/no/such/0b7f1c1e').expect(404);
    const { body } = await metrics.render();
    expect(sample(body, 'tsunagu_http_request_duration_seconds_count', { method: 'GET', route: '/portal/consents/:id', status: '200', service: 'test', instance: 'spec' })).toBe(1);
    expect(body).toMatch(/route="\/oidc\/token",status="400"/);
    expect(body).toMatch(/route="\/oidc\/auth",status="400"/);
    expect(body).toMatch(/route="unmatched",status="404"/);
    expect(body).not.toContain('0b7f1c1e');
    expect(body).not.toContain('route="/metrics"');
  });

  it('serves the monitoring networks only; a trusted proxy\'s X-Forwarded-For decides, any other client\'s does not', async () => {
    const loopback = app({ allowed: '127.0.0.1/32,::1/128' }).a;
    const res = await request(loopback).get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toContain('tsunagu_process_cpu_seconds_total');
    await request(loopback).get('/metrics').set('x-forwarded-for', '203.0.113.9').expect(200);
    await request(loopback).post('/metrics').expect(405);

    const monitoring = app({ allowed: '192.0.2.0/24' }).a;
    const refused = await request(monitoring).get('/metrics').expect(403);
    expect(refused.body).toMatchObject({ error: 'metrics_forbidden' });
    expect(refused.text).not.toContain('tsunagu_');
    await request(monitoring).get('/metrics').set('x-forwarded-for', '192.0.2.7').expect(403);

    const proxied = app({ allowed: '192.0.2.0/24', trustedProxies: '127.0.0.1/32,::1/128' }).a;
    await request(proxied).get('/metrics').set('x-forwarded-for', '192.0.2.7').expect(200);
    await request(proxied).get('/metrics').set('x-forwarded-for', '203.0.113.9').expect(403);
    await request(proxied).get('/metrics').set('x-forwarded-for', '192.0.2.7, 203.0.113.9').expect(403);
  });

  it('reports bad networks in the config by variable', () => {
    expect(metricsAccessProblems('M', { allowed: '10.0.0.1/8, nonsense', trustedProxies: '0.0.0.0/0' }, 'P')).toEqual([
      'M: 10.0.0.1/8: host bits are set (did you mean 10.0.0.0/8?)', 'M: nonsense: not an IPv4 or IPv6 network in CIDR notation', 'P: 0.0.0.0/0: allows every address']);
  });

  it('keeps the pattern when Express matched a route under a router', () => {
    expect(routeLabel({ route: { path: '/:id' }, baseUrl: '/admin/connectors', originalUrl: '/admin/connectors/x' } as never)).toBe('/admin/connectors/:id');
  });
});
