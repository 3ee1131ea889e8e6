import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { ConnectRepository } from './connect.repository';
import { insertConnectCatalog } from './testing/connect-catalog';
import { insertAdmin, insertConnector, insertGrantRecord, revokeConnector } from './testing/exchange-fixtures';

/** The connector API's SQL against the real PostgreSQL and the real migrations. */
describe(ConnectRepository.name, () => {
  let db: DataSource;
  let repo: ConnectRepository;
  const id: Record<string, string> = {};

  async function one(sql: string, params: unknown[] = []): Promise<string> {
    return (await db.query(sql, params))[0].id;
  }

  beforeAll(async () => {
    db = await openTestDataSource([], 'connectrepo');
    repo = new ConnectRepository(db);
    Object.assign(id, await insertConnectCatalog(db));
    id.resident = await one(`INSERT INTO residents (common_id, login_id, password_hash, display_name) VALUES ('1234567890123456', 'r.one', 'x', 'R') RETURNING id`);
    id.version = await one(`INSERT INTO consents (consent_id, version, tenant_id, resident_id, data_use_id, data_use_revision, state, event, items, purpose_code,
        valid_from, collection_method, language, created_at)
      VALUES (gen_random_uuid(), 2, $1, $2, $3, 1, 'withdrawn', 'withdrawn', '{prov.steps}', 'p', now(), 'portal-api', 'ja', now()) RETURNING id`,
    [id.tenant, id.resident, id.use]);
    for (const [name, service, status] of [['p1', id.prov, 'approved'], ['p2', id.prov, 'approved'], ['p3', id.prov, 'pending'], ['c1', id.cons, 'approved']]) {
      id[name] = await insertConnector(db, id.tenant, { service, name, status });
    }
  });
  afterAll(() => db?.destroy());

  it('dispatches each outbox row once, to every approved audience of a recent grant under the consent, even with racing dispatchers', async () => {
    const consentId = (await db.query(`SELECT consent_id FROM consents WHERE id = $1`, [id.version]))[0].consent_id;
    const inMs = (ms: number) => new Date(Date.now() + ms);
    await repo.recordGrantAudiences(consentId, [{ connectorId: id.p1, role: 'provider' }], inMs(30_000));
    await repo.recordGrantAudiences(consentId, [{ connectorId: id.p2, role: 'provider' }], inMs(-120_000)); // expired, within the grace
    await repo.recordGrantAudiences(consentId, [{ connectorId: id.p3, role: 'provider' }], inMs(30_000)); // not approved
    await repo.recordGrantAudiences(consentId, [{ connectorId: id.c1, role: 'provider' }], inMs(-3_600_000)); // expired long ago
    const seq = (await db.query(`INSERT INTO consent_change_outbox (consent_version_id, consent_id, version, state, data_use_id, items, changed_at)
      SELECT id, consent_id, version, state, data_use_id, items, created_at FROM consents WHERE id = $1 RETURNING seq::text AS seq`, [id.version]))[0].seq;
    const [a, b] = await Promise.all([repo.dispatchPending(10), repo.dispatchPending(10)]);
    const all = [...a.deliveries, ...b.deliveries];
    expect([...a.claimed, ...b.claimed]).toEqual([seq]);
    expect(all.map((d) => d.connectorId).sort()).toEqual([id.p1, id.p2].sort());
    expect(all.every((d) => d.outboxSeq === seq)).toBe(true);
    expect(await repo.dispatchPending(10)).toEqual({ claimed: [], deliveries: [] });
    const rows = await db.query(`SELECT id, unacked_revocations, oldest_unacked_revocation_at FROM connectors WHERE id = ANY($1) ORDER BY name`, [[id.p1, id.p2, id.p3, id.c1]]);
    expect(rows.map((r: { unacked_revocations: number }) => r.unacked_revocations)).toEqual([0, 1, 1, 0]);
    expect(rows[1].oldest_unacked_revocation_at).not.toBeNull();

    await repo.recordAck(seq, id.p1, 'ack.jws.here');
    expect(await repo.findAck(seq, id.p1)).toBe('ack.jws.here');
    expect((await db.query(`SELECT unacked_revocations, oldest_unacked_revocation_at FROM connectors WHERE id = $1`, [id.p1]))[0])
      .toEqual({ unacked_revocations: 0, oldest_unacked_revocation_at: null });
    expect(await repo.listOpenDeliveries(new Date(Date.now() + 1000), 10)).toEqual([{ outboxSeq: seq, connectorId: id.p2 }]);
  });

  it('keeps the latest expiry of an audience, tells whether a consent version is current, and prunes old audiences', async () => {
    const consentId = (await db.query(`SELECT consent_id FROM consents WHERE id = $1`, [id.version]))[0].consent_id;
    const later = new Date(Date.now() + 60_000);
    await repo.recordGrantAudiences(consentId, [{ connectorId: id.p1, role: 'provider' }], later);
    await repo.recordGrantAudiences(consentId, [{ connectorId: id.p1, role: 'provider' }], new Date(Date.now() + 1_000));
    const expiry = async (connector: string) => (await db.query(`SELECT expires_at FROM grant_audiences WHERE consent_id = $1 AND connector_id = $2`, [consentId, connector]))[0]?.expires_at;
    expect((await expiry(id.p1)).getTime()).toBe(later.getTime());
    // Version 1, superseded by version 2.
    await db.query(`INSERT INTO consents (consent_id, version, tenant_id, resident_id, data_use_id, data_use_revision, state, event, items, purpose_code,
        valid_from, collection_method, language, created_at, superseded_at)
      SELECT consent_id, 1, tenant_id, resident_id, data_use_id, 1, 'active', 'given', items, purpose_code, valid_from, collection_method, language, created_at, now()
      FROM consents WHERE id = $1`, [id.version]);
    expect(await repo.isCurrentConsentVersion(consentId, 2)).toBe(true);
    expect(await repo.isCurrentConsentVersion(consentId, 1)).toBe(false);
    expect(await repo.isCurrentConsentVersion(consentId, 3)).toBe(false);
    expect(await repo.pruneGrantAudiences()).toBe(1); // c1's, expired an hour ago
    expect(await expiry(id.c1)).toBeUndefined();
    expect(await expiry(id.p2)).toBeDefined();
  });

  it('writes a connector\'s last-seen and last-sync times at most every 5 s', async () => {
    const read = async () => (await db.query(`SELECT last_seen_at, last_revocation_sync_at FROM connectors WHERE id = $1`, [id.c1]))[0];
    await repo.touchLastSeen(id.c1);
    await repo.markRevocationSync(id.c1, new Date());
    const first = await read();
    expect(first.last_seen_at).not.toBeNull();
    expect(first.last_revocation_sync_at).not.toBeNull();
    await db.query(`UPDATE connectors SET last_seen_at = now() - interval '1 hour', last_revocation_sync_at = now() - interval '1 hour' WHERE id = $1`, [id.c1]);
    await repo.touchLastSeen(id.c1);
    await repo.markRevocationSync(id.c1, new Date());
    const second = await read();
    expect(Date.now() - second.last_seen_at.getTime()).toBeGreaterThan(3_000_000);
    expect(Date.now() - second.last_revocation_sync_at.getTime()).toBeGreaterThan(3_000_000);
    // Another replica (another repository) still writes when the row is older than 5 s.
    const replica = new ConnectRepository(db);
    await replica.touchLastSeen(id.c1);
    await replica.markRevocationSync(id.c1, new Date());
    const third = await read();
    expect(Date.now() - third.last_seen_at.getTime()).toBeLessThan(60_000);
    expect(Date.now() - third.last_revocation_sync_at.getTime()).toBeLessThan(60_000);
  });

  it('serves the feed of a providing service only, by cursor or by time', async () => {
    expect((await repo.feedFor(id.prov, { afterSeq: '0' }, 10)).map((r) => r.kind === 'consent' && r.state)).toEqual(['withdrawn']);
    expect(await repo.feedFor(id.cons, { afterSeq: '0' }, 10)).toEqual([]);
    expect(await repo.feedFor(id.prov, { since: new Date(Date.now() + 60_000) }, 10)).toEqual([]);
    expect(await repo.settledSeq(new Date(Date.now() - 60_000))).toBeUndefined();
    expect(await repo.settledSeq(new Date(Date.now() + 60_000))).toMatch(/^\d+$/);
  });

  it('finds the approved connector of a service that has an encryption key', async () => {
    expect([id.p1, id.p2]).toContain((await repo.findApprovedConnectorOfService(id.prov))?.id);
    await db.query(`UPDATE connectors SET encryption_jwk = NULL WHERE service_id = $1`, [id.cons]);
    expect(await repo.findApprovedConnectorOfService(id.cons)).toBeUndefined();
  });

  describe('a revoked connector', () => {
    let admin: string;
    let consentId: string;
    const connector = (name: string, service: string, status = 'approved') => insertConnector(db, id.tenant, { service, name, status });
    /** A grant record: `consumer` was issued a grant served by `provider`, expiring in `ms`. */
    const grant = (consumer: string, provider: string, ms: number) => insertGrantRecord(db, { consentId, version: 2, consumer, provider, resident: id.resident, expiresInMs: ms });
    const revoke = (connectorId: string) => revokeConnector(db, id.tenant, connectorId, admin);

    beforeAll(async () => {
      admin = await insertAdmin(db, id.tenant, 'rc-admin');
      consentId = (await db.query(`SELECT consent_id FROM consents WHERE id = $1`, [id.version]))[0].consent_id;
    });

    it('is dispatched once, to the approved providers that served it a grant live (or expired within the grace) at its revocation, even with racing dispatchers', async () => {
      const [consumer, live, graced, stale, pending] = [
        await connector('rc-consumer', id.cons), await connector('rc-live', id.prov), await connector('rc-graced', id.prov),
        await connector('rc-stale', id.prov), await connector('rc-pending', id.prov, 'pending'),
      ];
      await grant(consumer, live, 30_000);
      await grant(consumer, live, 10_000);
      await grant(consumer, graced, -120_000);
      await grant(consumer, stale, -3_600_000);
      await grant(consumer, pending, 30_000);
      await grant(live, graced, 30_000); // issued to another connector: not this revocation's business
      const before = Date.now();
      const [revoked] = await revoke(consumer);
      expect(revoked.connector_id).toBe(consumer);
      expect(revoked.revoked_at.getTime()).toBeGreaterThanOrEqual(before - 1_000);
      expect((await db.query(`SELECT status FROM connectors WHERE id = $1`, [consumer]))[0].status).toBe('revoked');
      // Revoking again writes nothing: revocation is final, and once.
      expect(await revoke(consumer)).toEqual([]);
      const seq = (await db.query(`SELECT seq::text AS seq FROM connector_revocation_outbox WHERE connector_id = $1`, [consumer]))[0].seq as string;

      const [a, b] = await Promise.all([repo.dispatchPending(10), repo.dispatchPending(10)]);
      expect([...a.claimed, ...b.claimed]).toEqual([seq]);
      expect([...a.deliveries, ...b.deliveries].map((d) => d.connectorId).sort()).toEqual([live, graced].sort());
      expect(await repo.dispatchPending(10)).toEqual({ claimed: [], deliveries: [] });
      const delivery = (await repo.findDelivery(seq, live))!;
      expect(delivery).toMatchObject({ kind: 'connector', revocation: { seq, connector_id: consumer, revoked_at: revoked.revoked_at } });
      expect((await db.query(`SELECT unacked_revocations FROM connectors WHERE id = $1`, [graced]))[0].unacked_revocations).toBe(1);

      // Acknowledged by one provider, then the other: the second records the moment of full enforcement.
      const enforced = async () => (await db.query(`SELECT enforced_at FROM connector_revocation_outbox WHERE seq = $1`, [seq]))[0].enforced_at;
      await repo.recordAck(seq, live, 'ack.live');
      expect(await enforced()).toBeNull();
      await repo.recordAck(seq, graced, 'ack.graced');
      expect(await enforced()).toBeInstanceOf(Date);
      expect(await repo.findAck(seq, graced)).toBe('ack.graced');
      expect((await db.query(`SELECT unacked_revocations FROM connectors WHERE id = $1`, [graced]))[0].unacked_revocations).toBe(0);
    });

    it('is enforced at dispatch when no provider served it a grant', async () => {
      const idle = await connector('rc-idle', id.cons);
      await revoke(idle);
      await repo.dispatchPending(10);
      const row = (await db.query(`SELECT dispatched_at, enforced_at FROM connector_revocation_outbox WHERE connector_id = $1`, [idle]))[0];
      expect(row.dispatched_at).toBeInstanceOf(Date);
      expect(row.enforced_at).toBeInstanceOf(Date);
    });

    it('is in the feed of a provider it was served by that asks for revoked connectors, in one order with the consent changes', async () => {
      const consumer = await connector('rc-feed-consumer', id.cons);
      const [served, other] = [await connector('rc-feed-served', id.prov), await connector('rc-feed-other', id.prov)];
      await grant(consumer, served, 30_000);
      const [revoked] = await revoke(consumer);
      const seq = (await db.query(`SELECT seq::text AS seq FROM connector_revocation_outbox WHERE connector_id = $1`, [consumer]))[0].seq as string;
      const entries = await repo.feedFor(id.prov, { afterSeq: '0' }, 100, served);
      expect(entries.filter((e) => e.kind === 'connector' && e.connector_id === consumer)).toEqual([
        { kind: 'connector', seq, connector_id: consumer, revoked_at: revoked.revoked_at, created_at: expect.any(Date) }]);
      // Positions only increase, whichever outbox they come from.
      expect(entries.map((e) => BigInt(e.seq))).toEqual([...entries.map((e) => BigInt(e.seq))].sort((x, y) => (x < y ? -1 : 1)));
      expect(entries.some((e) => e.kind === 'consent')).toBe(true);
      // Not for a connector that did not ask, nor for one that never served it; by time too.
      expect((await repo.feedFor(id.prov, { afterSeq: '0' }, 100)).some((e) => e.kind === 'connector')).toBe(false);
      expect((await repo.feedFor(id.prov, { afterSeq: '0' }, 100, other)).some((e) => e.kind === 'connector' && e.connector_id === consumer)).toBe(false);
      expect((await repo.feedFor(id.prov, { since: new Date(Date.now() - 60_000) }, 100, served)).map((e) => e.seq)).toContain(seq);
      // The settled position covers the connector outbox.
      expect(BigInt((await repo.settledSeq(new Date(Date.now() + 60_000)))!)).toBeGreaterThanOrEqual(BigInt(seq));
    });

    it('waits for a grant being recorded for it, and the grant path refuses it once revoked', async () => {
      const consumer = await connector('rc-race', id.cons);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let holding!: () => void;
      const isHolding = new Promise<void>((r) => (holding = r));
      const order: string[] = [];
      const granting = db.transaction(async (tx) => {
        expect(await repo.holdApprovedConnector(tx, consumer)).toBe(true);
        holding();
        await held;
        order.push('grant recorded');
      });
      await isHolding;
      const revoking = revoke(consumer).then(() => order.push('revoked'));
      // The revocation waits for the grant holding the row (its backend waits on a row lock).
      for (const end = Date.now() + 3_000; ;) {
        const waiting = await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (waiting.length) break;
        if (Date.now() > end) throw new Error('the revocation never waited for the grant');
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(order).toEqual([]);
      release();
      await Promise.all([granting, revoking]);
      expect(order).toEqual(['grant recorded', 'revoked']);
      expect(await db.transaction((tx) => repo.holdApprovedConnector(tx, consumer))).toBe(false);
    });

    it('remembers which feed extensions a connector asked for, writing only a change', async () => {
      const c = await connector('rc-ext', id.prov);
      const read = async () => (await db.query(`SELECT feed_extensions FROM connectors WHERE id = $1`, [c]))[0].feed_extensions;
      expect(await read()).toEqual([]);
      await repo.recordFeedExtensions(c, [], ['connector-revoked']);
      expect(await read()).toEqual(['connector-revoked']);
      expect((await repo.findConnector(c))!.feed_extensions).toEqual(['connector-revoked']);
      await repo.recordFeedExtensions(c, ['connector-revoked'], []);
      expect(await read()).toEqual([]);
    });
  });

  it('reverts and reapplies its migrations', async () => {
    const table = async (name: string) => (await db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = $1`, [name])).length;
    const column = async (tableName: string, name: string) => (await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = $2`, [tableName, name])).length;
    const last = async () => (await db.query(`SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1`))[0]?.name as string;
    /** Undoes migrations down to (and including) the named one, whatever was added after it. */
    const undoThrough = async (name: string) => {
      for (;;) {
        const undone = await last();
        await db.undoLastMigration();
        if (undone === name) return;
      }
    };
    // Newer migrations first, down to this module's.
    await undoThrough('ConnectorRevocationOutbox1764420000000');
    expect(await table('connector_revocation_outbox')).toBe(0);
    expect(await column('revocation_deliveries', 'kind')).toBe(0);
    expect(await column('connectors', 'feed_extensions')).toBe(0);
    // The consent deliveries keep their outbox's foreign key.
    expect((await db.query(`SELECT 1 FROM information_schema.table_constraints WHERE constraint_name = 'revocation_deliveries_outbox_fk'`)).length).toBe(1);
    await undoThrough('WithdrawalEnforcement1764400000000');
    expect(await column('consent_change_outbox', 'enforced_at')).toBe(0);
    expect(await column('grant_audiences', 'role')).toBe(0);
    await db.undoLastMigration();
    expect(await table('data_agreements')).toBe(0);
    expect(await table('api_permissions')).toBe(1);
    await db.undoLastMigration();
    expect(await column('services', 'backchannel_logout_uri')).toBe(0);
    await db.undoLastMigration();
    expect(await table('grant_records')).toBe(0);
    await db.undoLastMigration();
    expect(await table('grant_audiences')).toBe(0);
    await db.undoLastMigration();
    expect(await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'connectors' AND column_name = 'encryption_jwk'`)).toEqual([]);
    await db.runMigrations();
    expect(await table('revocation_deliveries')).toBe(1);
    expect(await table('grant_audiences')).toBe(1);
    expect(await table('grant_records')).toBe(1);
    expect(await column('services', 'backchannel_logout_uri')).toBe(1);
    expect(await table('data_agreements')).toBe(1);
    expect(await table('api_permissions')).toBe(0);
    expect(await column('grant_audiences', 'role')).toBe(1);
    expect(await table('connector_revocation_outbox')).toBe(1);
    expect(await column('revocation_deliveries', 'connector_outbox_seq')).toBe(1);
  });
});
