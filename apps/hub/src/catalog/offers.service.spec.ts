import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import type { AuditEvent } from '../audit/audit-event';
import type { AuditService } from '../audit/audit.service';
import type { Tx } from '../platform/database/sql';
import type { CatalogActor } from './catalog-actor';
import { OffersRepository } from './offers.repository';
import { type OfferDraft, OffersService } from './offers.service';

const JWK = { kty: 'EC', crv: 'P-256', x: 'x'.repeat(43), y: 'y'.repeat(43) };

function draft(code: string, over: Partial<OfferDraft> = {}): OfferDraft {
  return {
    code, nameJa: '1日ごとの歩数', nameEn: 'Daily steps', descriptionJa: '日ごとの歩数。', descriptionEn: 'Steps per day.', specialCare: false,
    schema: { type: 'array', maxItems: 90, items: { type: 'object', required: ['date', 'steps'], properties: { date: { type: 'string', format: 'date' }, steps: { type: 'integer' } } } },
    maxWindowDays: 90, ...over,
  };
}

/** OffersService against the real PostgreSQL and migrations; the audit rows go to a table of the test through the caller's transaction. */
describe(OffersService.name, () => {
  let db: DataSource;
  let offers: OffersService;
  const id: Record<string, string> = {};
  let admin: CatalogActor;
  let connector: CatalogActor;
  const system: CatalogActor = { kind: 'system', name: 'seed' };
  const provider = () => ({ id: id.prov, tenantId: id.tenantA });

  const one = async (sql: string, params: unknown[] = []) => (await db.query(sql, params))[0];
  const audits = async (code: string) => (await db.query(`SELECT type, actor, details FROM spec_audit WHERE details->>'code' = $1 ORDER BY seq`, [code])) as { type: string; actor: string; details: Record<string, unknown> }[];

  beforeAll(async () => {
    db = await openTestDataSource([], 'offers');
    await db.query(`CREATE TABLE spec_audit (seq serial PRIMARY KEY, type text, actor text, tenant_id uuid, details jsonb)`);
    const audit = {
      record: async (e: AuditEvent, tx?: Tx) => {
        if (!tx) throw new Error('audit outside the transaction');
        await tx.query(`INSERT INTO spec_audit (type, actor, tenant_id, details) VALUES ($1, $2, $3, $4)`, [e.type, `${e.actor.kind}:${e.actor.id}`, e.tenantId, JSON.stringify(e.details)]);
      },
    } as unknown as AuditService;
    offers = new OffersService(db, new OffersRepository(db), audit);
    id.tenantA = (await one(`SELECT id FROM tenants WHERE code = 'misasa'`)).id;
    id.tenantB = (await one(`SELECT id FROM tenants WHERE code = 'kurayoshi'`)).id;
    for (const [key, tenant] of [['prov', id.tenantA], ['prov2', id.tenantA], ['provB', id.tenantB], ['cons', id.tenantB]]) {
      id[key] = (await one(`INSERT INTO services (tenant_id, client_id, name_ja, name_en, sector_identifier, redirect_uris)
        VALUES ($1, $2, $2, $2, $2, '{https://a.example.jp/cb}') RETURNING id`, [tenant, `svc-${key}`])).id;
    }
    id.connector = (await one(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, status, base_url)
      VALUES ($1, $2, 'prov-connector', $3, 'pending', 'http://127.0.0.1:1') RETURNING id`, [id.tenantA, id.prov, JSON.stringify(JWK)])).id;
    id.admin = (await one(`INSERT INTO admin_accounts (tenant_id, login_id, display_name, password_hash, totp_secret_enc)
      VALUES ($1, 'offers-admin', '三朝 花子', 'x', 'x') RETURNING id`, [id.tenantA])).id;
    admin = { kind: 'admin', adminId: id.admin };
    connector = { kind: 'connector', connectorId: id.connector };
  });
  afterAll(() => db?.destroy());

  it('creates a new code as a draft offer with a draft version 1, then activates it into the catalog', async () => {
    const out = await offers.publish(connector, provider(), [draft('prov.steps')], { connectorId: id.connector });
    expect(out).toEqual([{ code: 'prov.steps', outcome: 'created', version: 1 }]);
    const row = await one(`SELECT status, version, active, connector_id FROM data_offers WHERE code = 'prov.steps'`);
    expect(row).toEqual({ status: 'draft', version: 1, active: false, connector_id: id.connector });
    expect((await offers.catalog()).map((o) => o.code)).not.toContain('prov.steps');

    await offers.activate(admin, id.tenantA, 'prov.steps', 1);
    const detail = await offers.find(id.tenantA, 'prov.steps');
    expect(detail).toMatchObject({ status: 'active', version: 1, draftVersion: null, connector: { id: id.connector, name: 'prov-connector' } });
    expect(detail!.versions).toMatchObject([{ version: 1, state: 'active', source: 'connector', activatedBy: { id: id.admin, name: '三朝 花子' } }]);
    const listed = (await offers.catalog()).find((o) => o.code === 'prov.steps');
    expect(listed).toMatchObject({ provider: { serviceId: id.prov, clientId: 'svc-prov' }, tenant: { id: id.tenantA, code: 'misasa' }, version: 1 });
    expect((await audits('prov.steps')).map((a) => [a.type, a.details.action])).toEqual([
      ['catalog.offer_published', 'offer.create'], ['admin.change', 'offer.activate'],
    ]);
  });

  it('answers unchanged for the same content, a new draft version for a change, and edits that draft in place', async () => {
    expect(await offers.publish(connector, provider(), [draft('prov.steps')])).toEqual([{ code: 'prov.steps', outcome: 'unchanged', version: 1 }]);
    const changed = draft('prov.steps', { nameJa: '歩数（日ごと）' });
    expect(await offers.publish(connector, provider(), [changed])).toEqual([{ code: 'prov.steps', outcome: 'new_version', version: 2 }]);
    expect(await offers.publish(connector, provider(), [changed])).toEqual([{ code: 'prov.steps', outcome: 'unchanged', version: 2 }]);
    const again = draft('prov.steps', { nameJa: '歩数（日ごと）', schema: { type: 'array', maxItems: 30 } });
    expect(await offers.publish(admin, provider(), [again])).toEqual([{ code: 'prov.steps', outcome: 'draft_updated', version: 2 }]);
    // The published version is untouched until the draft is activated.
    expect(await one(`SELECT name_ja, version FROM data_offers WHERE code = 'prov.steps'`)).toEqual({ name_ja: '1日ごとの歩数', version: 1 });
    await offers.activate(admin, id.tenantA, 'prov.steps', 2);
    const detail = (await offers.find(id.tenantA, 'prov.steps'))!;
    expect(detail).toMatchObject({ version: 2, name: { ja: '歩数（日ごと）' }, schema: { type: 'array', maxItems: 30 } });
    expect(detail.versions.map((v) => [v.version, v.state, v.source])).toEqual([[2, 'active', 'admin'], [1, 'superseded', 'connector']]);
  });

  it('refuses to activate anything but the draft, an unknown version, or another tenant\'s offer', async () => {
    await expect(offers.activate(admin, id.tenantA, 'prov.steps', 1)).rejects.toMatchObject({ code: 'offer_transition_invalid' });
    await expect(offers.activate(admin, id.tenantA, 'prov.steps', 2)).rejects.toMatchObject({ code: 'offer_transition_invalid' });
    await expect(offers.activate(admin, id.tenantA, 'prov.steps', 9)).rejects.toMatchObject({ code: 'offer_version_not_found' });
    await expect(offers.activate(admin, id.tenantB, 'prov.steps', 2)).rejects.toMatchObject({ code: 'offer_not_found' });
    await expect(offers.withdraw(admin, id.tenantB, 'prov.steps', 'x')).rejects.toMatchObject({ code: 'offer_not_found' });
    expect(await offers.find(id.tenantB, 'prov.steps')).toBeUndefined();
    expect((await offers.listForTenant(id.tenantB)).map((o) => o.code)).not.toContain('prov.steps');
  });

  it('keeps a code to its service forever: another service (of any tenant) publishing it is refused, nothing written', async () => {
    const before = await one(`SELECT count(*)::int AS n FROM data_offer_versions`);
    for (const service of [{ id: id.prov2, tenantId: id.tenantA }, { id: id.provB, tenantId: id.tenantB }]) {
      await expect(offers.publish(system, service, [draft('prov2.fresh'), draft('prov.steps')])).rejects.toMatchObject({ code: 'offer_code_taken' });
    }
    expect(await one(`SELECT count(*)::int AS n FROM data_offer_versions`)).toEqual(before);
    expect(await one(`SELECT count(*)::int AS n FROM data_offers WHERE code = 'prov2.fresh'`)).toEqual({ n: 0 });
  });

  it('refuses the whole publication when one schema does not compile, naming where', async () => {
    const bad = draft('prov.bad', { schema: { type: 'object', properties: { a: { type: 'strnig' } } } });
    const unknownKeyword = draft('prov.bad2', { schema: { type: 'string', maxLenght: 3 } });
    await expect(offers.publish(connector, provider(), [draft('prov.good'), bad, unknownKeyword])).rejects.toMatchObject({
      code: 'invalid_offer_schema', details: [expect.objectContaining({ field: 'offers/1/schema' }), expect.objectContaining({ field: 'offers/2/schema' })],
    });
    expect(await one(`SELECT count(*)::int AS n FROM data_offers WHERE code IN ('prov.good', 'prov.bad', 'prov.bad2')`)).toEqual({ n: 0 });
    await expect(offers.publish(connector, provider(), [draft('prov.html', { nameJa: '<b>歩数</b>' })])).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(offers.publish(connector, provider(), [draft('prov.twice'), draft('prov.twice')])).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('lets two racing publishers of the same new code create one offer with one draft', async () => {
    const racers = Array.from({ length: 6 }, (_, i) => offers.publish(connector, provider(), [draft('prov.raced', i % 2 ? { nameEn: `Steps ${i}` } : {})], { connectorId: id.connector }));
    const results = (await Promise.all(racers)).map((r) => r[0]);
    expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
    expect(results.every((r) => r.version === 1)).toBe(true);
    expect(await one(`SELECT count(*)::int AS n FROM data_offers WHERE code = 'prov.raced'`)).toEqual({ n: 1 });
    expect(await one(`SELECT count(*)::int AS n FROM data_offer_versions v JOIN data_offers o ON o.id = v.offer_id WHERE o.code = 'prov.raced'`)).toEqual({ n: 1 });
    // Two services racing for one new code: one wins, the other is told the code is taken.
    const settled = await Promise.allSettled([
      offers.publish(system, provider(), [draft('prov.contested')]), offers.publish(system, { id: id.provB, tenantId: id.tenantB }, [draft('prov.contested')]),
    ]);
    expect(settled.map((s) => s.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((settled.find((s) => s.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'offer_code_taken' });
  });

  it('lets two racing publishers of a changed offer make one new draft', async () => {
    const changed = (n: number) => draft('prov.steps', { nameEn: `Daily steps v${n}` });
    const results = (await Promise.all([1, 2, 3, 4].map((n) => offers.publish(connector, provider(), [changed(n)])))).map((r) => r[0]);
    expect(results.filter((r) => r.outcome === 'new_version')).toHaveLength(1);
    expect(new Set(results.map((r) => r.version))).toEqual(new Set([3]));
    expect(await one(`SELECT count(*)::int AS n FROM data_offer_versions v JOIN data_offers o ON o.id = v.offer_id WHERE o.code = 'prov.steps' AND v.state = 'draft'`)).toEqual({ n: 1 });
  });

  it('withdraws an offer: out of the catalog, its draft discarded, the data uses containing it returned; then final', async () => {
    const use = (await one(`INSERT INTO data_uses (tenant_id, service_id, code, title_ja, title_en, purpose_code, purpose_ja, purpose_en, items, retention_days,
        controller_name_ja, controller_name_en, controller_contact, privacy_notice_url)
      VALUES ($1, $2, 'cons.use', 't', 't', 'p', 'p', 'p', '{prov.steps}', 30, 'c', 'c', 'c', 'https://a.example.jp') RETURNING id`, [id.tenantB, id.cons])).id;
    await one(`INSERT INTO data_uses (tenant_id, service_id, code, title_ja, title_en, purpose_code, purpose_ja, purpose_en, items, retention_days,
        controller_name_ja, controller_name_en, controller_contact, privacy_notice_url, status)
      VALUES ($1, $2, 'cons.retired', 't', 't', 'p', 'p', 'p', '{prov.steps}', 30, 'c', 'c', 'c', 'https://a.example.jp', 'retired') RETURNING id`, [id.tenantB, id.cons]);
    await expect(offers.withdraw(admin, id.tenantA, 'prov.steps', '  ')).rejects.toMatchObject({ code: 'reason_required' });
    expect(await offers.withdraw(admin, id.tenantA, 'prov.steps', 'サービス終了のため')).toEqual({ dataUseIds: [use] });
    const detail = (await offers.find(id.tenantA, 'prov.steps'))!;
    expect(detail.status).toBe('withdrawn');
    expect(detail.versions.map((v) => v.state)).toEqual(['discarded', 'active', 'superseded']);
    expect((await offers.catalog()).map((o) => o.code)).not.toContain('prov.steps');
    await expect(offers.activate(admin, id.tenantA, 'prov.steps', 3)).rejects.toMatchObject({ code: 'offer_transition_invalid' });
    await expect(offers.withdraw(admin, id.tenantA, 'prov.steps', 'again')).rejects.toMatchObject({ code: 'offer_transition_invalid' });
    // A connector publishing it again at its next start changes nothing.
    expect(await offers.publish(connector, provider(), [draft('prov.steps', { nameEn: 'Back again' })])).toEqual([{ code: 'prov.steps', outcome: 'unchanged', version: 2 }]);
    expect((await offers.find(id.tenantA, 'prov.steps'))!.versions).toHaveLength(3);
    expect((await audits('prov.steps')).at(-1)).toMatchObject({ type: 'admin.change', details: { action: 'offer.withdraw', reason: 'サービス終了のため', dataUses: 1 } });
  });
});
