import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserAgent, createTestDatabase, formAction, testRedis } from '@tsunagu/testing';
import { Client } from 'pg';
import { FakeService } from '../apps/connector/src/testing/fake-service';
import { connectHelpers, HEALTH_POINTS, japanDate, type Json, STEPS, VISITS } from './support/connect-harness';
import { type AppProcess, freePort, startApp } from './support/processes';


/**
 * The whole data path with real processes: the hub, two connectors started from the shipped
 * configuration files (registered with `connector:register`), a stand-in for the Misasa app's
 * internal API; real PostgreSQL and Redis. Opt-in → exchange → opt-out → refused, and the
 * provider connector's signed acknowledgement of the pushed revocation stored at the hub.
 */
describe('Connectors and hub, real processes (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-connect-'));
  let hub: AppProcess;
  let db: Client;
  let cashless: AppProcess;
  let misasa: AppProcess;
  const misasaApp = new FakeService();
  const cashlessApp = new FakeService();
  const agent = new BrowserAgent();
  let csrf = '';
  const ids: Record<string, string> = {};

  const { portal, sdk, configFile, register } = connectHelpers({ dir, agent, hub: () => hub, cashless: () => cashless, csrf: () => csrf });

  beforeAll(async () => {
    const port = await freePort();
    const redis = testRedis();
    const url = await createTestDatabase('connectproc');
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: url,
      REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, KEY_ENCRYPTION_KEY: 'e'.repeat(43),
      DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', DEMO_MISASA_URL: 'http://127.0.0.1:39102',
    }, port);
    db = new Client({ connectionString: url });
    await db.connect();
    await Promise.all([misasaApp.start(), cashlessApp.start()]);
    misasaApp.routes.set('/internal/v1/users/MH-0001/daily-steps', { body: { userId: 'MH-0001', days: [{ day: japanDate(-1), steps: 6800 }] } });
    misasaApp.routes.set('/internal/v1/users/MH-0001/onsen-visits', {
      body: { userId: 'MH-0001', visits: [{ date: japanDate(-1), time: '18:30', facilityId: 'misasa-kabuyu', facility: '三朝温泉 株湯', bathMinutes: 25 }] },
    });

    const start = await agent.follow(`${hub.url}/account/login`);
    await agent.follow(formAction(await start.res.text(), '/login', start.url)!, { form: { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' } });
    csrf = (await portal('GET', '/api/v1/portal/me')).body.csrfToken;
    await db.query(`INSERT INTO service_links (tenant_id, service_id, resident_id, local_id)
      SELECT s.tenant_id, s.id, r.id, v.local_id FROM (VALUES ('demo-cashless', 'C-0001'), ('demo-misasa-health', 'MH-0001')) AS v(client_id, local_id)
      JOIN services s ON s.client_id = v.client_id JOIN residents r ON r.login_id = 'tottori.taro'`);
    await db.query(`INSERT INTO api_permissions (tenant_id, consumer_service_id, offer_id)
      SELECT s.tenant_id, s.id, o.id FROM services s, data_offers o WHERE s.client_id = 'demo-cashless' AND o.code = ANY($1)`, [[STEPS, VISITS]]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([cashless?.stop(), misasa?.stop()]);
    await hub?.stop();
    await db?.end();
    await Promise.all([misasaApp.stop(), cashlessApp.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers both connectors with connector:register (pending), rotates a key, and starts them once approved', async () => {
    const [cashlessPort, misasaPort] = [await freePort(), await freePort()];
    const cashlessFile = await configFile('cashless', cashlessPort, cashlessApp.url);
    const misasaFile = await configFile('misasa-health', misasaPort, misasaApp.url);
    expect(await register(cashlessFile)).toContain('pending');
    expect(await register(misasaFile)).toContain('pending');
    for (const name of ['cashless', 'misasa-health']) {
      ids[name] = JSON.parse(readFileSync(join(dir, 'keys', `${name}.key.registration.json`), 'utf8')).connectorId;
    }
    const { rows } = await db.query(`SELECT id, status, public_jwk FROM connectors ORDER BY name`);
    expect(rows.map((r: Json) => [r.id, r.status])).toEqual([[ids.cashless, 'pending'], [ids['misasa-health'], 'pending']]);

    await register(cashlessFile, ['--rotate']);
    const rotated = await db.query(`SELECT public_jwk FROM connectors WHERE id = $1`, [ids.cashless]);
    expect(rotated.rows[0].public_jwk.x).not.toBe(rows[0].public_jwk.x);

    await db.query(`UPDATE connectors SET status = 'approved', status_changed_at = now()`);
    [cashless, misasa] = await Promise.all([
      startApp('apps/connector/src/main.js', { CONNECTOR_CONFIG: cashlessFile }, cashlessPort),
      startApp('apps/connector/src/main.js', { CONNECTOR_CONFIG: misasaFile }, misasaPort),
    ]);
    // The provider serves only after its first successful pull of the hub's signed feed.
    const deadline = Date.now() + 10_000;
    while (!(await (await fetch(`${misasa.url}/health`)).json()).revocations.fresh) {
      if (Date.now() > deadline) throw new Error(`provider never synced:\n${misasa.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const synced = await db.query(`SELECT last_revocation_sync_at, last_seen_at FROM connectors WHERE id = $1`, [ids['misasa-health']]);
    expect(synced.rows[0].last_revocation_sync_at).not.toBeNull();
  });

  it('refuses the exchange before the resident consents (consent_required from the hub, through the consumer)', async () => {
    const res = await sdk();
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'consent_required' } } });
    expect(misasaApp.requests).toHaveLength(0);
  });

  it('exchanges peer to peer under the consent: hub grant, provider connector, the app\'s data reshaped', async () => {
    expect((await portal('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS, VISITS], expectedVersion: 0 })).status).toBe(201);
    const res = await sdk();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      dataUse: HEALTH_POINTS, provider: { connectorId: ids['misasa-health'] },
      items: {
        [STEPS]: [{ date: japanDate(-1), steps: 6800 }],
        [VISITS]: [{ date: japanDate(-1), facilityId: 'misasa-kabuyu', facilityName: '三朝温泉 株湯' }],
      },
    });
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'grant.issued' AND subject = $1`, [res.body.grantId]);
    expect(rows[0].n).toBe(1);
  });

  it('after the opt-out, refuses within a second even with a grant still cached, and stores the provider\'s signed ack', async () => {
    expect((await sdk()).status).toBe(200); // a reusable grant is now cached by the consumer connector
    const consentId = (await portal('GET', '/api/v1/portal/consents')).body.find((c: Json) => c.dataUse.code === HEALTH_POINTS).consent.consentId;
    const before = misasaApp.requests.length;
    expect((await portal('POST', `/api/v1/portal/consents/${consentId}/withdraw`, {})).status).toBe(200);
    const withdrawnAt = Date.now();
    let refused: { status: number; body: Json } | undefined;
    while (Date.now() - withdrawnAt < 1000) {
      const res = await sdk();
      if (res.status !== 200) {
        refused = res;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(refused).toBeDefined();
    // The consumer presented its cached grant (issued before the opt-out, still unexpired): the provider refused it.
    expect(refused!.body.error.code).toBe('consent_revoked');
    // From then on, nothing more leaves the provider's app.
    const served = misasaApp.requests.length;
    expect((await sdk()).status).toBe(403);
    expect(misasaApp.requests.length).toBe(served);
    expect(served).toBeGreaterThanOrEqual(before);
    const deadline = Date.now() + 5000;
    let acked: Json[] = [];
    while (Date.now() < deadline) {
      acked = (await db.query(
        `SELECT d.ack_jws FROM revocation_deliveries d JOIN consent_change_outbox x ON x.seq = d.outbox_seq
         WHERE d.connector_id = $1 AND x.consent_id = $2 AND d.acked_at IS NOT NULL`, [ids['misasa-health'], consentId])).rows;
      if (acked.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(acked).toHaveLength(1);
    const ack = JSON.parse(Buffer.from(acked[0].ack_jws.split('.')[1], 'base64url').toString('utf8'));
    expect(ack).toMatchObject({ iss: ids['misasa-health'], aud: hub.url, applied: { consent_id: consentId, version: 2 } });
    const { rows } = await db.query(`SELECT unacked_revocations FROM connectors WHERE id = $1`, [ids['misasa-health']]);
    expect(rows[0].unacked_revocations).toBe(0);
  });
});
