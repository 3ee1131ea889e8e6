import { freePort } from '@tsunagu/common';
import { BrowserAgent, createTestDatabase, formAction, hiddenFields } from '@tsunagu/testing';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../apps/hub/src/backoffice/auth/admin-demo-seed';
import { BOARD_PATH } from '../apps/hub/src/backoffice/system/queues/system-queues.service';
import { type RunningHub, startHub } from '../apps/hub/src/hub.app';
import { AdminClient } from './admin-support';
import { type AppProcess, startHub as startHubProcess } from './support/processes';
import { codeFlow, discover } from './support/oidc-flow';
import { PortalResident } from './support/portal-resident';

/** Routes that may be cached: public key sets, the OpenID discovery document and assets, which set their own `max-age`. */
const PUBLIC_CACHE = /^\/(connect\/v1\/jwks|api\/v1\/receipts\/jwks|\.well-known\/|oidc\/\.well-known\/|oidc\/jwks$|admin\/assets\/)/;

/** Personal answers (portal API, identity proofing, links, sign-in errors) are never stored by a browser or proxy. */
describe('personal answers are no-store (e2e, in process)', () => {
  let hub: RunningHub;
  let resident: PortalResident;

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const url = `${hub.url}${path}`;
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: resident.agent.cookieHeader(new URL(url)), ...headers } });
    await res.arrayBuffer();
    return res;
  };

  beforeAll(async () => {
    const port = await freePort();
    // In process (the route list comes from its router) and without Redis: bull's blocking clients,
    // cut off when a hub closes a few seconds after it started, can leave an unhandled
    // "Connection is closed" in the test's own process. Bull-board is checked on a hub process.
    hub = await startHub({
      NODE_ENV: 'test', LOG_LEVEL: 'error', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, TRUST_PROXY: 'true',
      DATABASE_URL: await createTestDatabase('no-store'), KEY_ENCRYPTION_KEY: 'g'.repeat(43),
      DEMO_CASHLESS_URL: 'http://127.0.0.1:39101',
    });
    resident = await new PortalResident(hub.url).signIn('tottori.taro');
  });
  afterAll(() => hub?.close().catch((error: Error) => { if (!/Connection is closed/.test(error.message)) throw error; }));

  it('answers the named personal routes with no-store', async () => {
    for (const path of ['/api/v1/portal/me', '/api/v1/portal/data-uses', '/api/v1/portal/consents', '/api/v1/portal/receipts', '/api/v1/portal/provisions', '/api/v1/portal/links', '/api/v1/identity/jpki', '/account/verify', '/account']) {
      const res = await get(path);
      expect({ path, status: res.status, cacheControl: res.headers.get('cache-control') }).toEqual({ path, status: 200, cacheControl: 'no-store' });
    }
    const cashless = await discover(`${hub.url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
    const { tokens } = await codeFlow(new BrowserAgent(), cashless, 'http://127.0.0.1:39101/auth/callback', { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' });
    for (const token of [tokens.access_token, 'not-a-real-token']) {
      const links = await fetch(`${hub.url}/api/v1/links/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(links.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('answers the sign-in error page that repeats the typed ID with no-store', async () => {
    const agent = new BrowserAgent();
    const start = await agent.follow(`${hub.url}/account/login`);
    const page = await start.res.text();
    const login = formAction(page, '/login', start.url)!;
    const refused = await agent.follow(login, { form: { ...hiddenFields(page, '/login'), loginId: 'tottori.taro', password: 'wrong-password-1' } });
    expect(await refused.res.text()).toContain('tottori.taro');
    expect(refused.res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers every GET route with no-store unless it is a public, cacheable key set or asset', async () => {
    const stack = (hub.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack;
    const paths = stack.filter((l) => l.route?.methods.get).map((l) => l.route!.path.replace(/[:*][A-Za-z0-9_]+/g, 'x').replace(/[{}]/g, ''));
    expect(paths.length).toBeGreaterThan(40);
    for (const path of [...paths, '/oidc/me', '/oidc/.well-known/openid-configuration']) {
      const res = await get(path, { accept: 'application/json' });
      if (PUBLIC_CACHE.test(path)) continue;
      expect({ path, cacheControl: res.headers.get('cache-control') }).toEqual({ path, cacheControl: 'no-store' });
    }
  });

  it('sets the lang cookie Secure when the request came over https', async () => {
    const res = await get('/portal/manual?lang=en', { 'x-forwarded-proto': 'https' });
    expect(res.headers.getSetCookie().find((c) => c.startsWith('lang='))).toMatch(/;\s*Secure/i);
  });

  it('serves bull-board (system queues, on Redis) without X-Powered-By', async () => {
    const board: AppProcess = await startHubProcess('no-store-board');
    try {
      const admin = new AdminClient(board.url, 'system-admin', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
      expect((await admin.signIn()).status).toBe(303);
      const res = await admin.get(`${BOARD_PATH}/`);
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      expect(res.headers.get('x-powered-by')).toBeNull();
    } finally {
      await board.stop();
    }
  }, 90_000);
});
