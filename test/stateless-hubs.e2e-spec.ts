import { BrowserAgent, createTestDatabase, testRedis } from '@tsunagu/testing';
import { codeFlow, discover } from './support/oidc-flow';
import { type AppProcess, freePort, startApp } from './support/processes';
import { startRoundRobinProxy } from './support/round-robin-proxy';

/**
 * With Redis configured the hub keeps no state of its own: two hub processes behind one address,
 * with requests alternating between them, serve one resident's single sign-on session.
 */
describe('Two hub replicas behind one address (e2e)', () => {
  const hubs: AppProcess[] = [];
  let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>;
  let publicUrl: string;

  beforeAll(async () => {
    const proxyPort = await freePort();
    publicUrl = `http://127.0.0.1:${proxyPort}`;
    const redis = testRedis();
    const shared = {
      PUBLIC_URL: publicUrl, DATABASE_URL: await createTestDatabase('replicas'), REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix,
      KEY_ENCRYPTION_KEY: 'c'.repeat(43), DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', DEMO_MISASA_URL: 'http://127.0.0.1:39102',
    };
    // Start both at once: migrations and key creation must cope with replicas racing.
    const ports = [await freePort(), await freePort()];
    hubs.push(...await Promise.all(ports.map((port) => startApp('apps/hub/src/main.js', { ...shared, PORT: String(port) }, port))));
    proxy = await startRoundRobinProxy(proxyPort, hubs.map((h) => h.url));
  });
  afterAll(async () => {
    await proxy?.close();
    await Promise.all(hubs.map((h) => h.stop()));
  });

  it('publishes one JWKS from both replicas', async () => {
    const [a, b] = await Promise.all(hubs.map(async (h) => (await fetch(`${h.url}/oidc/jwks`)).json()));
    expect(a).toEqual(b);
  });

  it('continues one SSO session across both replicas and keeps pairwise subjects stable', async () => {
    const agent = new BrowserAgent();
    const cashless = await discover(`${publicUrl}/oidc`, 'demo-cashless', 'demo-cashless-secret');
    const misasa = await discover(`${publicUrl}/oidc`, 'demo-misasa-health', 'demo-misasa-health-secret');
    const first = await codeFlow(agent, cashless, 'http://127.0.0.1:39101/auth/callback', { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' });
    expect(first.screens).toEqual(['login', 'consent']);
    const before = [...proxy.served];
    const second = await codeFlow(agent, misasa, 'http://127.0.0.1:39102/auth/callback');
    expect(second.screens).toEqual(['consent']); // no password: the session was found whichever replica answered
    expect(proxy.served[0] - before[0]).toBeGreaterThan(0);
    expect(proxy.served[1] - before[1]).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      const again = await codeFlow(agent, cashless, 'http://127.0.0.1:39101/auth/callback');
      expect(again.screens).toEqual([]);
      expect(again.tokens.claims()!.sub).toBe(first.tokens.claims()!.sub);
    }
  });

  it('honours a refresh token at either replica', async () => {
    const cashless = await discover(`${publicUrl}/oidc`, 'demo-cashless', 'demo-cashless-secret');
    const { tokens } = await codeFlow(new BrowserAgent(), cashless, 'http://127.0.0.1:39101/auth/callback', { loginId: 'misasa.hanako', password: 'tsunagu-demo-2026' });
    // Refresh at each replica directly.
    for (const hub of hubs) {
      const res = await fetch(`${hub.url}/oidc/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('demo-cashless:demo-cashless-secret').toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }),
      });
      expect(res.status).toBe(200);
    }
  });
});
