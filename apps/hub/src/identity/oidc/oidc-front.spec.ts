import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import request from 'supertest';
import { inputProblemOf } from '@tsunagu/common';
import { ServiceMetrics } from '@tsunagu/metrics';
import { securityHeaders } from '../../platform/http/security-headers';
import { isUnder, oidcFront, recordStaticHeaders } from './oidc-front';
import { expressClientAddress } from './oidc-public-origin';

const PUBLIC = 'https://id.tottori.example';

/** What the provider behind the front was handed. */
interface Seen {
  url?: string;
  originalUrl?: string;
  host?: string;
  proto?: string;
  forwardedFor?: string;
  forwardedHost?: string;
  body?: unknown;
  problem?: unknown;
}

function frontApp(trustProxy = false, provider?: (req: IncomingMessage, res: ServerResponse) => unknown) {
  const seen: Seen[] = [];
  const metrics = new ServiceMetrics('hub-front-spec', 'test');
  const front = oidcFront({
    mountPath: '/oidc', publicUrl: PUBLIC, trustProxy, logTrustedProxies: undefined, metrics,
    securityHeaders: securityHeaders(PUBLIC),
    provider: provider ?? ((req, res) => {
      const r = req as IncomingMessage & { originalUrl?: string; body?: unknown };
      seen.push({
        url: r.url, originalUrl: r.originalUrl, host: r.headers.host, proto: String(r.headers['x-forwarded-proto']),
        forwardedFor: String(r.headers['x-forwarded-for']), forwardedHost: r.headers['x-forwarded-host'] as string | undefined,
        body: Buffer.isBuffer(r.body) ? r.body.toString('utf8') : r.body, problem: inputProblemOf(req),
      });
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    }),
  });
  const app = express();
  app.set('trust proxy', trustProxy);
  app.use((req, res, next) => (isUnder('/oidc', req.originalUrl) ? front(req, res) : next()));
  app.use((_req, res) => res.status(404).send('express'));
  return { app, seen, metrics };
}

describe('the /oidc front', () => {
  it('hands the provider the path below the mount, the pinned origin and the raw body', async () => {
    const { app, seen } = frontApp();
    await request(app).post('/oidc/token?x=1').set('host', 'evil.example').set('x-forwarded-host', 'evil.example')
      .type('form').send('grant_type=refresh_token').expect(200);
    expect(seen).toEqual([expect.objectContaining({
      url: '/token?x=1', originalUrl: '/oidc/token?x=1', host: 'id.tottori.example', proto: 'https', forwardedHost: undefined,
      body: 'grant_type=refresh_token', problem: undefined,
    })]);
    await request(app).get('/oidc').expect(200);
    await request(app).get('/OIDC/.well-known/openid-configuration').expect(200);
    expect(seen.slice(1).map((s) => s.url)).toEqual(['/', '/.well-known/openid-configuration']);
  });

  it('leaves every other path to Express', async () => {
    const { app, seen } = frontApp();
    for (const path of ['/oidcx', '/portal', '/oid']) await request(app).get(path).expect(404, 'express');
    expect(seen).toEqual([]);
  });

  it('sets exactly the security headers helmet sets, no-store and a correlation id', async () => {
    const plain = express();
    plain.use(securityHeaders(PUBLIC));
    plain.get('/', (_req, res) => res.send('ok'));
    const expected = (await request(plain).get('/')).headers;
    const { app } = frontApp();
    const res = await request(app).get('/oidc/jwks').set('x-correlation-id', 'abcdefgh-1234');
    for (const name of ['content-security-policy', 'strict-transport-security', 'x-frame-options', 'x-content-type-options',
      'referrer-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'origin-agent-cluster', 'x-dns-prefetch-control',
      'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection']) {
      expect([name, res.headers[name]]).toEqual([name, expected[name]]);
    }
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-correlation-id']).toBe('abcdefgh-1234');
  });

  it('marks broken input for the provider to answer instead of answering itself', async () => {
    const { app, seen } = frontApp();
    await request(app).post('/oidc/token').type('form').send('client_id=a%00b').expect(200);
    await request(app).get('/oidc/auth?state=%FF').expect(200);
    expect(seen.map((s) => s.problem)).toEqual([
      { field: 'body.client_id', problem: expect.any(String) },
      { field: 'query.state', problem: 'not_well_formed' },
    ]);
  });

  it('counts the answer under the endpoint\'s route label', async () => {
    const { app, metrics } = frontApp();
    await request(app).post('/oidc/token').type('form').send('a=b').expect(200);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/route="\/oidc\/token",status="200"/);
  });

  it('answers 500 in OAuth form when the provider fails before answering', async () => {
    const { app } = frontApp(false, () => Promise.reject(new Error('boom')));
    const res = await request(app).get('/oidc/token').expect(500);
    expect(res.body).toEqual({ error: 'server_error', error_description: expect.any(String) });
  });
});

describe('expressClientAddress', () => {
  it.each([
    [false, undefined], [false, '203.0.113.9'], [true, undefined], [true, '203.0.113.9'], [true, '203.0.113.9, 10.0.0.1'],
    [true, ' , 198.51.100.2 ,10.0.0.1'], [true, ''], [true, ' , '],
  ])('matches Express req.ip (trust proxy %s, X-Forwarded-For %j)', async (trust, xff) => {
    const app = express();
    app.set('trust proxy', trust);
    app.get('/', (req, res) => res.json({ express: req.ip, ours: expressClientAddress(req, trust) }));
    const call = request(app).get('/');
    if (xff !== undefined) call.set('x-forwarded-for', xff);
    const { body } = await call.expect(200);
    expect(body.ours).toBe(body.express);
  });
});

describe('recordStaticHeaders', () => {
  it('refuses a middleware that does not hand on at once', () => {
    expect(() => recordStaticHeaders((_req, _res, next) => setTimeout(next, 1))).toThrow(/cannot be recorded/);
  });
});
