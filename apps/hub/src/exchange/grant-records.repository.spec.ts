import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { insertConnectCatalog } from './testing/connect-catalog';
import { GrantRecordsRepository, type NewGrantRecord } from './grant-records.repository';

const JWK = { kty: 'EC', crv: 'P-256', x: 'x'.repeat(43), y: 'y'.repeat(43) };
const DAY_MS = 86_400_000;

/** The grant records' SQL against the real PostgreSQL and the real migrations. */
describe(GrantRecordsRepository.name, () => {
  let db: DataSource;
  let repo: GrantRecordsRepository;
  const id: Record<string, string> = {};

  async function one(sql: string, params: unknown[] = []): Promise<string> {
    return (await db.query(sql, params))[0].id;
  }

  async function residentWithConsent(login: string): Promise<{ resident: string; consentId: string; versionId: string }> {
    const resident = await one(`INSERT INTO residents (common_id, login_id, password_hash, display_name)
      VALUES (lpad((random() * 1e15)::bigint::text, 16, '0'), $1, 'x', 'R') RETURNING id`, [login]);
    const row = (await db.query(`INSERT INTO consents (consent_id, version, tenant_id, resident_id, data_use_id, data_use_revision, state, event, items, purpose_code,
        valid_from, collection_method, language, created_at)
      VALUES (gen_random_uuid(), 1, $1, $2, $3, 1, 'active', 'given', '{prov.steps}', 'p', now(), 'portal-api', 'ja', now()) RETURNING id, consent_id`,
    [id.tenant, resident, id.use]))[0];
    return { resident, consentId: row.consent_id, versionId: row.id };
  }

  async function issued({ resident, ...over }: Partial<NewGrantRecord> & { resident: string; consentId: string }): Promise<NewGrantRecord> {
    const issuedAt = over.issuedAt ?? new Date();
    const g: NewGrantRecord = {
      grantId: randomUUID(), consentVersion: 1, consumerConnectorId: id.consumer, providerConnectorId: id.provider, residentId: resident,
      items: ['prov.steps'], dataUse: 'cons.use', purpose: 'p', issuedAt, expiresAt: new Date(issuedAt.getTime() + 30_000), ...over,
    };
    await db.transaction((tx) => repo.insert(tx, g));
    return g;
  }

  beforeAll(async () => {
    db = await openTestDataSource([], 'grantrecords');
    repo = new GrantRecordsRepository(db);
    Object.assign(id, await insertConnectCatalog(db));
    for (const [name, service] of [['provider', id.prov], ['consumer', id.cons], ['other', id.cons]]) {
      id[name] = await one(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, encryption_jwk, status, base_url)
        VALUES ($1, $2, $3, $4, $4, 'approved', 'http://127.0.0.1:1') RETURNING id`, [id.tenant, service, name, JSON.stringify(JWK)]);
    }
  });
  afterAll(() => db?.destroy());

  it('finds a grant for its consumer and its provider only, with the providing service and the consent version', async () => {
    const { resident, consentId, versionId } = await residentWithConsent('r.sides');
    const g = await issued({ resident, consentId });
    expect(await repo.findForConnector(g.grantId, id.consumer, 'consumer', 400)).toEqual({ ...g, providerServiceId: id.prov, consentVersionId: versionId });
    expect(await repo.findForConnector(g.grantId, id.provider, 'provider', 400)).toMatchObject({ grantId: g.grantId, consumerConnectorId: id.consumer });
    expect(await repo.findForConnector(g.grantId, id.provider, 'consumer', 400)).toBeUndefined();
    expect(await repo.findForConnector(g.grantId, id.consumer, 'provider', 400)).toBeUndefined();
    expect(await repo.findForConnector(g.grantId, id.other, 'consumer', 400)).toBeUndefined();
    expect(await repo.findForConnector(randomUUID(), id.consumer, 'consumer', 400)).toBeUndefined();
    expect(await repo.findForConnector('no-such-grant', id.consumer, 'consumer', 400)).toBeUndefined();
  });

  it('finds a grant for as many days after its issuance as it is asked to, and no longer', async () => {
    const { resident, consentId } = await residentWithConsent('r.window');
    const recent = await issued({ resident, consentId, issuedAt: new Date(Date.now() - 399 * DAY_MS) });
    const old = await issued({ resident, consentId, issuedAt: new Date(Date.now() - 401 * DAY_MS) });
    expect(await repo.findForConnector(recent.grantId, id.consumer, 'consumer', 400)).toBeDefined();
    expect(await repo.findForConnector(old.grantId, id.consumer, 'consumer', 400)).toBeUndefined();
    expect(await repo.findForConnector(old.grantId, id.consumer, 'consumer', 402)).toBeDefined();
  });

  it('refuses a record that names no consent version, and forgets a resident\'s records with the resident', async () => {
    const { resident, consentId } = await residentWithConsent('r.erased');
    await expect(issued({ resident, consentId, consentVersion: 2 })).rejects.toMatchObject({ constraint: 'grant_records_consent_fk' });
    const g = await issued({ resident, consentId });
    await db.query(`DELETE FROM residents WHERE id = $1`, [resident]);
    expect(await db.query(`SELECT 1 FROM grant_records WHERE grant_id = $1`, [g.grantId])).toEqual([]);
  });
});
