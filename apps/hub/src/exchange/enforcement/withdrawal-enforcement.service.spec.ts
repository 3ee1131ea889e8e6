import type { DataSource } from 'typeorm';
import { type Clock, systemClock } from '@tsunagu/common';
import { openTestDataSource } from '@tsunagu/testing';
import type { HubConfig } from '../../platform/config/hub.config';
import { ConnectRepository } from '../connect.repository';
import { EnforcementRepository } from './enforcement.repository';
import { RevocationSignals } from './revocation-signals';
import { WithdrawalEnforcementService } from './withdrawal-enforcement.service';

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
 * Enforce, then answer — against the real PostgreSQL, its triggers and notifications: a second
 * repository on its own connection plays the replica that dispatches and stores the
 * acknowledgements, so the waiting answer can only hear of them through the database.
 */
describe(WithdrawalEnforcementService.name, () => {
  let db: DataSource;
  let other: ConnectRepository;
  let signals: RevocationSignals;
  const id: Record<string, string> = {};
  const clock = { now: () => systemClock.now() } as Clock & { now: () => Date };

  async function one(sql: string, params: unknown[] = []): Promise<string> {
    return (await db.query(sql, params))[0].id;
  }

  function service(waitMs = WAIT_MS): WithdrawalEnforcementService {
    const config = { REVOCATION_ACK_WAIT_MS: waitMs, REVOCATION_STALENESS_SECONDS: STALENESS_S } as HubConfig;
    return new WithdrawalEnforcementService(new EnforcementRepository(db), signals, config, clock);
  }

  /** A withdrawal (version 2 of a new consent) committed, with the connectors that held or served a grant under it. */
  async function withdrawal(audiences: { connector: string; role: 'provider' | 'consumer'; expiresInMs: number }[]) {
    const consentId = (await db.query(`SELECT gen_random_uuid() AS id`))[0].id as string;
    // One current consent per resident and data use: each withdrawal is another resident's.
    const resident = await one(`INSERT INTO residents (common_id, login_id, password_hash, display_name)
      VALUES (lpad((random() * 1e15)::bigint::text, 16, '1'), 'r.' || gen_random_uuid(), 'x', 'R') RETURNING id`);
    const versionId = await one(`INSERT INTO consents (consent_id, version, tenant_id, resident_id, data_use_id, data_use_revision, state, event, items, purpose_code,
        valid_from, collection_method, language, created_at)
      VALUES ($1, 2, $2, $3, $4, 1, 'withdrawn', 'withdrawn', '{prov.steps}', 'p', now(), 'portal-api', 'ja', now()) RETURNING id`, [consentId, id.tenant, resident, id.use]);
    for (const a of audiences) {
      await other.recordGrantAudiences(consentId, [{ connectorId: id[a.connector], role: a.role }], new Date(Date.now() + a.expiresInMs));
    }
    const seq = (await db.query(`INSERT INTO consent_change_outbox (consent_version_id, consent_id, version, state, data_use_id, items, changed_at)
      VALUES ($1, $2, 2, 'withdrawn', $3, '{prov.steps}', now()) RETURNING seq::text AS seq`, [versionId, consentId, id.use]))[0].seq as string;
    return { consentId, seq, committedAt: new Date() };
  }

  beforeAll(async () => {
    db = await openTestDataSource([], 'enforce');
    other = new ConnectRepository(db);
    id.tenant = await one(`SELECT id FROM tenants WHERE code = 'misasa'`);
    for (const s of ['prov', 'cons']) {
      id[s] = await one(`INSERT INTO services (tenant_id, client_id, name_ja, name_en, sector_identifier, redirect_uris)
        VALUES ($1, $2, $3, $4, $2, '{https://a.example.jp/cb}') RETURNING id`, [id.tenant, `svc-${s}`, `${s}のサービス`, `${s} service`]);
    }
    await db.query(`INSERT INTO data_offers (tenant_id, service_id, code, name_ja, name_en, description_ja, description_en, schema)
      VALUES ($1, $2, 'prov.steps', 's', 's', 's', 's', '{}')`, [id.tenant, id.prov]);
    id.use = await one(`INSERT INTO data_uses (tenant_id, service_id, code, title_ja, title_en, purpose_code, purpose_ja, purpose_en, items, retention_days,
        controller_name_ja, controller_name_en, controller_contact, privacy_notice_url)
      VALUES ($1, $2, 'cons.use', 't', 't', 'p', 'p', 'p', '{prov.steps}', 30, 'c', 'c', 'c', 'https://a.example.jp') RETURNING id`, [id.tenant, id.cons]);
    for (const [name, svc] of [['p1', id.prov], ['c1', id.cons]]) {
      id[name] = await one(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, encryption_jwk, status, base_url)
        VALUES ($1, $2, $3, $4, $4, 'approved', 'http://127.0.0.1:1') RETURNING id`, [id.tenant, svc, name, JSON.stringify(JWK)]);
    }
    signals = new RevocationSignals({ DATABASE_URL: (db.options as { url: string }).url } as HubConfig);
    await signals.onApplicationBootstrap();
    expect(signals.listening).toBe(true);
  });

  afterAll(async () => {
    await signals?.onApplicationShutdown();
    await db?.destroy();
  });

  it('hears another connection\'s outbox row through the database notification, at commit', async () => {
    let heard = 0;
    const stop = signals.onOutbox(() => heard++);
    try {
      await withdrawal([]);
      await until(() => heard > 0, 1_000);
    } finally {
      stop();
    }
  });

  it('answers as soon as the provider and the consumer have acknowledged, however far within the wait', async () => {
    const change = await withdrawal([{ connector: 'p1', role: 'provider', expiresInMs: 30_000 }, { connector: 'c1', role: 'consumer', expiresInMs: 30_000 }]);
    const started = Date.now();
    const answer = service(2_000).enforce({ consentId: change.consentId, version: 2, committedAt: change.committedAt });
    // The other replica dispatches and stores both acknowledgements a little later.
    await new Promise((r) => setTimeout(r, 100));
    expect((await other.dispatchPending(10)).claimed).toContain(change.seq);
    await other.recordAck(change.seq, id.p1, 'ack.p1');
    await other.recordAck(change.seq, id.c1, 'ack.c1');
    const view = (await answer)!;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(view).toMatchObject({ consentId: change.consentId, version: 2, complete: true, committedAt: change.committedAt.toISOString() });
    expect(view.enforcedBy).toBe(view.enforcedAt);
    expect(view.connectors.map((c) => [c.connectorId, c.role, c.state, c.service.ja])).toEqual([
      [id.p1, 'provider', 'enforced', 'provのサービス'], [id.c1, 'consumer', 'enforced', 'consのサービス']]);
    const row = (await db.query(`SELECT committed_at, enforce_by, enforced_at FROM consent_change_outbox WHERE seq = $1`, [change.seq]))[0];
    expect(row.committed_at.toISOString()).toBe(view.committedAt);
    expect(row.enforced_at.toISOString()).toBe(view.enforcedAt);
    expect(row.enforce_by.toISOString()).toBe(view.enforcedBy);
  });

  it('without a provider\'s acknowledgement, answers after the wait with the staleness bound, or the grant\'s expiry when that is first', async () => {
    const long = await withdrawal([{ connector: 'p1', role: 'provider', expiresInMs: 30_000 }]);
    const short = await withdrawal([{ connector: 'p1', role: 'provider', expiresInMs: -4_000 }]);
    await other.dispatchPending(10);
    const started = Date.now();
    const [a, b] = await Promise.all([long, short].map((c) => service().enforce({ consentId: c.consentId, version: 2, committedAt: c.committedAt })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(WAIT_MS - 50);
    expect(a).toMatchObject({ complete: false, enforcedAt: null });
    expect(Date.parse(a!.enforcedBy)).toBe(long.committedAt.getTime() + STALENESS_S * 1000);
    expect(a!.connectors).toEqual([expect.objectContaining({ role: 'provider', state: 'pending', at: a!.enforcedBy })]);
    // The grant expired 4 s ago: with the 5 s clock tolerance, the provider accepts it for one more second only.
    const grantEnd = Date.parse(b!.enforcedBy) - short.committedAt.getTime();
    expect(grantEnd).toBeGreaterThan(0);
    expect(grantEnd).toBeLessThan(2_000);
    // The resident's page later shows the connector lapsed once that moment has passed, and the same promise.
    const later = service();
    clock.now = () => new Date(Date.parse(a!.enforcedBy) + 1);
    try {
      const status = (await later.statusOf(long.consentId, 2))!;
      expect(status.connectors[0].state).toBe('lapsed');
      expect(status.enforcedBy).toBe(a!.enforcedBy);
    } finally {
      clock.now = () => systemClock.now();
    }
    // A late acknowledgement completes it, and records the moment of full enforcement.
    await other.recordAck(long.seq, id.p1, 'ack.late');
    expect((await later.statusOf(long.consentId, 2))).toMatchObject({ complete: true, enforcedAt: expect.any(String) });
  });

  it('is complete when only a consumer has not acknowledged: its grant lapses, and the provider already refuses it', async () => {
    const change = await withdrawal([{ connector: 'p1', role: 'provider', expiresInMs: 30_000 }, { connector: 'c1', role: 'consumer', expiresInMs: 30_000 }]);
    await other.dispatchPending(10);
    await other.recordAck(change.seq, id.p1, 'ack.p1');
    const view = (await service().enforce({ consentId: change.consentId, version: 2, committedAt: change.committedAt }))!;
    expect(view.complete).toBe(true);
    const consumer = view.connectors.find((c) => c.role === 'consumer')!;
    expect(consumer.state).toBe('pending');
    expect(Date.parse(consumer.at)).toBeGreaterThan(Date.now() + 25_000);
  });

  it('is enforced at dispatch when no connector held a grant, and bounded by the staleness rule while nobody has dispatched it', async () => {
    const idle = await withdrawal([]);
    const waiting = await withdrawal([{ connector: 'p1', role: 'provider', expiresInMs: 30_000 }]);
    const before = await service(100).enforce({ consentId: waiting.consentId, version: 2, committedAt: waiting.committedAt });
    expect(before).toMatchObject({ complete: false, connectors: [] });
    expect(Date.parse(before!.enforcedBy)).toBe(waiting.committedAt.getTime() + STALENESS_S * 1000);
    await other.dispatchPending(10);
    const view = (await service().enforce({ consentId: idle.consentId, version: 2, committedAt: idle.committedAt }))!;
    expect(view).toMatchObject({ complete: true, connectors: [] });
    expect(await service().enforce({ consentId: idle.consentId, version: 3, committedAt: new Date() })).toBeUndefined();
  });

  it('sums up a catalog change\'s many consent changes for the admin: pending until every provider acknowledged, then complete', async () => {
    const enforcement = service();
    const mark = await enforcement.mark();
    const a = await withdrawal([{ connector: 'p1', role: 'provider', expiresInMs: 30_000 }]);
    const b = await withdrawal([{ connector: 'p1', role: 'provider', expiresInMs: 30_000 }]);
    await other.dispatchPending(10);
    await other.recordAck(a.seq, id.p1, 'ack.a');
    const committedAt = new Date();
    const pending = await enforcement.enforceDataUse(id.use, mark, committedAt);
    expect(pending).toMatchObject({ consents: 2, complete: false, providers: 1, enforcedAt: null });
    expect(Date.parse(pending.enforcedBy)).toBeGreaterThanOrEqual(b.committedAt.getTime() + STALENESS_S * 1000);
    await other.recordAck(b.seq, id.p1, 'ack.b');
    const done = await enforcement.enforceDataUse(id.use, mark, committedAt);
    expect(done).toMatchObject({ consents: 2, complete: true, providers: 1 });
    expect(done.enforcedBy).toBe(done.enforcedAt);
    expect(await enforcement.enforceDataUse(id.use, await enforcement.mark(), new Date())).toMatchObject({ consents: 0, complete: true, providers: 0 });
  });
});
