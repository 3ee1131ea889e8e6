import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { generateTestCa } from '@tsunagu/jpki';
import { createTestDatabase, testRedis } from '@tsunagu/testing';
import { FakeHub } from '../apps/connector/src/testing/fake-hub';
import { FakeService } from '../apps/connector/src/testing/fake-service';
import { shippedConfig, TestClock, testConnectorApp, testKeys } from '../apps/connector/src/testing/test-connector';
import { ADMIN_COOKIE, AdminSessionService } from '../apps/hub/src/backoffice/auth/admin-session.service';
import { type RunningHub, startHub } from '../apps/hub/src/hub.app';
import { field, sql } from './admin-support';
import { bodyCases, type FuzzCase, fuzzSeed, leaksStack, pathValues, queryCases, seededRandom } from './support/fuzz';
import { PortalResident } from './support/portal-resident';
import { type AppProcess, freePort, startApp } from './support/processes';
import { fill, hasParameter, type Route, routesOf } from './support/routes';

/**
 * The bounded fuzz tier (docs/security.md): every route of the hub and of a connector, walked
 * with malformed bodies, repeated query parameters and extreme path values, signed in as a
 * resident and as admins so that handlers, not only guards, see the inputs. Any 5xx, stack trace
 * or hung request fails. The seed is printed; FUZZ_SEED=<seed> replays a walk.
 */
const SEED = fuzzSeed(process.env.FUZZ_SEED);
const TIMEOUT_MS = 10_000;
const LIMIT = 64 * 1024;
const PARALLEL = 4;

interface Walk {
  requests: number;
  failures: string[];
  /** Milliseconds per route, for the figures. */
  slowest: [string, number][];
  /** How many answers of each status (a walk that only met 401s would test the guards alone). */
  statuses?: Record<number, number>;
}

const slowest = (walk: Walk) => walk.slowest.sort((a, b) => b[1] - a[1]).slice(0, 3).map(([r, ms]) => `${r} ${ms} ms`).join(', ');

/** Sends one case; a 5xx, a stack trace in the body or a hang is a failure. */
async function probe(walk: Walk, base: string, route: Route, c: FuzzCase, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const path = fill(route.path, c.pathValue ?? 'x');
  const url = `${base}${path}${c.query ? `?${c.query}` : ''}`;
  const withBody = route.method !== 'GET' && c.body !== undefined;
  walk.requests += 1;
  const what = `${route.method} ${route.path} with ${c.label}`;
  try {
    const res = await fetch(url, {
      method: route.method, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { accept: 'application/json', ...headers, ...(withBody && c.type ? { 'content-type': c.type } : {}) },
      body: withBody ? (typeof c.body === 'string' ? c.body : new Uint8Array(c.body!)) : undefined,
    });
    const text = await res.text();
    walk.statuses = { ...walk.statuses, [res.status]: (walk.statuses?.[res.status] ?? 0) + 1 };
    // A readiness probe says 503 while not ready (the connector before its first revocation pull): its protocol, not a failure.
    const readiness = res.status === 503 && /\/health\/ready$/.test(route.path);
    if (res.status >= 500 && !readiness) walk.failures.push(`${what}: ${res.status} ${text.slice(0, 200)}`);
    else if (leaksStack(text)) walk.failures.push(`${what}: a stack trace in the answer (${res.status}) ${text.slice(0, 200)}`);
    return { status: res.status, text };
  } catch (error) {
    walk.failures.push(`${what}: ${(error as Error).name === 'TimeoutError' ? `no answer in ${TIMEOUT_MS / 1000} s` : String(error)}`);
    return { status: 0, text: '' };
  }
}

/** The field names a route's validation reports for an empty JSON object (details[].field). */
function fieldsOf(text: string): string[] {
  try {
    const details = (JSON.parse(text) as { error?: { details?: { field?: string }[] } }).error?.details ?? [];
    return [...new Set(details.map((d) => (d.field ?? '').replace(/^body\./, '').split(/[.[]/)[0]).filter((f) => /^[A-Za-z_][\w-]*$/.test(f)))];
  } catch {
    return [];
  }
}

/** Walks `routes` with every case; `headersFor` gives a route's credentials and `formExtra` what a form needs besides (the CSRF field). */
async function walkRoutes(walk: Walk, base: string, routes: Route[], random: () => number, headersFor: (route: Route) => Record<string, string>, formExtra: (route: Route) => string, between: (route: Route) => Promise<void>) {
  for (const route of routes) {
    const headers = headersFor(route);
    const cases: FuzzCase[] = [...queryCases(random)];
    if (hasParameter(route.path)) cases.push(...pathValues().map((pathValue) => ({ label: `${pathValue.slice(0, 20)}… (${pathValue.length} chars) as the path value`, pathValue, body: route.method === 'GET' ? undefined : '{}', type: 'application/json' })));
    if (route.method !== 'GET') {
      const first = await probe(walk, base, route, { label: 'an empty object', body: '{}', type: 'application/json' }, headers);
      const extra = formExtra(route);
      // A route that answers an empty object 404 (a catch-all, an unknown ID) gets every fourth body case: the rest would meet the same 404.
      const bodies = bodyCases(random, fieldsOf(first.text), LIMIT).filter((_, i) => first.status !== 404 || i % 4 === 0);
      cases.push(...bodies.map((c) => (extra && typeof c.body === 'string' && c.type?.startsWith('application/x-www-form-urlencoded') ? { ...c, body: `${c.body}&${extra}` } : c)));
    }
    const began = Date.now();
    // A few at once: the cases are drawn before any is sent, so a seed replays the same requests.
    for (let i = 0; i < cases.length; i += PARALLEL) await Promise.all(cases.slice(i, i + PARALLEL).map((c) => probe(walk, base, route, c, headers)));
    walk.slowest.push([`${route.method} ${route.path}`, Date.now() - began]);
    await between(route);
  }
}

/**
 * A signed-in admin. The session is started by the hub's own session service: in Jest's module
 * system the hub cannot load otplib (ES modules only, apps/hub/src/backoffice/auth/totp.ts), so
 * the walk itself goes to a hub process (which can: admin creation draws TOTP secrets), on the same
 * database, and the in-process hub serves the route metadata and this session.
 */
class SessionAdmin {
  cookie = '';
  csrf = '';
  constructor(private readonly sessions: RunningHub, private readonly url: string, private readonly databaseUrl: string, readonly loginId: string) {}

  async signIn(): Promise<this> {
    const [{ id }] = await sql<{ id: string }>(this.databaseUrl, 'SELECT id FROM admin_accounts WHERE login_id = $1', [this.loginId]);
    const started = await this.sessions.app.get(AdminSessionService).start({ cookies: {} } as never, id, '127.0.0.1');
    this.cookie = `${ADMIN_COOKIE}=${started.value}`;
    const page = await (await this.get('/admin/account')).text();
    this.csrf = field(page, 'csrf') ?? '';
    expect(this.csrf).not.toBe('');
    return this;
  }

  get(path: string): Promise<Response> {
    return fetch(`${this.url}${path}`, { headers: { cookie: this.cookie }, redirect: 'manual' });
  }
}

describe('bounded fuzz tier: malformed input on every route of the hub and a connector (e2e, in process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-fuzz-'));
  let inProcess: RunningHub;
  let hub: AppProcess;
  let resident: PortalResident;
  let tenantAdmin: SessionAdmin;
  let systemAdmin: SessionAdmin;
  let databaseUrl = '';
  const hubWalk: Walk = { requests: 0, failures: [], slowest: [] };

  beforeAll(async () => {
    const ca = await generateTestCa();
    const file = (name: string, data: Uint8Array | string) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    };
    const redis = testRedis();
    databaseUrl = await createTestDatabase('fuzz');
    const env = (port: number) => ({
      LOG_LEVEL: 'error', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: databaseUrl, REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, KEY_ENCRYPTION_KEY: 'f'.repeat(43),
      // The walk signs in again when a route ended its session: the address limit must not stop it.
      THROTTLE_ADDRESS_SIGN_INS_PER_MINUTE: '100000',
      // JPKI configured (a test CA), so its handlers see the inputs rather than answer "not configured".
      JPKI_TRUST_ANCHORS: file('root.pem', ca.root.pem), JPKI_INTERMEDIATES: file('signing-ca.der', ca.signingCa.der),
      JPKI_CRL_SOURCES: `${file('root.crl', ca.crls.root.der)},${file('signing.crl', ca.crls.current.der)}`,
    });
    // The in-process hub only lists routes and opens admin sessions (kept in PostgreSQL): no Redis, so
    // that bull's blocking clients, cut off when it closes, cannot leave an unhandled rejection here.
    const { REDIS_URL: _redisUrl, REDIS_PREFIX: _redisPrefix, ...withoutRedis } = env(await freePort());
    inProcess = await startHub({ NODE_ENV: 'test', ...withoutRedis });
    const port = await freePort();
    hub = await startApp('apps/hub/src/main.js', env(port), port);
    resident = await new PortalResident(hub.url).signIn('tottori.taro');
    tenantAdmin = await new SessionAdmin(inProcess, hub.url, databaseUrl, 'admin-misasa').signIn();
    systemAdmin = await new SessionAdmin(inProcess, hub.url, databaseUrl, 'system-admin').signIn();
  }, 90_000);
  afterAll(async () => {
    await hub?.stop();
    await inProcess?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every malformed request of every hub route without a 5xx, a stack trace or a hang, and still answers /health', async () => {
    const started = Date.now();
    const random = seededRandom(SEED);
    const expressRoutes = routesOf(inProcess.app.getHttpAdapter().getInstance());
    expect(expressRoutes.length).toBeGreaterThan(80);
    // oidc-provider (Koa, mounted at /oidc) is not in Express's router: its endpoints come from discovery.
    const discovery = await (await fetch(`${hub.url}/oidc/.well-known/openid-configuration`)).json() as Record<string, unknown>;
    const endpoints = Object.entries(discovery).filter(([key, value]) => key.endsWith('_endpoint') && typeof value === 'string').map(([, value]) => new URL(value as string).pathname);
    expect(endpoints).toContain('/oidc/token');
    const oidcRoutes = [...new Set(endpoints)].flatMap((path) => ['GET', 'POST'].map((method) => ({ method, path })));
    const routes = [...expressRoutes, ...oidcRoutes];
    const adminOf = (route: Route) => (route.path.startsWith('/system') ? systemAdmin : route.path.startsWith('/admin') ? tenantAdmin : undefined);
    const cookies = (route: Route) => [resident.agent.cookieHeader(new URL(hub.url)), adminOf(route)?.cookie ?? ''].filter(Boolean).join('; ');
    // Signing out is a handler without input: walked without the sessions the others need.
    const signsOut = (route: Route) => /log-?out|sign-?out/.test(route.path);
    const headersFor = (route: Route): Record<string, string> => (signsOut(route) ? {} : { cookie: cookies(route), 'x-csrf-token': adminOf(route)?.csrf ?? resident.csrf });
    const formExtra = (route: Route) => (adminOf(route) && !signsOut(route) ? `csrf=${encodeURIComponent(adminOf(route)!.csrf)}` : '');
    const resignIns: string[] = [];
    const between = async (route: Route) => {
      if ((await resident.api('GET', '/api/v1/portal/me')).status !== 200) {
        resignIns.push(`resident after ${route.method} ${route.path}`);
        resident = await new PortalResident(hub.url).signIn('tottori.taro');
      }
      const admin = adminOf(route);
      if (admin && (await admin.get('/admin/account')).status !== 200) {
        resignIns.push(`${admin.loginId} after ${route.method} ${route.path}`);
        await admin.signIn();
      }
    };
    await walkRoutes(hubWalk, hub.url, routes, random, headersFor, formExtra, between);
    const health = await fetch(`${hub.url}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`fuzz (hub): ${expressRoutes.length} routes and ${oidcRoutes.length} of the provider, ${hubWalk.requests} requests in ${seconds} s, seed ${SEED} (replay: FUZZ_SEED=${SEED}), ${hubWalk.failures.length} failures; signed in again: ${resignIns.join(', ') || 'never'}; slowest: ${slowest(hubWalk)}; answers: ${JSON.stringify(hubWalk.statuses)}\n`);
    expect(health.status).toBe(200);
    expect(hubWalk.failures).toEqual([]);
  }, 240_000);

  describe('a connector', () => {
    const fakeHub = new FakeHub();
    const service = new FakeService();
    let app: NestExpressApplication;
    let base = '';

    beforeAll(async () => {
      await fakeHub.start();
      await service.start();
      fakeHub.onGrant = async () => ({ status: 403, body: { error: { code: 'consent_required', message: 'x', messageEn: 'x', correlationId: 'c' } } });
      const { keys, known } = await testKeys('conn-cashless', 'http://127.0.0.1:9');
      fakeHub.connectors.set(known.id, known);
      app = await testConnectorApp({
        config: shippedConfig('cashless', { id: 'conn-cashless', hubUrl: fakeHub.url, serviceUrl: service.url, publicUrl: 'http://connector.test' }),
        identity: { id: 'conn-cashless', name: 'cashless' }, keys, secrets: { sdkToken: 's'.repeat(16), serviceToken: 'service-secret' }, clock: new TestClock(),
      });
      await app.listen(0, '127.0.0.1');
      base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await app?.close();
      await fakeHub.stop();
      await service.stop();
    });

    it('answers every malformed request of every connector route without a 5xx, a stack trace or a hang', async () => {
      const began = Date.now();
      const walk: Walk = { requests: 0, failures: [], slowest: [] };
      const routes = routesOf(app.getHttpAdapter().getInstance());
      expect(routes.length).toBeGreaterThan(3);
      await walkRoutes(walk, base, routes, seededRandom(SEED + 1), () => ({ authorization: `Bearer ${'s'.repeat(16)}` }), () => '', async () => undefined);
      const health = await fetch(`${base}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      process.stdout.write(`fuzz (connector): ${routes.length} routes, ${walk.requests} requests in ${((Date.now() - began) / 1000).toFixed(1)} s, seed ${SEED}, ${walk.failures.length} failures\n`);
      expect(health.status).toBeLessThan(500);
      expect(walk.failures).toEqual([]);
    }, 120_000);
  });
});
