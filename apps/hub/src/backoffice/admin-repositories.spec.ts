import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { ConnectorsRepository } from '../exchange/connectors/connectors.repository';
import { DashboardRepository } from './dashboard/dashboard.repository';
import { ApiPermissionsRepository } from '../tenancy/permissions/api-permissions.repository';
import { AdminServicesRepository, type ServiceValues } from './services/admin-services.repository';

/**
 * The tenant-scoped repositories of the admin screens against the real PostgreSQL and the real
 * migrations: a method given tenant A's ID neither reads nor changes tenant B's rows.
 */
describe('Admin repositories (PostgreSQL)', () => {
  let db: DataSource;
  let services: AdminServicesRepository;
  let connectors: ConnectorsRepository;
  let permissions: ApiPermissionsRepository;
  const t: Record<string, string> = {};
  const values = (name: string): ServiceValues => ({
    name_ja: name, name_en: name, redirect_uris: ['https://a.example.jp/cb'], post_logout_redirect_uris: [], backchannel_logout_uri: null, token_endpoint_auth_method: 'none',
    jwks: null, grant_types: ['authorization_code'], scopes: ['openid'],
  });

  beforeAll(async () => {
    db = await openTestDataSource([], 'adminrepo');
    services = new AdminServicesRepository(db);
    connectors = new ConnectorsRepository(db);
    permissions = new ApiPermissionsRepository(db);
    for (const code of ['misasa', 'kurayoshi']) t[code] = (await db.query(`SELECT id FROM tenants WHERE code = $1`, [code]))[0].id;
  });
  afterAll(() => db?.destroy());

  it('keeps services, connectors and permissions inside their tenant', async () => {
    const a = await services.insert(db, t.misasa, 'svc-a', values('A'), null);
    const b = await services.insert(db, t.kurayoshi, 'svc-b', values('B'), null);
    if (typeof a === 'string' || typeof b === 'string') throw new Error('insert failed');
    expect(await services.find(t.misasa, b.id)).toBeUndefined();
    expect((await services.list(t.misasa)).map((s) => s.client_id)).toEqual(['svc-a']);
    await services.update(db, t.misasa, b.id, values('changed'), undefined);
    await services.softDelete(db, t.misasa, b.id);
    expect(await services.find(t.kurayoshi, b.id)).toMatchObject({ name_ja: 'B', active: true });

    const [c] = await db.query(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, base_url) VALUES ($1, $2, 'c-b', '{}', 'https://c.example.jp') RETURNING id`, [t.kurayoshi, b.id]);
    expect(await connectors.find(t.misasa, c.id)).toBeUndefined();
    await connectors.setStatus(db, t.misasa, c.id, 'revoked', '00000000-0000-4000-8000-000000000000');
    expect(await connectors.revokeForService(db, t.misasa, b.id, '00000000-0000-4000-8000-000000000000')).toBe(0);
    expect((await connectors.find(t.kurayoshi, c.id))?.status).toBe('pending');

    await db.query(`INSERT INTO services (tenant_id, client_id, name_ja, name_en, sector_identifier, redirect_uris) VALUES ($1, 'provider', 'P', 'P', 'p', '{}')`, [t.misasa]);
    const [offer] = await db.query(`INSERT INTO data_offers (tenant_id, service_id, code, name_ja, name_en, description_ja, description_en, schema)
      SELECT tenant_id, id, 'provider.item', 'I', 'I', 'd', 'd', '{}' FROM services WHERE client_id = 'provider' RETURNING id`);
    expect(await permissions.isPermitted(b.id, { id: offer.id })).toBe(false);
    const granted = await permissions.insert(db, t.kurayoshi, b.id, offer.id, null as never);
    expect(await permissions.insert(db, t.kurayoshi, b.id, offer.id, null as never)).toBe('exists');
    expect(await permissions.isPermitted(b.id, { code: 'provider.item' })).toBe(true);
    expect(await permissions.delete(db, t.misasa, granted)).toBeUndefined();
    expect(await permissions.list(t.misasa)).toEqual([]);
    expect(await permissions.list(t.kurayoshi)).toHaveLength(1);
    // A permission row cannot name another tenant's service as the consumer (composite foreign key).
    const [other] = await db.query(`INSERT INTO data_offers (tenant_id, service_id, code, name_ja, name_en, description_ja, description_en, schema)
      SELECT tenant_id, id, 'provider.other', 'O', 'O', 'd', 'd', '{}' FROM services WHERE client_id = 'provider' RETURNING id`);
    await expect(permissions.insert(db, t.misasa, b.id, other.id, null as never)).rejects.toMatchObject({ constraint: 'api_permissions_consumer_fk' });
    // Permissions hold only while the offer's service is active.
    await db.query(`UPDATE services SET active = false WHERE client_id = 'provider'`);
    expect(await permissions.isPermitted(b.id, { id: offer.id })).toBe(false);
  });

  it('refuses a second service of the same name in a tenant, and reserves client IDs for good', async () => {
    expect(await services.insert(db, t.misasa, 'svc-a2', values('A'), null)).toBe('duplicate_name');
    expect(await services.insert(db, t.kurayoshi, 'svc-a', values('Other'), null)).toBe('duplicate_client_id');
    expect(typeof await services.insert(db, t.kurayoshi, 'svc-a3', values('A'), null)).toBe('object');
  });

  it('reads the dashboard\'s figures per tenant, with zeros where nothing happened', async () => {
    const dashboard = new DashboardRepository(db);
    expect(await dashboard.summary(t.misasa)).toMatchObject({ services: 2, connectors: 0, permissions: 0, activeConsents: 0 });
    expect(await dashboard.summary(t.kurayoshi)).toMatchObject({ services: 2, connectors: 1, connectorsPending: 1, permissions: 1 });
    const days = await dashboard.activeConsentsByDay(t.misasa, 7);
    expect(days).toHaveLength(7);
    expect(days.every((d) => d.count === 0 && /^\d{4}-\d{2}-\d{2}$/.test(d.day))).toBe(true);
    expect(await dashboard.exchangesByDay(t.misasa, 7)).toHaveLength(7);
    expect(await dashboard.refusalsByReason(t.misasa, 7)).toEqual([]);
  });
});
