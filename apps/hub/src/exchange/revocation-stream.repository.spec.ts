import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { ConnectRepository } from './connect.repository';
import { insertConnectCatalog } from './testing/connect-catalog';

const JWK = { kty: 'EC', crv: 'P-256', x: 'x'.repeat(43), y: 'y'.repeat(43) };

/** The revocation stream's SQL (ConnectRepository) against the real PostgreSQL and the real migrations. */
describe(`${ConnectRepository.name} for the revocation stream`, () => {
  let db: DataSource;
  let repo: ConnectRepository;
  const id: Record<string, string> = {};
  const one = async (sql: string, params: unknown[] = []): Promise<string> => (await db.query(sql, params))[0].id;

  /** A consent version and its outbox row naming `items`; returns the row's seq. */
  async function change(login: string, items: string[]): Promise<string> {
    const resident = await one(`INSERT INTO residents (common_id, login_id, password_hash, display_name)
      VALUES (lpad((random() * 1e15)::bigint::text, 16, '0'), $1, 'x', 'R') RETURNING id`, [login]);
    const version = (await db.query(`INSERT INTO consents (consent_id, version, tenant_id, resident_id, data_use_id, data_use_revision, state, event, items, purpose_code,
        valid_from, collection_method, language, created_at)
      VALUES (gen_random_uuid(), 2, $1, $2, $3, 1, 'withdrawn', 'withdrawn', $4, 'p', now(), 'portal-api', 'ja', now()) RETURNING id, consent_id`,
    [id.tenant, resident, id.use, items]))[0];
    return (await db.query(`INSERT INTO consent_change_outbox (consent_version_id, consent_id, version, state, data_use_id, items, changed_at)
      VALUES ($1, $2, 2, 'withdrawn', $3, $4, now()) RETURNING seq::text AS seq`, [version.id, version.consent_id, id.use, items]))[0].seq;
  }

  beforeAll(async () => {
    db = await openTestDataSource([], 'revstream');
    repo = new ConnectRepository(db);
    Object.assign(id, await insertConnectCatalog(db));
    for (const [name, service, status] of [['provider', id.prov, 'approved'], ['suspended', id.prov, 'suspended'], ['consumer', id.cons, 'approved']]) {
      id[name] = await one(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, encryption_jwk, status, base_url)
        VALUES ($1, $2, $3, $4, $4, $5, 'http://127.0.0.1:1') RETURNING id`, [id.tenant, service, name, JSON.stringify(JWK), status]);
    }
  });
  afterAll(() => db?.destroy());

  it('reads the feed\'s head, and the changes after a position with the services they concern, in feed order', async () => {
    const start = await repo.feedHead();
    const first = await change('r.first', ['prov.steps']);
    const unoffered = await change('r.unoffered', ['nobody.offers-this']);
    const second = await change('r.second', ['prov.steps']);
    expect(await repo.feedHead()).toBe(second);
    const read = await repo.changesConcerned(start, second, 1_000);
    expect(read).toMatchObject({ all: false, more: false });
    expect(read.changes.map((c) => [c.seq, c.service_id, c.state, c.version])).toEqual([[first, id.prov, 'withdrawn', 2], [second, id.prov, 'withdrawn', 2]]);
    expect(read.changes.map((c) => c.seq)).not.toContain(unoffered);
    // Bounded: a burst larger than the limit says so (the stream then tells every connector to pull).
    expect(await repo.changesConcerned(start, second, 1)).toMatchObject({ more: true, changes: [{ seq: first }] });
    expect(await repo.changesConcerned(second, second, 1_000)).toEqual({ changes: [], all: false, more: false });
  });

  it('says when a connector revocation is among the changes', async () => {
    const start = await repo.feedHead();
    const seq = (await db.query(`INSERT INTO connector_revocation_outbox (connector_id, tenant_id, revoked_at) VALUES ($1, $2, now()) RETURNING seq::text AS seq`,
      [id.consumer, id.tenant]))[0].seq;
    expect(await repo.feedHead()).toBe(seq);
    expect(await repo.changesConcerned(start, seq, 1_000)).toEqual({ changes: [], all: true, more: false });
  });

  it('records the streams\' syncs in one statement, and returns only the connectors still approved', async () => {
    const at = new Date(Date.now() - 1_000);
    expect((await repo.markStreamsSynced([id.provider, id.suspended], at)).sort()).toEqual([id.provider]);
    const { rows } = { rows: await db.query(`SELECT id, last_revocation_sync_at FROM connectors WHERE id = ANY($1::uuid[])`, [[id.provider, id.suspended]]) };
    const synced = new Map(rows.map((r: { id: string; last_revocation_sync_at: Date | null }) => [r.id, r.last_revocation_sync_at?.getTime()]));
    expect(synced.get(id.provider)).toBe(at.getTime());
    expect(synced.get(id.suspended)).toBeUndefined();
    // An older moment never moves the record back.
    await repo.markStreamsSynced([id.provider], new Date(at.getTime() - 60_000));
    expect((await db.query(`SELECT last_revocation_sync_at FROM connectors WHERE id = $1`, [id.provider]))[0].last_revocation_sync_at.getTime()).toBe(at.getTime());
    expect(await repo.markStreamsSynced([], at)).toEqual([]);
  });
});
