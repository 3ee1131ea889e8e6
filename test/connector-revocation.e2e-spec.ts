import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserAgent } from '@tsunagu/testing';
import type { Client } from 'pg';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../apps/hub/src/backoffice/auth/admin-demo-seed';
import type { FakeService } from '../apps/connector/src/testing/fake-service';
import { AdminClient, field } from './admin-support';
import { connectHelpers, HEALTH_POINTS, type Json, type RegisteredPair, startWithStandIns, STEPS, tearDown, VISITS } from './support/connect-harness';
import { type AppProcess, freePort, startApp } from './support/processes';
import { startPushProxy } from './support/push-proxy';

/** Consumer loops asking with the cached grant while the admin revokes the consumer connector. */
const CONSUMER_LOOPS = 4;

interface Exchange {
  sentAt: number;
  status: number;
  code?: string;
}

/** An attribute of the element with `data-testid`. */
function attribute(page: string, testId: string, name: string): string | undefined {
  return new RegExp(`data-testid="${testId}"[^>]*\\s${name}="([^"]*)"`).exec(page)?.[1] ?? new RegExp(`${name}="([^"]*)"[^>]*data-testid="${testId}"`).exec(page)?.[1];
}

/**
 * A revoked connector is enforced before the admin is told, across real processes: the hub, the
 * Misasa provider connector behind a proxy that can cut the hub's pushes, two cashless consumer
 * connectors (each is revoked once: revocation is final), and stand-ins for both apps. The
 * tenant admin of the cashless service signs in with password and TOTP and revokes through the
 * confirmation page, while the consumer keeps asking with the grant it has cached.
 */
describe('A revoked connector, real processes (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-revoke-'));
  const agent = new BrowserAgent();
  let hub: AppProcess;
  let db: Client;
  let csrf = '';
  let misasaApp: FakeService;
  let cashlessApp: FakeService;
  let cashless: AppProcess;
  let second: AppProcess;
  let misasa: AppProcess;
  let pair: RegisteredPair;
  let secondId = '';
  let proxy: Awaited<ReturnType<typeof startPushProxy>>;
  let admin: AdminClient;
  const { portal, sdk, register, registerPair, approveAndStart } = connectHelpers({ dir, agent, hub: () => hub, cashless: () => cashless, csrf: () => csrf });

  beforeAll(async () => {
    ({ hub, db, csrf, misasaApp, cashlessApp } = await startWithStandIns('revokeconn', agent));
    pair = await registerPair({ cashless: cashlessApp.url, 'misasa-health': misasaApp.url });
    // A second consumer connector of the cashless service, for the second revocation.
    const port = await freePort();
    const file = join(dir, 'cashless-2.json');
    const base = JSON.parse(readFileSync(pair.files.cashless, 'utf8'));
    writeFileSync(file, JSON.stringify({
      ...base, connector: { ...base.connector, name: 'cashless-2' }, listen: { ...base.listen, port }, publicUrl: `http://127.0.0.1:${port}`,
      keys: { file: join(dir, 'keys', 'cashless-2.key.json') },
    }));
    // The admin of the cashless service's tenant (鳥取県), signing in meanwhile.
    admin = new AdminClient(hub.url, 'admin-tottori-pref', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
    const [signIn] = await Promise.all([admin.signIn(), register(file), (async () => {
      // The provider's public address is a proxy: the hub pushes through it (and the consumers present grants through it).
      proxy = await startPushProxy(await freePort(), `http://127.0.0.1:${pair.ports['misasa-health']}`);
      const misasaFile = pair.files['misasa-health'];
      writeFileSync(misasaFile, JSON.stringify({ ...JSON.parse(readFileSync(misasaFile, 'utf8')), publicUrl: proxy.url }));
      await db.query(`UPDATE connectors SET base_url = $2 WHERE id = $1`, [pair.ids['misasa-health'], proxy.url]);
    })()]);
    expect(signIn.status).toBe(303);
    secondId = JSON.parse(readFileSync(join(dir, 'keys', 'cashless-2.key.registration.json'), 'utf8')).connectorId;
    [{ cashless, 'misasa-health': misasa }, second] = await Promise.all([
      approveAndStart(db, pair), startApp('apps/connector/src/main.js', { CONNECTOR_CONFIG: file }, port),
    ]);
    expect((await portal('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS, VISITS] })).status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await tearDown({ connectors: [cashless, second, misasa], hub, db, others: [misasaApp, cashlessApp], dir });
  });

  /** The admin's revocation through the confirmation page; resolves with when the answer came and the connector's page it leads to. */
  async function revokeAsAdmin(connectorId: string): Promise<{ answeredAt: number; page: string }> {
    const confirm = await (await admin.get(`/admin/connectors/${connectorId}/revoke`)).text();
    expect(confirm).toContain('すでに受け取っている提供許可');
    const answer = await admin.post(`/admin/connectors/${connectorId}/revoke`, { confirm: field(confirm, 'confirm')!, reason: 'e2e: revoked while in use' });
    const answeredAt = Date.now();
    expect(answer.status).toBe(303);
    const location = answer.headers.get('location')!;
    expect(location).toBe(`/admin/connectors/${connectorId}?done=revoked`);
    return { answeredAt, page: await (await admin.get(location)).text() };
  }

  /** Caches a grant at `consumer`, then keeps asking while `during` runs and until `until` (ms since the epoch) says stop. */
  async function askWhile<T>(consumer: AppProcess, during: () => Promise<T>, until: (result: T) => number): Promise<{ result: T; exchanges: Exchange[] }> {
    expect(await sdk(undefined, { connector: consumer })).toMatchObject({ status: 200 });
    const exchanges: Exchange[] = [];
    let stopAt = Number.POSITIVE_INFINITY;
    const loops = Array.from({ length: CONSUMER_LOOPS }, async () => {
      while (Date.now() < stopAt) {
        const sentAt = Date.now();
        const res = await sdk(undefined, { connector: consumer }).catch(() => ({ status: 0, body: {} as Json }));
        exchanges.push({ sentAt, status: res.status, code: res.body?.error?.code });
      }
    });
    while (exchanges.filter((e) => e.status === 200).length < CONSUMER_LOOPS) await new Promise((r) => setTimeout(r, 5));
    const result = await during();
    stopAt = until(result);
    await Promise.all(loops);
    return { result, exchanges };
  }

  const dataAfter = (exchanges: Exchange[], moment: number) => exchanges.filter((e) => e.sentAt > moment && e.status === 200);
  /** The first refusal the consumer met: the provider's, of the grant it had cached (the hub refuses the connector itself only after). */
  const firstRefusal = (exchanges: Exchange[]) => [...exchanges].sort((a, b) => a.sentAt - b.sentAt).find((e) => e.status !== 200)?.code;

  it('answers once the provider confirmed it refuses the connector\'s grants; the cached grant is refused (connector_revoked) from then on', async () => {
    const { result, exchanges } = await askWhile(cashless, () => revokeAsAdmin(pair.ids.cashless), (r) => r.answeredAt + 500);
    const { answeredAt, page } = result;
    expect(page).toContain('コネクタを失効させました。');
    expect(attribute(page, 'revocation-enforcement', 'data-complete')).toBe('true');
    expect(page).toMatch(/このコネクタに発行済みの提供許可を、すべての提供元が拒否することを確認しました（[^）]*\d{1,2}:\d{2}:\d{2}）/);
    expect(page).toMatch(/data-state="enforced" data-connector="[0-9a-f-]{36}"/);
    expect(dataAfter(exchanges, answeredAt)).toEqual([]);
    expect(exchanges.some((e) => e.sentAt > answeredAt)).toBe(true);
    // The provider refused the grant the consumer had cached; afterwards the hub refuses the connector itself.
    expect(firstRefusal(exchanges)).toBe('connector_revoked');
    expect(await sdk(undefined, { connector: cashless })).toMatchObject({ status: 403, body: { error: { code: 'connector_not_approved' } } });
    // The acknowledgement is stored, and the page says the same in English.
    const { rows } = await db.query(`SELECT d.ack_jws FROM revocation_deliveries d JOIN connector_revocation_outbox x ON x.seq = d.outbox_seq WHERE x.connector_id = $1`, [pair.ids.cashless]);
    expect(rows).toEqual([{ ack_jws: expect.stringMatching(/^ey/) }]);
    const english = await (await admin.get(`/admin/connectors/${pair.ids.cashless}?lang=en`)).text();
    expect(english).toMatch(/Every provider confirmed it refuses the grants issued to this connector \([^)]*\d{1,2}:\d{2}:\d{2}\)/);
    await admin.get(`/admin/connectors/${pair.ids.cashless}?lang=ja`);
  }, 30_000);

  it('with the push cut, says by when every provider refuses at the latest; no data after that moment, and the provider learns it from its feed', async () => {
    proxy.path = { kind: 'cut' };
    try {
      const { result, exchanges } = await askWhile(second, () => revokeAsAdmin(secondId), (r) => Date.parse(attribute(r.page, 'revocation-enforcement', 'data-enforced-by')!) + 500);
      const { answeredAt, page } = result;
      expect(attribute(page, 'revocation-enforcement', 'data-complete')).toBe('false');
      expect(page).toMatch(/遅くとも [^<]*\d{1,2}:\d{2}:\d{2} までに、すべての提供元がこのコネクタの提供許可を拒否します/);
      expect(page).toMatch(/data-state="pending"/);
      const enforcedBy = Date.parse(attribute(page, 'revocation-enforcement', 'data-enforced-by')!);
      const [row] = (await db.query(`SELECT committed_at, enforce_by FROM connector_revocation_outbox WHERE connector_id = $1`, [secondId])).rows;
      // The bound: the commit plus the hub's staleness bound (6 s), told after the 1 s wait.
      expect(row.enforce_by.getTime()).toBe(enforcedBy);
      expect(enforcedBy - row.committed_at.getTime()).toBeLessThanOrEqual(6_000);
      expect(answeredAt - row.committed_at.getTime()).toBeGreaterThanOrEqual(900);
      expect(dataAfter(exchanges, enforcedBy)).toEqual([]);
      // Without the push, the provider learns it from its next pull of the signed feed, and refuses the cached grant.
      const lastData = Math.max(...exchanges.filter((e) => e.status === 200).map((e) => e.sentAt));
      expect(lastData - row.committed_at.getTime()).toBeLessThan(3_000);
      expect(firstRefusal(exchanges)).toBe('connector_revoked');
      expect(proxy.pushes).toBeGreaterThan(0);
    } finally {
      proxy.path = { kind: 'pass' };
    }
  }, 30_000);
});
