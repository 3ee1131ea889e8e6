import { freePort } from '@tsunagu/common';
import { BrowserAgent, createTestDatabase, formAction } from '@tsunagu/testing';
import { type RunningHub, startHub } from '../apps/hub/src/hub.app';
import { PortalResident } from './support/portal-resident';
import { fill, hasParameter, routesOf } from './support/routes';

const NUL = '%00';
const SURROGATE = '%ED%A0%80';
const DASHES = '-'.repeat(36);

describe('bad bytes at the edge of the hub (e2e, in process)', () => {
  let hub: RunningHub;
  let resident: PortalResident;
  let requests = 0;

  async function send(method: string, path: string, init: { body?: string; type?: string; accept?: string; auth?: boolean } = {}) {
    requests += 1;
    const url = `${hub.url}${path}`;
    const res = await fetch(url, {
      method, redirect: 'manual',
      headers: {
        accept: init.accept ?? 'application/json',
        ...(init.auth === false ? {} : { cookie: resident.agent.cookieHeader(new URL(url)), 'x-csrf-token': resident.csrf }),
        ...(init.body === undefined ? {} : { 'content-type': init.type ?? 'application/json' }),
      },
      body: init.body,
    });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, headers: res.headers };
  }

  beforeAll(async () => {
    const port = await freePort();
    // In process without Redis: bull's blocking clients, cut off when a hub closes, can leave an
    // unhandled "Connection is closed" in the test's own process.
    hub = await startHub({
      NODE_ENV: 'test', LOG_LEVEL: 'error', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: await createTestDatabase('edge-input'), KEY_ENCRYPTION_KEY: 'e'.repeat(43),
    });
    resident = await new PortalResident(hub.url).signIn('tottori.taro');
  });
  afterAll(async () => {
    await hub?.close();
    // The figures of the walk, for the record of the review.
    process.stdout.write(`edge-input: ${requests} requests in all\n`);
  });

  it('refuses NUL and lone surrogates in the path, query and body of every route with a typed 400, and 36 dashes as an ID never make a 5xx', async () => {
    const routes = routesOf(hub.app.getHttpAdapter().getInstance());
    expect(routes.length).toBeGreaterThan(80);
    const wrong: string[] = [];
    let walked = 0;
    let serverErrors = 0;
    const refused = (res: { status: number; contentType: string }, what: string) => {
      walked += 1;
      if (res.status >= 500) serverErrors += 1;
      if (res.status !== 400 || !/json|html/.test(res.contentType)) wrong.push(`${what}: ${res.status}`);
    };
    for (const { method, path } of routes) {
      const hasBody = method !== 'GET' && method !== 'HEAD';
      const plain = fill(path, 'x');
      if (hasParameter(path)) {
        for (const bad of [NUL, SURROGATE]) refused(await send(method, fill(path, bad)), `${method} ${path} with ${bad} in the path`);
        const dashes = await send(method, fill(path, DASHES), hasBody ? { body: '{}' } : {});
        walked += 1;
        if (dashes.status >= 500) {
          serverErrors += 1;
          wrong.push(`${method} ${path} with 36 dashes as the ID: ${dashes.status}`);
        }
      }
      refused(await send(method, `${plain}?q=${NUL}`), `${method} ${path} with NUL in the query`);
      if (hasBody) {
        refused(await send(method, plain, { body: JSON.stringify({ value: '\u0000' }) }), `${method} ${path} with NUL in a JSON body`);
        refused(await send(method, plain, { body: '{"value":"\\ud800"}' }), `${method} ${path} with a lone surrogate in a JSON body`);
        refused(await send(method, plain, { body: `value=${NUL}`, type: 'application/x-www-form-urlencoded' }), `${method} ${path} with NUL in a form`);
      }
    }
    process.stdout.write(`edge-input walk: ${routes.length} routes, ${walked} requests, ${serverErrors} answered 5xx, ${wrong.length} not refused\n`);
    expect({ serverErrors, wrong }).toEqual({ serverErrors: 0, wrong: [] });
  });

  it('answers the token endpoint with an RFC 6749 invalid_request, never a server error', async () => {
    for (const clientId of [NUL, SURROGATE, `demo-cashless${NUL}`]) {
      const res = await send('POST', '/oidc/token', { auth: false, type: 'application/x-www-form-urlencoded', body: `grant_type=authorization_code&code=abc&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&client_id=${clientId}&client_secret=x` });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ error: 'invalid_request' });
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const json = await send('POST', '/oidc/token/introspection', { auth: false, body: '{"token":"\\ud800"}' });
    expect(json.status).toBe(400);
  });

  it('answers /oidc/auth with the provider\'s error page', async () => {
    for (const clientId of [NUL, SURROGATE]) {
      const res = await send('GET', `/oidc/auth?client_id=${clientId}&response_type=code&scope=openid&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb`, { auth: false, accept: 'text/html' });
      expect(res.status).toBe(400);
      expect(res.contentType).toContain('html');
      expect(res.text).toContain('invalid_request');
    }
  });

  it('refuses bad text on the sign-in forms (resident interaction, admin) before any lookup', async () => {
    const agent = new BrowserAgent();
    const start = await agent.follow(`${hub.url}/account/login`);
    const login = formAction(await start.res.text(), '/login', start.url)!;
    for (const loginId of ['\u0000', 'taro\u0001']) {
      const res = await agent.follow(login, { form: { loginId, password: 'tsunagu-demo-2026' } });
      expect(res.res.status).toBe(400);
      const admin = await send('POST', '/admin/login', { auth: false, type: 'application/x-www-form-urlencoded', body: new URLSearchParams({ loginId, password: 'x', code: '123456' }).toString() });
      expect(admin.status).toBe(400);
    }
  });
});
