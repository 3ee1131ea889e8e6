import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserAgent } from '@tsunagu/testing';
import type { Client } from 'pg';
import { readKeyFile } from '../apps/connector/src/keys/connector-keys';
import { createClientAssertion } from '@tsunagu/contracts';
import type { FakeService } from '../apps/connector/src/testing/fake-service';
import {
  connectHelpers, HEALTH_POINTS, type Json, type RegisteredPair, startWithStandIns, STEPS, tearDown, VISITS,
} from './support/connect-harness';
import { type AppProcess, startApp } from './support/processes';


/**
 * The provision ledger (issue 5 part 7, docs/connector.md §8) with real processes: the hub, both
 * connectors from the shipped configuration files, real PostgreSQL and Redis. A real exchange is
 * reported by both connectors, lands once in the ledger and on the resident's 「提供記録」 page;
 * the hub endpoint is idempotent and refuses reports about other connectors' grants; reports made
 * while the hub is down arrive once it is back.
 */
describe('Provision ledger, real processes (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-ledger-'));
  let hub: AppProcess;
  let hubEnv: Record<string, string>;
  let hubPort = 0;
  let db: Client;
  let cashless: AppProcess;
  let misasa: AppProcess;
  let misasaApp: FakeService;
  let cashlessApp: FakeService;
  const agent = new BrowserAgent();
  let csrf = '';
  let ids: RegisteredPair['ids'];

  const { portal, sdk, registerPair, approveAndStart } = connectHelpers({ dir, agent, hub: () => hub, cashless: () => cashless, csrf: () => csrf });

  beforeAll(async () => {
    ({ hub, env: hubEnv, port: hubPort, db, csrf, misasaApp, cashlessApp } = await startWithStandIns('connectledger', agent));
  }, 90_000);

  afterAll(() => tearDown({ connectors: [cashless, misasa], hub, db, others: [misasaApp, cashlessApp], dir }));

  it('registers and starts both connectors', async () => {
    const pair = await registerPair({ cashless: cashlessApp.url, 'misasa-health': misasaApp.url });
    ids = pair.ids;
    const { rows } = await db.query(`SELECT id, status FROM connectors ORDER BY name`);
    expect(rows.map((r: Json) => [r.id, r.status])).toEqual([[ids.cashless, 'pending'], [ids['misasa-health'], 'pending']]);
    // The provider serves only after its first successful pull of the hub's signed feed.
    ({ cashless, 'misasa-health': misasa } = await approveAndStart(db, pair));
  });


  /** The ledger rows of a grant. */
  async function ledgerRows(grantId: string): Promise<Json[]> {
    return (await db.query(
      `SELECT p.*, c.consent_id AS consent, c.version AS consent_version FROM provision_records p JOIN consents c ON c.id = p.consent_version_id WHERE p.grant_id = $1`,
      [grantId])).rows;
  }

  async function waitForLedger(grantId: string, ms = 10_000): Promise<Json[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const rows = await ledgerRows(grantId);
      if (rows.length || Date.now() > deadline) return rows;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** `POST /connect/v1/provisions` signed with a connector's own key file. */
  async function report(as: 'cashless' | 'misasa-health', body: Json): Promise<{ status: number; body: Json }> {
    const { keys } = await readKeyFile(join(dir, 'keys', `${as}.key.json`));
    const assertion = await createClientAssertion({ privateKey: keys.signing.privateKey, kid: keys.signing.kid, subject: ids[as], audience: hub.url });
    const res = await fetch(`${hub.url}/connect/v1/provisions`, {
      method: 'POST', headers: { authorization: `Bearer ${assertion}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  let grantId = '';
  let consentId = '';

  it('records a real exchange once in the ledger (both connectors report it) and shows it on the resident\'s page', async () => {
    expect((await portal('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS, VISITS], expectedVersion: 0 })).status).toBe(201);
    const res = await sdk();
    expect(res.status).toBe(200);
    grantId = res.body.grantId;
    consentId = (await portal('GET', '/api/v1/portal/consents')).body.find((c: Json) => c.dataUse.code === HEALTH_POINTS).consent.consentId;

    const rows = await waitForLedger(grantId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ items: [STEPS, VISITS], outcome: 'provided', purpose_code: 'health-points', consent: consentId, consent_version: 1 });
    // Metadata only: no column of the ledger carries a value the provider's app returned.
    expect(JSON.stringify(rows[0])).not.toContain('6800');

    const api = await portal('GET', '/api/v1/portal/provisions');
    expect(api.body.provisions).toEqual([expect.objectContaining({
      consumer: expect.objectContaining({ clientId: 'demo-cashless' }), provider: expect.objectContaining({ clientId: 'demo-misasa-health' }),
      dataUse: HEALTH_POINTS, items: [STEPS, VISITS], purposeCode: 'health-points', consentId, consentVersion: 1, outcome: 'provided',
      itemNames: [{ code: STEPS, name: { ja: '1日ごとの歩数', en: 'Daily step counts' } }, { code: VISITS, name: expect.objectContaining({ ja: expect.any(String) }) }],
    })]);
    const page = await agent.follow(`${hub.url}/portal/provisions`);
    const text = await page.res.text();
    expect(page.res.status).toBe(200);
    expect(text).toContain('とっとりキャッシュレス決済基盤（デモ）');
    // Items by the names residents read; the codes only in the API.
    expect(text).toContain('1日ごとの歩数');
    expect(text).not.toContain(STEPS);
    expect(text).toContain(`/portal/consents/${consentId}`);
  });

  it('answers a repeated report as duplicate and writes no second row', async () => {
    const body = {
      reportId: '7b0f2c1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b', grantId, side: 'consumer', peerConnectorId: ids['misasa-health'], dataUse: HEALTH_POINTS,
      items: [STEPS, VISITS], purpose: 'health-points', outcome: 'provided', occurredAt: new Date().toISOString(),
    };
    expect(await report('cashless', body)).toMatchObject({ status: 200, body: { grantId, status: 'duplicate' } });
    expect(await report('cashless', body)).toMatchObject({ status: 200, body: { grantId, status: 'duplicate' } });
    expect(await ledgerRows(grantId)).toHaveLength(1);
  });

  it('refuses a report about a grant not issued to or for the reporting connector, and a malformed or contradicting one', async () => {
    const base = {
      reportId: '7b0f2c1e-3a4d-4e5f-8a9b-0c1d2e3f4a5c', grantId, peerConnectorId: ids['misasa-health'], dataUse: HEALTH_POINTS,
      items: [STEPS, VISITS], purpose: 'health-points', outcome: 'provided', occurredAt: new Date().toISOString(),
    };
    // The grant was issued to cashless: it is not the provider of it, and misasa is not its consumer.
    expect(await report('cashless', { ...base, side: 'provider', peerConnectorId: ids.cashless })).toMatchObject({ status: 404, body: { error: { code: 'provision_grant_unknown' } } });
    expect(await report('misasa-health', { ...base, side: 'consumer' })).toMatchObject({ status: 404, body: { error: { code: 'provision_grant_unknown' } } });
    expect(await report('cashless', { ...base, side: 'consumer', grantId: 'no-such-grant' })).toMatchObject({ status: 404, body: { error: { code: 'provision_grant_unknown' } } });
    expect(await report('cashless', { ...base, side: 'consumer', items: [STEPS] })).toMatchObject({ status: 409, body: { error: { code: 'provision_mismatch' } } });
    expect(await report('cashless', { ...base, side: 'consumer', payload: { steps: 1 } })).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    const anonymous = await fetch(`${hub.url}/connect/v1/provisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...base, side: 'consumer' }) });
    expect(anonymous.status).toBe(401);
    expect(await ledgerRows(grantId)).toHaveLength(1);
  });

  it('keeps the reports made while the hub is down and delivers them once it is back', async () => {
    // A fresh grant for one item, exchanged and recorded while the hub is up.
    const first = await sdk([STEPS]);
    expect(first.status).toBe(200);
    const grant = first.body.grantId;
    expect(await waitForLedger(grant)).toHaveLength(1);
    // The resident opts out; the provider connector applies the pushed revocation (its ack is stored).
    // The push to the consumer cannot get through (its address is made unreachable), so the consumer
    // keeps its cached grant and presents it during the outage below.
    await db.query(`UPDATE connectors SET base_url = 'http://127.0.0.1:9' WHERE id = $1`, [ids.cashless]);
    expect((await portal('POST', `/api/v1/portal/consents/${consentId}/withdraw`, {})).status).toBe(200);
    const deadline = Date.now() + 5000;
    while ((await db.query(`SELECT 1 FROM revocation_deliveries WHERE connector_id = $1 AND acked_at IS NOT NULL`, [ids['misasa-health']])).rowCount === 0) {
      if (Date.now() > deadline) throw new Error('revocation never acknowledged');
      await new Promise((r) => setTimeout(r, 50));
    }
    // The ledger row is removed so that the refusal reported during the outage is its only source.
    await db.query(`DELETE FROM provision_records WHERE grant_id = $1`, [grant]);

    await hub.stop();
    // The consumer presents its cached grant; the provider (still fresh) refuses it: both report the refusal.
    const during = await sdk([STEPS]);
    expect(during).toMatchObject({ status: 403, body: { error: { code: 'consent_revoked' } } });
    // Each connector appends its report to its outbox file off the exchange's path: wait for both.
    const outbox = (as: 'cashless' | 'misasa-health') => readFileSync(join(dir, 'keys', `${as}.provisions.jsonl`), 'utf8');
    const refusalPending = (as: 'cashless' | 'misasa-health') => outbox(as).split('\n').some((line) => {
      try {
        const entry = JSON.parse(line);
        return entry.op === 'add' && entry.report.grantId === grant && entry.report.outcome === 'refused';
      } catch {
        return false;
      }
    });
    const written = Date.now() + 5000;
    while (!(refusalPending('cashless') && refusalPending('misasa-health'))) {
      if (Date.now() > written) throw new Error('refusal reports never written to the outboxes');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(outbox('misasa-health')).not.toContain('6800');
    expect(await ledgerRows(grant)).toHaveLength(0);

    hub = await startApp('apps/hub/src/main.js', hubEnv, hubPort);
    const rows = await waitForLedger(grant, 30_000);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ items: [STEPS], outcome: 'refused' });
    const api = await portal('GET', '/api/v1/portal/provisions');
    expect(api.body.provisions).toContainEqual(expect.objectContaining({ items: [STEPS], outcome: 'refused', consentId }));
  }, 60_000);
});
