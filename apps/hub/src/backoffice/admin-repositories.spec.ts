import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { ConnectorsRepository } from '../exchange/connectors/connectors.repository';
import { DashboardRepository } from './dashboard/dashboard.repository';
import { AgreementsRepository } from '../catalog/agreements.repository';
import { DataUsesRepository } from '../catalog/data-uses.repository';
import { AdminServicesRepository, type ServiceValues } from './services/admin-services.repository';

/**
 * The tenant-scoped repositories of the admin screens against the real PostgreSQL and the real
 * migrations: a method given tenant A's ID neither reads nor changes tenant B's rows.
 */
describe('Admin repositories (PostgreSQL)', () => {
  let db: DataSource;
  let services: AdminServicesRepository;
  let connectors: ConnectorsRepository;
  let agreements: AgreementsRepository;
  const t: Record<string, string> = {};
  const values = (name: string): ServiceValues => ({
    name_ja: name, name_en: name, redirect_uris: ['https://a.example.jp/cb'], post_logout_redirect_uris: [], backchannel_logout_uri: null, token_endpoint_auth_method: 'none',
    jwks: null, grant_types: ['authorization_code'], scopes: ['openid'],
  });

  beforeAll(async () => {
    db = await openTestDataSource([], 'adminrepo');
    services = new AdminServicesRepository(db);
    connectors = new ConnectorsRepository(db);
    agreements = new AgreementsRepository(db);
    for (const code of ['misasa', 'kurayoshi', 'tottori-pref']) t[code] = (await db.query(`SELECT id FROM tenants WHERE code = $1`, [code]))[0].id;
  });
  afterAll(() => db?.destroy());

  it('keeps services, connectors and agreements inside their tenants', async () => {
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
    await db.query(`INSERT INTO data_offers (tenant_id, service_id, code, name_ja, name_en, description_ja, description_en, schema, status)
      SELECT tenant_id, id, 'provider.item', 'I', 'I', 'd', 'd', '{}', 'active' FROM services WHERE client_id = 'provider'`);
    // Kurayoshi's service b asks for Misasa's item: the agreement is visible to both, decided by Misasa, unseen by a third tenant.
    const use = await new DataUsesRepository(db).insert(db, t.kurayoshi, b.id, 'svc-b.use', {
      titleJa: 'U', titleEn: 'U', purposeCode: 'p', purposeCategory: 'ServiceProvision', purposeJa: 'p', purposeEn: 'p', items: ['provider.item'], retentionDays: 30,
      consentValidDays: null, controllerNameJa: 'c', controllerNameEn: 'c', controllerContact: 'c', controllerType: 'private', privacyNoticeUrl: 'https://b.example.jp/privacy',
    });
    if (use === 'code_taken') throw new Error('insert failed');
    const asked = await agreements.request(db, { dataUseId: use, consumerTenantId: t.kurayoshi, providerTenantId: t.misasa, items: ['provider.item'], revision: 1 });
    expect(asked).toMatchObject({ pending: true, state: 'pending' });
    expect(await agreements.findVisible(t.misasa, asked.id)).toMatchObject({ state: 'pending', requested_items: ['provider.item'] });
    expect(await agreements.findVisible(t.kurayoshi, asked.id)).toBeDefined();
    expect(await agreements.findVisible(t['tottori-pref'], asked.id)).toBeUndefined();
    expect((await agreements.listIncoming(t.misasa)).map((a) => a.id)).toEqual([asked.id]);
    expect(await agreements.listIncoming(t.kurayoshi)).toEqual([]);
    expect((await agreements.listOutgoing(t.kurayoshi)).map((a) => a.id)).toEqual([asked.id]);
    expect(await agreements.listOutgoing(t.misasa)).toEqual([]);
    expect(await agreements.covers(db, use, t.misasa, ['provider.item'])).toBe(false);
    expect(await agreements.transition(db, asked.id, ['pending'], 'approved', null, null)).toBe('approved');
    expect(await agreements.transition(db, asked.id, ['pending'], 'approved', null, null)).toBeUndefined();
    expect(await agreements.covers(db, use, t.misasa, ['provider.item'])).toBe(true);
    // Approval is the provider tenant's: the same items from another tenant are not covered.
    expect(await agreements.covers(db, use, t.kurayoshi, ['provider.item'])).toBe(false);
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
