import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserAgent } from '@tsunagu/testing';
import { verifyEnforcementStatement } from '@tsunagu/contracts';
import { sample } from '@tsunagu/metrics';
import type { Client } from 'pg';
import type { FakeService } from '../apps/connector/src/testing/fake-service';
import {
  connectHelpers, HEALTH_POINTS, japanDate, type Json, type RegisteredPair, startWithStandIns, STEPS, tearDown, VISITS,
} from './support/connect-harness';
import { type AppProcess, ROOT } from './support/processes';


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
    ({ hub, db, csrf, misasaApp, cashlessApp } = await startWithStandIns('connectproc', agent, { LOG_DIR: join(dir, 'logs'), LOG_LEVEL: 'info' }));
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

  it('answers the opt-out only once both connectors acknowledged it; the next request is refused even with a grant still cached', async () => {
    expect((await sdk()).status).toBe(200); // a reusable grant is now cached by the consumer connector
    const consentId = (await portal('GET', '/api/v1/portal/consents')).body.find((c: Json) => c.dataUse.code === HEALTH_POINTS).consent.consentId;
    const before = misasaApp.requests.length;
    const sent = Date.now();
    const answer = await portal('POST', `/api/v1/portal/consents/${consentId}/withdraw`, {});
    const answeredAt = Date.now();
    expect(answer.status).toBe(200);
    // Enforced, then answered: both connectors' signed acknowledgements were in before the answer.
    const e = answer.body.enforcement;
    expect(e).toMatchObject({ consentId, version: 2, complete: true });
    expect(e.connectors.map((c: Json) => [c.connectorId, c.role, c.state]).sort()).toEqual([
      [ids.cashless, 'consumer', 'enforced'], [ids['misasa-health'], 'provider', 'enforced']].sort());
    expect(Date.parse(e.enforcedAt)).toBeGreaterThanOrEqual(sent - 1000);
    expect(Date.parse(e.enforcedAt)).toBeLessThanOrEqual(answeredAt);
    expect(e.enforcedBy).toBe(e.enforcedAt);
    // The very first request after the answer gets nothing: the consumer dropped its cached grant
    // or the provider refused it, and the hub refuses a new one.
    const next = await sdk();
    expect(next.status).toBe(403);
    expect(['consent_revoked', 'consent_withdrawn']).toContain(next.body.error.code);
    const served = misasaApp.requests.length;
    expect((await sdk()).status).toBe(403);
    expect(misasaApp.requests.length).toBe(served);
    expect(served).toBeGreaterThanOrEqual(before);
    const acked: Json[] = (await db.query(
      `SELECT d.ack_jws FROM revocation_deliveries d JOIN consent_change_outbox x ON x.seq = d.outbox_seq
       WHERE d.connector_id = $1 AND x.consent_id = $2 AND d.acked_at IS NOT NULL`, [ids['misasa-health'], consentId])).rows;
    const outbox = (await db.query(`SELECT committed_at, enforce_by, enforced_at FROM consent_change_outbox WHERE consent_id = $1 AND version = 2`, [consentId])).rows[0];
    expect(outbox.enforced_at.toISOString()).toBe(e.enforcedAt);
    expect(outbox.committed_at.toISOString()).toBe(e.committedAt);
    // The answer's moments, signed with the receipt keys and naming the withdrawal's receipt.
    const statement = await verifyEnforcementStatement(e.statement, await (await fetch(`${hub.url}/oidc/jwks`)).json(), { issuer: hub.url });
    expect(statement).toMatchObject({ consent: { id: consentId, version: 2 }, receipt: { recordId: answer.body.receipt.recordId }, enforcedAt: e.enforcedAt, complete: true });
    expect(acked).toHaveLength(1);
    const ack = JSON.parse(Buffer.from(acked[0].ack_jws.split('.')[1], 'base64url').toString('utf8'));
    expect(ack).toMatchObject({ iss: ids['misasa-health'], aud: hub.url, applied: { consent_id: consentId, version: 2 } });
    const { rows } = await db.query(`SELECT unacked_revocations FROM connectors WHERE id = $1`, [ids['misasa-health']]);
    expect(rows[0].unacked_revocations).toBe(0);
  });
  it('counts it all in Prometheus format at /metrics, for the monitoring networks only', async () => {
    const scrape = async (url: string) => {
      const res = await fetch(`${url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      return res.text();
    };
    const hubText = await scrape(hub.url);
    expect(sample(hubText, 'tsunagu_grants_total', { outcome: 'issued', reason: '' })).toBeGreaterThanOrEqual(1);
    expect(sample(hubText, 'tsunagu_grants_total', { outcome: 'refused', reason: 'consent_required' })).toBe(1);
    expect(sample(hubText, 'tsunagu_revocation_pushes_total', { result: 'acknowledged' })).toBeGreaterThanOrEqual(2);
    expect(sample(hubText, 'tsunagu_revocation_push_seconds_count')).toBeGreaterThanOrEqual(2);
    expect(sample(hubText, 'tsunagu_revocation_deliveries_pending')).toBe(0);
    expect(sample(hubText, 'tsunagu_audit_chain_rows')).toBeGreaterThan(0);
    expect(sample(hubText, 'tsunagu_connector_feed_lag_seconds', { connector: 'misasa-health' })).toBeLessThan(30);
    // Routes are patterns, never raw paths with IDs in them.
    expect(sample(hubText, 'tsunagu_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/portal/consents/:id/withdraw', status: '200' })).toBe(1);
    expect(hubText).not.toMatch(/route="[^"]*[0-9a-f]{8}-[0-9a-f]{4}-/);

    const consumer = await scrape(cashless.url);
    expect(sample(consumer, 'tsunagu_connector_exchanges_total', { side: 'consumer', outcome: 'provided' })).toBeGreaterThanOrEqual(2);
    expect(sample(consumer, 'tsunagu_http_request_duration_seconds_count', { method: 'POST', route: '/sdk/v1/requests', status: '403' })).toBeGreaterThanOrEqual(2);
    const provider = await scrape(misasa.url);
    expect(sample(provider, 'tsunagu_connector_exchanges_total', { side: 'provider', outcome: 'provided' })).toBeGreaterThanOrEqual(1);
    expect(sample(provider, 'tsunagu_connector_feed_fresh')).toBe(1);
    expect(sample(provider, 'tsunagu_connector_feed_age_seconds')).toBeLessThan(6);

    // No trusted proxy configured: a client's X-Forwarded-For changes nothing (the TCP peer, loopback, decides).
    expect((await fetch(`${hub.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(200);
    expect((await fetch(`${hub.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });
  it('keeps the scenario\'s logs in day files with client address, actor and correlation id, and never a password, token or payload', async () => {
    const logDir = join(dir, 'logs');
    const files = readdirSync(logDir).filter((n) => /^hub-\d{4}-\d{2}-\d{2}\.log$/.test(n));
    expect(files).toHaveLength(1);
    const text = readFileSync(join(logDir, files[0]), 'utf8');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Json);
    const withdraw = lines.find((l) => l.kind === 'access' && /\/withdraw$/.test(String(l.path)));
    expect(withdraw).toMatchObject({ clientIp: '127.0.0.1', actorKind: 'resident', actorId: expect.stringMatching(/^[0-9a-f-]{36}$/), correlationId: expect.any(String), status: 200 });
    expect(lines.find((l) => l.kind === 'access' && l.path === '/connect/v1/grants')).toMatchObject({ actorKind: 'connector', actorId: ids.cashless, tenantId: expect.any(String) });
    // Never a password, a token, a signed statement or the data exchanged.
    expect(text).not.toContain('tsunagu-demo-2026');
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./);
    expect(text).not.toContain('6800');
    expect(text).not.toContain('株湯');
    // npm run logs:search finds the request's lines by its correlation id.
    const found = await new Promise<string>((resolve, reject) => execFile(process.execPath, [join(ROOT, 'dist', 'scripts', 'logs-search.js'), '--dir', logDir, '--correlation', String(withdraw!.correlationId)],
      { env: { PATH: process.env.PATH } }, (error, stdout) => (error ? reject(error) : resolve(stdout))));
    const hits = found.trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(hits.length).toBeGreaterThanOrEqual(2);
    expect(hits.every((h) => h.correlationId === withdraw!.correlationId)).toBe(true);
  });
});
