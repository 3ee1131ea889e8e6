import type { DataSource } from 'typeorm';
import { type Clock, systemClock } from '@tsunagu/common';
import { openTestDataSource } from '@tsunagu/testing';
import type { HubConfig } from '../../platform/config/hub.config';
import { ConnectRepository } from '../connect.repository';
import { ConnectorsRepository } from '../connectors/connectors.repository';
import { ConnectorRevocationEnforcementService } from './connector-revocation-enforcement.service';
import { EnforcementRepository } from './enforcement.repository';
import { RevocationSignals } from './revocation-signals';

const JWK = { kty: 'EC', crv: 'P-256', x: 'x'.repeat(43), y: 'y'.repeat(43) };
const WAIT_MS = 400;
const STALENESS_S = 6;

/** Waits until `check` holds (real timers). */
async function until(check: () => boolean | Promise<boolean>, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A revoked connector enforced before the admin is told — against the real PostgreSQL, its
 * triggers and notifications: a second repository on its own connection plays the replica that
 * dispatches and stores the providers' acknowledgements.
 */
describe(ConnectorRevocationEnforcementService.name, () => {
  let db: DataSource;
  let other: ConnectRepository;
  let connectors: ConnectorsRepository;
  let signals: RevocationSignals;
  const id: Record<string, string> = {};
  const clock = { now: () => systemClock.now() } as Clock & { now: () => Date };
  let consentId: string;

  async function one(sql: string, params: unknown[] = []): Promise<string> {
    return (await db.query(sql, params))[0].id;
  }

  function service(waitMs = WAIT_MS): ConnectorRevocationEnforcementService {
    const config = { REVOCATION_ACK_WAIT_MS: waitMs, REVOCATION_STALENESS_SECONDS: STALENESS_S } as HubConfig;
    return new ConnectorRevocationEnforcementService(new EnforcementRepository(db), signals, config, clock);
  }

  /** A consumer connector that was issued grants served by `served` (provider name → expiry in ms), revoked now. */
  async function revokedConsumer(served: Record<string, number>): Promise<{ connectorId: string; seq: string; committedAt: Date }> {
    const connectorId = await one(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, encryption_jwk, status, base_url)
      VALUES ($1, $2, 'c-' || gen_random_uuid(), $3, $3, 'approved', 'http://127.0.0.1:1') RETURNING id`, [id.tenant, id.cons, JSON.stringify(JWK)]);
    for (const [provider, ms] of Object.entries(served)) {
      await db.query(`INSERT INTO grant_records (grant_id, consent_id, consent_version, consumer_connector_id, provider_connector_id, resident_id, items, data_use, purpose,
          issued_at, expires_at)
        VALUES (gen_random_uuid(), $1, 1, $2, $3, $4, '{prov.steps}', 'cons.use', 'p', now() + make_interval(secs => $5::float / 1000 - 30), now() + make_interval(secs => $5::float / 1000))`,
      [consentId, connectorId, id[provider], id.resident, ms]);
    }
    await db.transaction(async (tx) => {
      await connectors.lock(tx, id.tenant, connectorId);
      await connectors.revoke(tx, id.tenant, [connectorId], id.admin);
    });
    const seq = (await db.query(`SELECT seq::text AS seq FROM connector_revocation_outbox WHERE connector_id = $1`, [connectorId]))[0].seq as string;
    return { connectorId, seq, committedAt: new Date() };
  }

  beforeAll(async () => {
    db = await openTestDataSource([], 'revokeenforce');
    other = new ConnectRepository(db);
    connectors = new ConnectorsRepository(db);
    id.tenant = await one(`SELECT id FROM tenants WHERE code = 'misasa'`);
    id.admin = await one(`INSERT INTO admin_accounts (tenant_id, login_id, display_name, password_hash, totp_secret_enc) VALUES ($1, 'rc-admin', 'A', 'x', 'x') RETURNING id`, [id.tenant]);
    for (const s of ['prov', 'cons']) {
      id[s] = await one(`INSERT INTO services (tenant_id, client_id, name_ja, name_en, sector_identifier, redirect_uris)
        VALUES ($1, $2, $3, $4, $2, '{https://a.example.jp/cb}') RETURNING id`, [id.tenant, `svc-${s}`, `${s}のサービス`, `${s} service`]);
    }
    await db.query(`INSERT INTO data_offers (tenant_id, service_id, code, name_ja, name_en, description_ja, description_en, schema)
      VALUES ($1, $2, 'prov.steps', 's', 's', 's', 's', '{}')`, [id.tenant, id.prov]);
    id.use = await one(`INSERT INTO data_uses (tenant_id, service_id, code, title_ja, title_en, purpose_code, purpose_ja, purpose_en, items, retention_days,
        controller_name_ja, controller_name_en, controller_contact, privacy_notice_url)
      VALUES ($1, $2, 'cons.use', 't', 't', 'p', 'p', 'p', '{prov.steps}', 30, 'c', 'c', 'c', 'https://a.example.jp') RETURNING id`, [id.tenant, id.cons]);
    id.resident = await one(`INSERT INTO residents (common_id, login_id, password_hash, display_name) VALUES ('1234567890123456', 'r.one', 'x', 'R') RETURNING id`);
    consentId = (await db.query(`INSERT INTO consents (consent_id, version, tenant_id, resident_id, data_use_id, data_use_revision, state, event, items, purpose_code,
        valid_from, collection_method, language, created_at)
      VALUES (gen_random_uuid(), 1, $1, $2, $3, 1, 'active', 'given', '{prov.steps}', 'p', now(), 'portal-api', 'ja', now()) RETURNING consent_id`, [id.tenant, id.resident, id.use]))[0].consent_id;
    // p1 asks for revoked connectors in its feed (this version); p2 does not (an earlier one).
    for (const [name, extensions] of [['p1', ['connector-revoked']], ['p2', []]] as const) {
      id[name] = await one(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, encryption_jwk, status, base_url, feed_extensions)
        VALUES ($1, $2, $3, $4, $4, 'approved', 'http://127.0.0.1:1', $5) RETURNING id`, [id.tenant, id.prov, name, JSON.stringify(JWK), extensions]);
    }
    signals = new RevocationSignals({ DATABASE_URL: (db.options as { url: string }).url } as HubConfig);
    await signals.onApplicationBootstrap();
    expect(signals.listening).toBe(true);
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
      await until(() => heard > 0, 1_000);
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
    await until(async () => (await other.dispatchPending(10)).claimed.includes(revoked.seq));
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
    expect(Date.now() - started).toBeGreaterThanOrEqual(WAIT_MS - 50);
    expect(view).toMatchObject({ complete: false, enforcedAt: null });
    const at = Object.fromEntries(view.connectors.map((c) => [c.connectorId, c]));
    expect(at[id.p1]).toMatchObject({ state: 'pending', at: new Date(revoked.committedAt.getTime() + STALENESS_S * 1000).toISOString() });
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
