import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserAgent } from '@tsunagu/testing';
import type { Client } from 'pg';
import type { FakeService } from '../apps/connector/src/testing/fake-service';
import {
  connectHelpers, HEALTH_POINTS, japanDate, type Json, type RegisteredPair, startWithStandIns, STEPS, tearDown, VISITS,
} from './support/connect-harness';
import type { AppProcess } from './support/processes';


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
  let misasaApp: FakeService;
  let cashlessApp: FakeService;
  const agent = new BrowserAgent();
  let csrf = '';
  let ids: RegisteredPair['ids'];

  const { portal, sdk, register, registerPair, approveAndStart } = connectHelpers({ dir, agent, hub: () => hub, cashless: () => cashless, csrf: () => csrf });

  beforeAll(async () => {
    ({ hub, db, csrf, misasaApp, cashlessApp } = await startWithStandIns('connectproc', agent));
  }, 90_000);

  afterAll(() => tearDown({ connectors: [cashless, misasa], hub, db, others: [misasaApp, cashlessApp], dir }));

  it('registers both connectors with connector:register (pending), rotates a key, and starts them once approved', async () => {
    const pair = await registerPair({ cashless: cashlessApp.url, 'misasa-health': misasaApp.url });
    ids = pair.ids;
    const { rows } = await db.query(`SELECT id, status, public_jwk FROM connectors ORDER BY name`);
    expect(rows.map((r: Json) => [r.id, r.status])).toEqual([[ids.cashless, 'pending'], [ids['misasa-health'], 'pending']]);

    await register(pair.files.cashless, ['--rotate']);
    const rotated = await db.query(`SELECT public_jwk FROM connectors WHERE id = $1`, [ids.cashless]);
    expect(rotated.rows[0].public_jwk.x).not.toBe(rows[0].public_jwk.x);

    // The provider serves only after its first successful pull of the hub's signed feed.
    ({ cashless, 'misasa-health': misasa } = await approveAndStart(db, pair));
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
