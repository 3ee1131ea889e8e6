import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import { DataUseRevisionsRepository } from '../catalog/data-use-revisions.repository';
import { consentFixture, TestClock } from '../consent/testing/consent-fixtures';
import { NoticesRepository } from './notices.repository';
import { NoticesService } from './notices.service';
import { TermsChangeService } from './terms-change.service';

const HEALTH_POINTS = 'cashless.health-points';
const ONSEN_SPENDING = 'misasa-health.onsen-spending';
const DAY = 86_400_000;

/**
 * What the catalog screens do before residents are asked (publish the offers, the providers
 * approve, revision 1 of the terms is recorded), done here in SQL: this spec is about the
 * resident's side only.
 */
async function openCatalog(db: DataSource): Promise<void> {
  await db.query(`UPDATE data_offers SET status = 'active'`);
  await db.query(`INSERT INTO data_agreements (data_use_id, consumer_tenant_id, provider_tenant_id, state, items, requested_items, requested_revision, decided_at)
    SELECT u.id, u.tenant_id, o.tenant_id, 'approved', array_agg(o.code), array_agg(o.code), u.revision, now()
    FROM data_uses u CROSS JOIN LATERAL unnest(u.items) AS item(code) JOIN data_offers o ON o.code = item.code
    GROUP BY u.id, u.tenant_id, o.tenant_id, u.revision ON CONFLICT DO NOTHING`);
  await db.query(`INSERT INTO data_use_revisions (data_use_id, revision, terms, needs_consent) SELECT id, revision, ${TERMS}, true FROM data_uses ON CONFLICT DO NOTHING`);
}

const TERMS = `jsonb_build_object('titleJa', title_ja, 'titleEn', title_en, 'purposeCode', purpose_code, 'purposeCategory', purpose_category,
  'purposeJa', purpose_ja, 'purposeEn', purpose_en, 'items', to_jsonb(items), 'retentionDays', retention_days, 'consentValidDays', consent_valid_days,
  'controllerNameJa', controller_name_ja, 'controllerNameEn', controller_name_en, 'controllerContact', controller_contact,
  'controllerType', controller_type, 'privacyNoticeUrl', privacy_notice_url)`;

describe(NoticesService.name, () => {
  let db: DataSource;
  let fx: Awaited<ReturnType<typeof consentFixture>>;
  let clock: TestClock;
  let notices: NoticesService;
  let repo: NoticesRepository;
  let terms: TermsChangeService;
  let taro: string;
  let hanako: string;

  beforeAll(async () => {
    db = await openTestDataSource([], 'notices');
    clock = new TestClock();
    fx = await consentFixture(db, { residents: 2, clock });
    await openCatalog(db);
    fx.catalog.invalidate();
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
    await db.query(`UPDATE data_uses SET revision = revision + 1, consent_revision = revision + 1, retention_days = 730, controller_type = 'public',
      purpose_ja = '健康ポイントと特典を付与するため。', updated_at = $2 WHERE code = $1`, [HEALTH_POINTS, clock.now()]);
    await db.query(`INSERT INTO data_use_revisions (data_use_id, revision, terms, needs_consent) SELECT id, revision, ${TERMS}, true FROM data_uses WHERE code = $1`, [HEALTH_POINTS]);
    fx.catalog.invalidate();
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
    expect(await fx.service.endAllForUse(fx.useId(ONSEN_SPENDING), 'data_use_retired')).toBe(1);
    const list = await notices.list(taro);
    expect(list.map((n) => [n.kind, n.dataUse, n.reason])).toEqual([['ended', ONSEN_SPENDING, 'data_use_retired'], ['paused', HEALTH_POINTS, 'terms_changed']]);
    expect(list[0]).toMatchObject({ actionRequired: false, link: `/portal/consents/${list[0].consentId}`, message: { ja: '利用先のサービスが、このデータ利用を終了しました' } });
    // An ended consent stops being news after 90 days; its history stays.
    expect((await repo.listForResident(taro, new Date(clock.now().getTime() + 91 * DAY))).map((n) => n.kind)).toEqual(['paused']);
  });

  it('tells a paused consent whose provider suspended it, linking to its history while the data use cannot be agreed to', async () => {
    await db.query(`UPDATE data_agreements SET state = 'suspended' WHERE data_use_id = $1`, [fx.useId(HEALTH_POINTS)]);
    fx.catalog.invalidate();
    expect(await notices.list(hanako)).toEqual([expect.objectContaining({ kind: 'paused', reason: 'terms_changed', actionRequired: false, link: expect.stringMatching(/^\/portal\/consents\//) })]);
    await db.query(`UPDATE data_agreements SET state = 'approved' WHERE data_use_id = $1`, [fx.useId(HEALTH_POINTS)]);
    fx.catalog.invalidate();
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
