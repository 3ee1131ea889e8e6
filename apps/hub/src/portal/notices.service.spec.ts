import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import type { CatalogActor } from '../catalog/catalog-actor';
import { DataUseRevisionsRepository } from '../catalog/data-use-revisions.repository';
import { consentFixture, TestClock } from '../consent/testing/consent-fixtures';
import { NoticesRepository } from './notices.repository';
import { NoticesService } from './notices.service';
import { TermsChangeService } from './terms-change.service';

const HEALTH_POINTS = 'cashless.health-points';
const ONSEN_SPENDING = 'misasa-health.onsen-spending';
const DAY = 86_400_000;

/** The platform changing the catalog as a tenant admin would on the screens (same services). */
const SYSTEM: CatalogActor = { kind: 'system', name: 'notices-spec' };

describe(NoticesService.name, () => {
  let db: DataSource;
  let fx: Awaited<ReturnType<typeof consentFixture>>;
  let clock: TestClock;
  let notices: NoticesService;
  let repo: NoticesRepository;
  let terms: TermsChangeService;
  let taro: string;
  let hanako: string;
  const tenants: Record<string, string> = {};

  /** The data use's current terms as the screens' form sends them, with some changed. */
  async function form(code: string, overrides: Record<string, unknown>): Promise<Record<string, unknown>> {
    const [{ terms }] = await db.query(`SELECT r.terms FROM data_use_revisions r JOIN data_uses u ON u.id = r.data_use_id
      WHERE u.code = $1 ORDER BY r.revision DESC LIMIT 1`, [code]);
    const { requiresVerifiedIdentity, ...rest } = terms;
    return {
      ...rest, retentionDays: String(terms.retentionDays), consentValidDays: terms.consentValidDays ? String(terms.consentValidDays) : '',
      ...(requiresVerifiedIdentity ? { requiresVerifiedIdentity: 'true' } : {}), ...overrides,
    };
  }

  beforeAll(async () => {
    db = await openTestDataSource([], 'notices');
    clock = new TestClock();
    fx = await consentFixture(db, { residents: 2, clock });
    for (const code of ['tottori-pref', 'misasa']) tenants[code] = (await db.query(`SELECT id FROM tenants WHERE code = $1`, [code]))[0].id;
    repo = new NoticesRepository(db);
    notices = new NoticesService(repo, clock);
    terms = new TermsChangeService(fx.service, new DataUseRevisionsRepository(db));
    [taro, hanako] = fx.residents;
    await fx.service.give(taro, { dataUse: HEALTH_POINTS }, 'portal-form');
    await fx.service.give(taro, { dataUse: ONSEN_SPENDING }, 'portal-form');
    await fx.service.give(hanako, { dataUse: HEALTH_POINTS }, 'portal-form');
  });
  afterAll(() => db?.destroy());

  it('has nothing to tell while every consent is active and far from its expiry', async () => {
    expect(await notices.list(taro)).toEqual([]);
  });

  it('announces a consent 30 days before it expires, and not before', async () => {
    const validUntil = new Date(clock.now().getTime() + 365 * DAY);
    expect(await repo.listForResident(taro, new Date(validUntil.getTime() - 31 * DAY))).toEqual([]);
    const soon = await repo.listForResident(taro, new Date(validUntil.getTime() - 10 * DAY));
    expect(soon.map((n) => n.kind)).toEqual(['expiring', 'expiring']);
    expect(new Date(soon[0].at)).toEqual(validUntil);
    expect(new Date(soon[0].noticed_at)).toEqual(new Date(validUntil.getTime() - 30 * DAY));
    expect(await repo.listForResident(taro, new Date(validUntil.getTime() + DAY))).toEqual([]);
  });

  it('tells of changed terms at once, before and after the sweep pauses the consent, with a diff against the terms agreed to', async () => {
    clock.advanceDays(1);
    // The catalog change alone (as when the process stopped before pausing the consents): the notice is there already.
    const changed = await fx.dataUses.change(SYSTEM, tenants['tottori-pref'], HEALTH_POINTS,
      await form(HEALTH_POINTS, { retentionDays: '730', controllerType: 'public', purposeJa: '健康ポイントと特典を付与するため。' }));
    expect(changed).toMatchObject({ revision: 2, needsConsent: true });
    const before = await notices.list(taro);
    expect(before).toEqual([expect.objectContaining({
      kind: 'paused', dataUse: HEALTH_POINTS, reason: 'terms_changed', actionRequired: true, link: `/portal/data-uses/${HEALTH_POINTS}`,
      message: { ja: '利用条件が変わりました', en: 'The terms changed' },
    })]);
    expect(await fx.service.pauseOutdated(fx.useId(HEALTH_POINTS))).toBe(2);
    const after = await notices.list(taro);
    expect(after).toEqual([expect.objectContaining({ kind: 'paused', reason: 'terms_changed', at: clock.now().toISOString(), actionRequired: true })]);

    const page = await terms.dataUse(taro, HEALTH_POINTS);
    expect(page.consent).toMatchObject({ state: 'paused', reason: 'terms_changed', needsReconsent: true });
    expect(page.dataUse.controllerType).toMatchObject({ code: 'public', article: '69(2)(i)', name: { ja: '行政機関等' } });
    expect(page.termsChange).toMatchObject({ fromRevision: 1, toRevision: 2 });
    expect(page.termsChange!.differences.map((d) => d.term)).toEqual(['purpose', 'retentionDays', 'controllerType']);
    expect(page.termsChange!.differences[1]).toMatchObject({ before: { ja: '365日' }, after: { ja: '730日' } });
  });

  it('tells of an ended consent with its reason, newest first, with no way to decide again', async () => {
    clock.advanceDays(1);
    expect(await fx.changes.retireDataUse(SYSTEM, tenants.misasa, ONSEN_SPENDING, '表示機能を終了します')).toMatchObject({ ended: 1 });
    const list = await notices.list(taro);
    expect(list.map((n) => [n.kind, n.dataUse, n.reason])).toEqual([['ended', ONSEN_SPENDING, 'data_use_retired'], ['paused', HEALTH_POINTS, 'terms_changed']]);
    expect(list[0]).toMatchObject({ actionRequired: false, link: `/portal/consents/${list[0].consentId}`, message: { ja: '利用先のサービスが、このデータ利用を終了しました' } });
    // An ended consent stops being news after 90 days; its history stays.
    expect((await repo.listForResident(taro, new Date(clock.now().getTime() + 91 * DAY))).map((n) => n.kind)).toEqual(['paused']);
  });

  it('tells a paused consent whose provider suspended it, linking to its history while the data use cannot be agreed to', async () => {
    const [agreement] = await db.query(`SELECT id FROM data_agreements WHERE data_use_id = $1`, [fx.useId(HEALTH_POINTS)]);
    await fx.changes.decideAgreement(SYSTEM, tenants.misasa, agreement.id, 'suspend', '確認のため一時停止します');
    expect(await notices.list(hanako)).toEqual([expect.objectContaining({ kind: 'paused', reason: 'terms_changed', actionRequired: false, link: expect.stringMatching(/^\/portal\/consents\//) })]);
    await fx.changes.decideAgreement(SYSTEM, tenants.misasa, agreement.id, 'resume');
    expect(await notices.list(hanako)).toEqual([expect.objectContaining({ kind: 'paused', actionRequired: true, link: `/portal/data-uses/${HEALTH_POINTS}` })]);
  });

  it('drops the notice once the resident decides again, and never shows another resident\'s', async () => {
    expect((await notices.list(hanako)).map((n) => n.dataUse)).toEqual([HEALTH_POINTS]);
    await fx.service.give(hanako, { dataUse: HEALTH_POINTS, expectedVersion: 2 }, 'portal-form');
    expect(await notices.list(hanako)).toEqual([]);
    const after = await terms.dataUse(hanako, HEALTH_POINTS);
    expect(after.termsChange).toBeUndefined();
    expect((await notices.list(taro)).map((n) => n.kind)).toEqual(['ended', 'paused']);
  });
});
