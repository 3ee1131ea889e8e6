import type { DataSource } from 'typeorm';
import { type Clock, systemClock } from '@tsunagu/common';
import { openTestDataSource, pollUntil } from '@tsunagu/testing';
import { ConnectRepository } from '../connect.repository';
import { insertConnectCatalog } from '../testing/connect-catalog';
import { acknowledgementWait, insertAdmin, insertConnector, insertGrantRecord, listeningSignals, revokeConnector } from '../testing/exchange-fixtures';
import { ConnectorRevocationEnforcementService } from './connector-revocation-enforcement.service';
import { EnforcementRepository } from './enforcement.repository';
import type { RevocationSignals } from './revocation-signals';

const BOUNDS = { waitMs: 400, stalenessSeconds: 6 };

/**
 * A revoked connector enforced before the admin is told — against the real PostgreSQL, its
 * triggers and notifications: a second repository on its own connection plays the replica that
 * dispatches and stores the providers' acknowledgements.
 */
describe(ConnectorRevocationEnforcementService.name, () => {
  let db: DataSource;
  let other: ConnectRepository;
  let signals: RevocationSignals;
  const id: Record<string, string> = {};
  const clock = { now: () => systemClock.now() } as Clock & { now: () => Date };

  function service(waitMs = BOUNDS.waitMs): ConnectorRevocationEnforcementService {
    return new ConnectorRevocationEnforcementService(new EnforcementRepository(db), acknowledgementWait(signals, clock, { ...BOUNDS, waitMs }));
  }

  /** A consumer connector that was issued grants served by `served` (provider name → expiry in ms), revoked now. */
  async function revokedConsumer(served: Record<string, number>): Promise<{ connectorId: string; seq: string; committedAt: Date }> {
    const connectorId = await insertConnector(db, id.tenant, { service: id.cons, name: `c-${Object.keys(served).join('-')}-${Math.random().toString(36).slice(2, 8)}` });
    for (const [provider, ms] of Object.entries(served)) {
      await insertGrantRecord(db, { consentId: id.consent, version: 1, consumer: connectorId, provider: id[provider], resident: id.resident, expiresInMs: ms });
    }
    await revokeConnector(db, id.tenant, connectorId, id.admin);
    const seq = (await db.query(`SELECT seq::text AS seq FROM connector_revocation_outbox WHERE connector_id = $1`, [connectorId]))[0].seq as string;
    return { connectorId, seq, committedAt: new Date() };
  }

  beforeAll(async () => {
    db = await openTestDataSource([], 'revokeenforce');
    other = new ConnectRepository(db);
    Object.assign(id, await insertConnectCatalog(db));
    id.admin = await insertAdmin(db, id.tenant, 'rc-admin');
    const [resident] = await db.query(`INSERT INTO residents (common_id, login_id, password_hash, display_name) VALUES ('1234567890123456', 'r.one', 'x', 'R') RETURNING id`);
    id.resident = resident.id;
    id.consent = (await db.query(`INSERT INTO consents (consent_id, version, tenant_id, resident_id, data_use_id, data_use_revision, state, event, items, purpose_code,
        valid_from, collection_method, language, created_at)
      VALUES (gen_random_uuid(), 1, $1, $2, $3, 1, 'active', 'given', '{prov.steps}', 'p', now(), 'portal-api', 'ja', now()) RETURNING consent_id`, [id.tenant, id.resident, id.use]))[0].consent_id;
    // p1 asks for revoked connectors in its feed (this version); p2 does not (an earlier one).
    id.p1 = await insertConnector(db, id.tenant, { service: id.prov, name: 'p1', feedExtensions: ['connector-revoked'] });
    id.p2 = await insertConnector(db, id.tenant, { service: id.prov, name: 'p2' });
    signals = await listeningSignals(db);
  });

  afterAll(async () => {
    await signals?.onApplicationShutdown();
    await db?.destroy();
  });

  it('wakes this process\'s dispatcher, and another replica hears the revocation through the database notification', async () => {
    let heard = 0;
    const stop = signals.onOutbox(() => heard++);
    try {
      await revokedConsumer({});
      expect(await pollUntil(() => heard, (n) => n > 0, 1_000, 5)).toBeGreaterThan(0);
      const before = heard;
      await service().enforce({ connectorId: id.p1, committedAt: new Date() });
      expect(heard).toBeGreaterThan(before);
    } finally {
      stop();
    }
  });

  it('answers as soon as every provider serving the connector\'s grants has acknowledged, however far within the wait', async () => {
    const revoked = await revokedConsumer({ p1: 30_000, p2: 20_000 });
    const started = Date.now();
    const answer = service(2_000).enforce(revoked);
    // The other replica dispatches and stores both acknowledgements a little later.
    expect(await pollUntil(async () => (await other.dispatchPending(10)).claimed, (claimed) => claimed.includes(revoked.seq), 3_000, 5)).toContain(revoked.seq);
    await other.recordAck(revoked.seq, id.p1, 'ack.p1');
    await other.recordAck(revoked.seq, id.p2, 'ack.p2');
    const view = (await answer)!;
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(view).toMatchObject({ connectorId: revoked.connectorId, complete: true, committedAt: revoked.committedAt.toISOString() });
    expect(view.enforcedBy).toBe(view.enforcedAt);
    expect(view.connectors.map((c) => [c.connectorId, c.role, c.state, c.service.ja]).sort()).toEqual([
      [id.p1, 'provider', 'enforced', 'provのサービス'], [id.p2, 'provider', 'enforced', 'provのサービス']].sort());
    const row = (await db.query(`SELECT committed_at, enforce_by, enforced_at, revoked_at FROM connector_revocation_outbox WHERE seq = $1`, [revoked.seq]))[0];
    expect(row.committed_at.toISOString()).toBe(view.committedAt);
    expect(row.enforced_at.toISOString()).toBe(view.enforcedAt);
    expect(row.enforce_by.toISOString()).toBe(view.enforcedBy);
    expect(view.revokedAt).toBe(row.revoked_at.toISOString());
    expect(Date.parse(view.revokedAt)).toBeLessThanOrEqual(revoked.committedAt.getTime());
  });

  it('without acknowledgements, answers after the wait: the staleness bound for a provider that follows revoked connectors in its feed, the grant\'s expiry for one that does not', async () => {
    const revoked = await revokedConsumer({ p1: 30_000, p2: 20_000 });
    await other.dispatchPending(10);
    const started = Date.now();
    const view = (await service().enforce(revoked))!;
    expect(Date.now() - started).toBeGreaterThanOrEqual(BOUNDS.waitMs - 50);
    expect(view).toMatchObject({ complete: false, enforcedAt: null });
    const at = Object.fromEntries(view.connectors.map((c) => [c.connectorId, c]));
    expect(at[id.p1]).toMatchObject({ state: 'pending', at: new Date(revoked.committedAt.getTime() + BOUNDS.stalenessSeconds * 1000).toISOString() });
    // p2 learns of it only by the push: until its grant expires (+ the 5 s clock tolerance), about 25 s from now.
    const p2End = Date.parse(at[id.p2].at) - revoked.committedAt.getTime();
    expect(p2End).toBeGreaterThan(23_000);
    expect(p2End).toBeLessThan(27_000);
    expect(view.enforcedBy).toBe(at[id.p2].at);
    // A push refused as invalid (an earlier connector does not know the event) leaves the grant's expiry as the bound, even for a connector asking for the feed entry.
    await db.query(`UPDATE revocation_deliveries SET failed_at = now(), last_error = 'event_invalid' WHERE outbox_seq = $1 AND connector_id = $2`, [revoked.seq, id.p1]);
    const later = (await service().statusOf(revoked.connectorId))!;
    const p1End = later.connectors.find((c) => c.connectorId === id.p1)!.at;
    expect(Date.parse(p1End) - revoked.committedAt.getTime()).toBeGreaterThan(30_000);
    expect(later.enforcedBy).toBe(p1End);
    // Once the moment has passed, the page shows the providers lapsed, and the same promise; a late acknowledgement completes it.
    clock.now = () => new Date(Date.parse(view.enforcedBy) + 40_000);
    try {
      const status = (await service().statusOf(revoked.connectorId))!;
      expect(status.connectors.map((c) => c.state)).toEqual(['lapsed', 'lapsed']);
    } finally {
      clock.now = () => systemClock.now();
    }
    await other.recordAck(revoked.seq, id.p1, 'ack.p1');
    await other.recordAck(revoked.seq, id.p2, 'ack.p2');
    expect(await service().statusOf(revoked.connectorId)).toMatchObject({ complete: true, enforcedAt: expect.any(String) });
  });

  it('is complete at once when no provider served the connector a live grant; bounded by its grants\' expiry while nobody has dispatched it', async () => {
    const idle = await revokedConsumer({ p1: -3_600_000 });
    const waiting = await revokedConsumer({ p1: 30_000 });
    const before = (await service(100).enforce(waiting))!;
    expect(before).toMatchObject({ complete: false, connectors: [] });
    const untilExpiry = Date.parse(before.enforcedBy) - waiting.committedAt.getTime();
    expect(untilExpiry).toBeGreaterThan(33_000);
    expect(untilExpiry).toBeLessThan(36_000);
    await other.dispatchPending(10);
    expect(await service().enforce(idle)).toMatchObject({ complete: true, connectors: [] });
    // A connector that was never revoked has no revocation to enforce.
    expect(await service().enforce({ connectorId: id.p1, committedAt: new Date() })).toBeUndefined();
    expect(await service().statusOf(id.p2)).toBeUndefined();
  });
});
