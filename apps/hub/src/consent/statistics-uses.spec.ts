import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import type { CatalogActor } from '../catalog/catalog-actor';
import { consentFixture } from './testing/consent-fixtures';

const STEPS = 'misasa-health.daily-steps';
const VISITS = 'misasa-health.onsen-visits';

/**
 * A data use of kind `statistics` (issue #20) on the real PostgreSQL: the provider declares with its
 * offer what it may be grouped by; the prefecture writes a statistics use within that, the provider
 * approves it as any agreement, residents opt in. Everything beyond what the offer allows is
 * refused with a typed code, audited, and writes nothing.
 */
describe('statistics data uses', () => {
  let db: DataSource;
  let fx: Awaited<ReturnType<typeof consentFixture>>;
  const t: Record<string, string> = {};
  let admins: Record<string, CatalogActor>;
  let cashless: string;
  let serial = 0;

  /** Mean daily steps per municipality and month over 2026, as the prefecture's EBPM office would write it. */
  function form(overrides: Record<string, unknown> = {}) {
    return {
      titleJa: '歩数の統計', titleEn: 'Step statistics', purposeCode: 'ebpm-steps', purposeCategory: 'ResearchAndDevelopment',
      purposeJa: '健康施策の立案のため、市町村・月ごとの平均歩数を集計します。', purposeEn: 'To plan health policy from mean steps per municipality and month.',
      items: [STEPS], retentionDays: '365', consentValidDays: '', controllerNameJa: '鳥取県', controllerNameEn: 'Tottori Prefecture',
      controllerContact: 'ebpm@pref.tottori.example.jp', controllerType: 'public', privacyNoticeUrl: 'https://pref.tottori.example.jp/ebpm',
      kind: 'statistics', statisticsAggregate: 'mean', statisticsGroupBy: ['municipality', 'month'], statisticsFrom: '2026-01', statisticsTo: '2026-12',
      statisticsK: '10', ...overrides,
    };
  }
  const create = (overrides: Record<string, unknown> = {}, code = `cashless.ebpm-${++serial}`) =>
    fx.dataUses.create(admins.pref, t.pref, { ...form(overrides), code, consumerServiceId: cashless });

  beforeAll(async () => {
    db = await openTestDataSource([], 'statisticsuses');
    fx = await consentFixture(db, { residents: 4 });
    for (const [key, code] of [['pref', 'tottori-pref'], ['misasa', 'misasa']]) t[key] = (await db.query(`SELECT id FROM tenants WHERE code = $1`, [code]))[0].id;
    const admin = async (tenant: string, login: string) => (await db.query(
      `INSERT INTO admin_accounts (tenant_id, login_id, display_name, password_hash, totp_secret_enc) VALUES ($1, $2, $2, 'x', 'x') RETURNING id`, [tenant, login]))[0].id;
    admins = { pref: { kind: 'admin', adminId: await admin(t.pref, 'pref-admin') }, misasa: { kind: 'admin', adminId: await admin(t.misasa, 'misasa-admin') } };
    cashless = (await db.query(`SELECT id FROM services WHERE client_id = 'demo-cashless'`))[0].id;
  });
  afterAll(() => db?.destroy());

  it('keeps what the provider declared with its offer', async () => {
    const rows = await db.query(`SELECT code, statistics FROM data_offers WHERE code = ANY($1) ORDER BY code`, [[STEPS, VISITS]]);
    expect(rows).toEqual([
      { code: STEPS, statistics: { numeric: true, maximum: 200000, dimensions: ['municipality', 'month'] } },
      { code: VISITS, statistics: null },
    ]);
  });

  it('writes a statistics use within the offer, asks the provider, and residents opt in to it', async () => {
    const created = await create({ statisticsEpsilon: '1' });
    const [row] = await db.query(`SELECT kind, statistics FROM data_uses WHERE id = $1`, [created.id]);
    expect(row).toEqual({
      kind: 'statistics',
      statistics: { item: STEPS, aggregate: 'mean', groupBy: ['municipality', 'month'], period: { from: '2026-01', to: '2026-12' }, k: 10, epsilon: 1 },
    });
    expect(created.pendingAgreements).toHaveLength(1);
    await fx.changes.decideAgreement(admins.misasa, t.misasa, created.pendingAgreements[0], 'approve');
    const resident = fx.residents[0];
    expect((await fx.service.listDataUses(resident)).map((u) => u.dataUse.code)).toContain(created.code);
    expect((await fx.service.give(resident, { dataUse: created.code }, 'portal-form')).consent.state).toBe('active');
  });

  it('refuses a definition beyond the offer, typed and audited, and writes nothing', async () => {
    const before = (await db.query(`SELECT count(*)::int AS n FROM data_uses`))[0].n;
    const refusal = async (overrides: Record<string, unknown>) => {
      const error = await create(overrides, 'cashless.ebpm-refused').then(() => undefined, (e: { code: string; details?: { field: string; problem: string }[] }) => e);
      return { code: error?.code, problems: (error?.details ?? []).map((d) => `${d.field}: ${d.problem.split(':')[0]}`) };
    };
    expect(await refusal({ statisticsGroupBy: ['municipality', 'age_band'] })).toEqual({ code: 'statistics_use_invalid', problems: ['statisticsGroupBy: dimension_not_offered'] });
    expect(await refusal({ statisticsK: '5' })).toEqual({ code: 'statistics_use_invalid', problems: ['statisticsK: k_below_floor'] });
    expect(await refusal({ items: [VISITS], statisticsAggregate: 'count' })).toEqual({ code: 'statistics_use_invalid', problems: ['items: statistics_item_not_offered'] });
    expect(await refusal({ items: [STEPS, VISITS] })).toEqual({ code: 'statistics_use_invalid', problems: ['items: a statistics data use aggregates exactly one item'] });
    expect(await refusal({ statisticsFrom: '2026-12', statisticsTo: '2026-01' })).toEqual({ code: 'statistics_use_invalid', problems: ['statisticsFrom: period_invalid'] });
    expect(await refusal({ statisticsAggregate: 'histogram' })).toEqual({ code: 'statistics_use_invalid', problems: ['statisticsBins: bins_invalid'] });
    expect(await refusal({ statisticsK: undefined })).toEqual({ code: 'statistics_use_invalid', problems: ['statisticsK: required for a statistics data use'] });
    expect(await refusal({ kind: 'exchange' })).toEqual({
      code: 'statistics_use_invalid',
      problems: ['statisticsAggregate', 'statisticsGroupBy', 'statisticsFrom', 'statisticsTo', 'statisticsK'].map((f) => `${f}: only a data use of kind statistics has a statistics definition`),
    });
    // The form's own schema refuses what is not a dimension at all.
    expect(await refusal({ statisticsGroupBy: ['resident_id'] })).toMatchObject({ code: 'invalid_request' });
    expect((await db.query(`SELECT count(*)::int AS n FROM data_uses`))[0].n).toBe(before);
    const audited = await db.query(
      `SELECT reason, details->>'problems' AS problems FROM audit_events WHERE type = 'admin.change' AND outcome = 'failure' AND details->>'action' = 'data_use.statistics_refused' ORDER BY seq`);
    expect(audited).toHaveLength(8);
    expect(audited[0]).toEqual({ reason: 'statistics_use_invalid', problems: expect.stringContaining('dimension_not_offered') });
  });

  it('keeps the kind fixed, and a new definition asks residents again', async () => {
    const created = await create();
    const { statisticsAggregate: _a, statisticsGroupBy: _g, statisticsFrom: _f, statisticsTo: _t, statisticsK: _k, ...exchange } = form();
    const code = created.code;
    await expect(fx.dataUses.change(admins.pref, t.pref, code, { ...exchange, kind: 'exchange' })).rejects.toMatchObject({ code: 'data_use_kind_fixed' });
    await expect(fx.dataUses.change(admins.pref, t.pref, code, { ...form(), statisticsGroupBy: 'age_band' })).rejects.toMatchObject({ code: 'statistics_use_invalid' });
    const changed = await fx.dataUses.change(admins.pref, t.pref, code, { ...form(), statisticsK: '20' });
    expect(changed).toMatchObject({ revision: 2, needsConsent: true });
    expect((await db.query(`SELECT statistics->>'k' AS k FROM data_uses WHERE id = $1`, [created.id]))[0].k).toBe('20');
    // As the admin form sends an exchange: every statistics field present and empty.
    const blank = { statisticsAggregate: '', statisticsBins: '', statisticsFrom: '', statisticsTo: '', statisticsK: '', statisticsEpsilon: '' };
    const exchangeUse = await fx.dataUses.create(admins.pref, t.pref, { ...exchange, ...blank, kind: 'exchange', code: `cashless.exchange-${serial}`, consumerServiceId: cashless });
    expect((await db.query(`SELECT kind, statistics FROM data_uses WHERE id = $1`, [exchangeUse.id]))[0]).toEqual({ kind: 'exchange', statistics: null });
    await expect(fx.dataUses.change(admins.pref, t.pref, exchangeUse.code, form())).rejects.toMatchObject({ code: 'data_use_kind_fixed' });
  });
});
