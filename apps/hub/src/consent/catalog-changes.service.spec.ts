import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import type { CatalogActor } from '../catalog/catalog-actor';
import { CatalogChangesService } from './catalog-changes.service';
import { consentFixture } from './testing/consent-fixtures';

const STEPS = 'misasa-health.daily-steps';
const VISITS = 'misasa-health.onsen-visits';
const SPENDING = 'cashless.monthly-spending';

/**
 * The catalog's lifecycle as it reaches residents, on the real PostgreSQL: a tenant writes a data
 * use, the providing tenant approves, residents consent; new terms pause the consents, a
 * suspension pauses them, a retirement ends them — each with its receipt — and every refusal is a
 * typed error that changes nothing.
 */
describe(CatalogChangesService.name, () => {
  let db: DataSource;
  let fx: Awaited<ReturnType<typeof consentFixture>>;
  const t: Record<string, string> = {};
  let admins: Record<string, CatalogActor>;
  let next = 0;
  const fresh = () => fx.residents[next++];
  let serial = 0;

  /** The form a tenant admin would send for a data use of demo-cashless over Misasa's two items. */
  function form(overrides: Record<string, unknown> = {}) {
    return {
      titleJa: '歩数ポイント', titleEn: 'Step points', purposeCode: 'step-points', purposeCategory: 'PersonalisedBenefits',
      purposeJa: '歩数に応じたポイントを付与するため。', purposeEn: 'To give points for steps.', items: [STEPS, VISITS], retentionDays: '90',
      consentValidDays: '365', controllerNameJa: '運営事務局', controllerNameEn: 'Office', controllerContact: 'privacy@cashless.example.jp',
      controllerType: 'private', privacyNoticeUrl: 'https://cashless.example.jp/privacy', ...overrides,
    };
  }

  /** A new data use of demo-cashless (tottori-pref), approved by Misasa unless `approve` is false. */
  async function writtenUse(approve = true, overrides: Record<string, unknown> = {}) {
    const code = `cashless.changes-${++serial}`;
    const [service] = await db.query(`SELECT id FROM services WHERE client_id = 'demo-cashless'`);
    const created = await fx.dataUses.create(admins.pref, t.pref, { ...form(overrides), code, consumerServiceId: service.id });
    const [agreement] = created.pendingAgreements;
    if (approve) await fx.changes.decideAgreement(admins.misasa, t.misasa, agreement, 'approve');
    return { code, id: created.id, agreement };
  }

  const stateOf = async (resident: string, code: string) => (await fx.service.listConsents(resident)).find((c) => c.dataUse.code === code)?.consent;

  beforeAll(async () => {
    db = await openTestDataSource([], 'catalogchanges');
    fx = await consentFixture(db, { residents: 30 });
    for (const [key, code] of [['pref', 'tottori-pref'], ['misasa', 'misasa'], ['kurayoshi', 'kurayoshi']]) {
      t[key] = (await db.query(`SELECT id FROM tenants WHERE code = $1`, [code]))[0].id;
    }
    const admin = async (tenant: string, login: string) => (await db.query(
      `INSERT INTO admin_accounts (tenant_id, login_id, display_name, password_hash, totp_secret_enc)
       VALUES ($1, $2, $2, 'x', 'x') RETURNING id`, [tenant, login]))[0].id;
    admins = {
      pref: { kind: 'admin', adminId: await admin(t.pref, 'pref-admin') },
      misasa: { kind: 'admin', adminId: await admin(t.misasa, 'misasa-admin') },
      kurayoshi: { kind: 'admin', adminId: await admin(t.kurayoshi, 'kurayoshi-admin') },
    };
  });
  afterAll(() => db?.destroy());

  it('offers a data use to residents only once every providing tenant approved it', async () => {
    const use = await writtenUse(false);
    const r = fresh();
    expect((await fx.service.listDataUses(r)).map((u) => u.dataUse.code)).not.toContain(use.code);
    await expect(fx.service.give(r, { dataUse: use.code }, 'portal-form')).rejects.toMatchObject({ code: 'data_use_not_found' });
    // The consumer's tenant and a third tenant cannot decide; approving twice is refused.
    await expect(fx.changes.decideAgreement(admins.pref, t.pref, use.agreement, 'approve')).rejects.toMatchObject({ code: 'agreement_not_found' });
    await expect(fx.changes.decideAgreement(admins.kurayoshi, t.kurayoshi, use.agreement, 'approve')).rejects.toMatchObject({ code: 'agreement_not_found' });
    await fx.changes.decideAgreement(admins.misasa, t.misasa, use.agreement, 'approve');
    await expect(fx.changes.decideAgreement(admins.misasa, t.misasa, use.agreement, 'approve')).rejects.toMatchObject({ code: 'agreement_transition_invalid' });
    await expect(fx.changes.decideAgreement(admins.misasa, t.misasa, use.agreement, 'suspend')).rejects.toMatchObject({ code: 'reason_required' });
    expect((await fx.service.give(r, { dataUse: use.code }, 'portal-form')).consent.state).toBe('active');
    const history = await fx.agreements.find(t.pref, use.agreement);
    expect(history).toMatchObject({ side: 'consumer', agreement: { state: 'approved', items: [STEPS, VISITS] } });
    expect(history!.history.map((e) => e.action)).toEqual(['approved', 'requested']);
    expect(await fx.agreements.find(t.kurayoshi, use.agreement)).toBeUndefined();
  });

  it('refuses bad data uses with typed errors and writes nothing', async () => {
    const [service] = await db.query(`SELECT id FROM services WHERE client_id = 'demo-cashless'`);
    const before = (await db.query(`SELECT count(*)::int AS n FROM data_uses`))[0].n;
    const attempt = (overrides: Record<string, unknown>, tenant = t.pref) =>
      fx.dataUses.create(admins.pref, tenant, { ...form(), code: 'cashless.bad-use', consumerServiceId: service.id, ...overrides });
    await expect(attempt({ items: ['nobody.nothing'] })).rejects.toMatchObject({ code: 'item_not_offered' });
    await expect(attempt({ items: [] })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(attempt({ retentionDays: '0' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(attempt({ retentionDays: '9999' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(attempt({ consentValidDays: '5000' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(attempt({ titleJa: '<b>太字</b>' })).rejects.toMatchObject({ code: 'invalid_request', details: [{ field: 'titleJa' }] });
    await expect(attempt({ purposeEn: 'a <script>' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(attempt({ purposeCategory: 'Marketing' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(attempt({ controllerType: 'government' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(attempt({ privacyNoticeUrl: 'javascript:alert(1)' })).rejects.toMatchObject({ code: 'invalid_request' });
    // Another tenant's service as the consumer.
    await expect(attempt({}, t.kurayoshi)).rejects.toMatchObject({ code: 'consumer_service_invalid' });
    await expect(attempt({ code: 'cashless.health-points' })).rejects.toMatchObject({ code: 'data_use_code_taken' });
    // An inactive offer.
    await db.query(`UPDATE data_offers SET status = 'withdrawn' WHERE code = $1`, ['misasa-health.checkup-summary']);
    await expect(attempt({ items: ['misasa-health.checkup-summary'] })).rejects.toMatchObject({ code: 'item_not_offered' });
    await db.query(`UPDATE data_offers SET status = 'active' WHERE code = $1`, ['misasa-health.checkup-summary']);
    expect((await db.query(`SELECT count(*)::int AS n FROM data_uses`))[0].n).toBe(before);
  });

  it('pauses consents when the terms change, with a receipt, and not when items are only dropped', async () => {
    const use = await writtenUse();
    const [a, b] = [fresh(), fresh()];
    await fx.service.give(a, { dataUse: use.code }, 'portal-form');
    await fx.service.give(b, { dataUse: use.code, items: [STEPS] }, 'portal-form');

    // Dropping an item: a new revision, nobody asked again, consents stay active and still cover what is left.
    const narrowed = await fx.changes.changeDataUse(admins.pref, t.pref, use.code, form({ items: [STEPS] }));
    expect(narrowed).toMatchObject({ revision: 2, needsConsent: false, paused: 0, pendingAgreements: [] });
    expect(await stateOf(a, use.code)).toMatchObject({ state: 'active', needsReconsent: false });
    expect(await fx.service.findActiveConsentCovering(a, use.id, [STEPS], 'step-points')).toBeDefined();

    // The purpose changes: both consents paused with a receipt saying why; the check refuses them.
    const changed = await fx.changes.changeDataUse(admins.pref, t.pref, use.code, form({ items: [STEPS], purposeJa: '歩数を健康づくりの記録に使うため。' }));
    expect(changed).toMatchObject({ revision: 3, needsConsent: true, paused: 2 });
    const paused = await stateOf(a, use.code);
    expect(paused).toMatchObject({ state: 'paused', event: 'paused', reason: 'terms_changed', needsReconsent: true });
    expect((await fx.service.receipt(a, paused!.receiptId)).receipt.collectionMethod).toBe('system');
    expect(await fx.service.findActiveConsentCovering(a, use.id, [STEPS], 'step-points')).toBeUndefined();
    expect((await fx.service.pendingRequests(a)).find((p) => p.dataUse.code === use.code)).toMatchObject({ reason: 'terms_changed' });
    // The same terms again: no revision, nobody paused.
    expect(await fx.changes.changeDataUse(admins.pref, t.pref, use.code, form({ items: [STEPS], purposeJa: '歩数を健康づくりの記録に使うため。' })))
      .toMatchObject({ revision: 3, paused: 0 });

    // The resident consents again, to the new terms.
    expect((await fx.service.give(a, { dataUse: use.code }, 'portal-form')).consent).toMatchObject({ state: 'active', dataUseRevision: 3 });

    // An item added needs the provider again: the use is not offered (nor re-consentable) until approved.
    const widened = await fx.changes.changeDataUse(admins.pref, t.pref, use.code, form({ items: [STEPS, VISITS], purposeJa: '歩数を健康づくりの記録に使うため。' }));
    expect(widened).toMatchObject({ revision: 4, needsConsent: true, paused: 1, pendingAgreements: [use.agreement] });
    await expect(fx.service.give(a, { dataUse: use.code }, 'portal-form')).rejects.toMatchObject({ code: 'data_use_not_found' });
    await fx.changes.decideAgreement(admins.misasa, t.misasa, use.agreement, 'approve');
    expect((await fx.service.give(a, { dataUse: use.code }, 'portal-form')).consent).toMatchObject({ state: 'active', dataUseRevision: 4, items: [STEPS, VISITS] });

    // Another tenant cannot change it.
    await expect(fx.changes.changeDataUse(admins.kurayoshi, t.kurayoshi, use.code, form())).rejects.toMatchObject({ code: 'data_use_not_found' });
  });

  it('pauses every consent when the provider suspends, lets residents consent again after it resumes, and ends them when it retires', async () => {
    const use = await writtenUse();
    const [a, b] = [fresh(), fresh()];
    await fx.service.give(a, { dataUse: use.code }, 'portal-form');
    await fx.service.give(b, { dataUse: use.code }, 'portal-form');

    const suspended = await fx.changes.decideAgreement(admins.misasa, t.misasa, use.agreement, 'suspend', '調査のため一時停止します');
    expect(suspended).toMatchObject({ consentsChanged: 2, agreement: { state: 'suspended', reason: '調査のため一時停止します' } });
    expect(await stateOf(a, use.code)).toMatchObject({ state: 'paused', reason: 'agreement_suspended' });
    await expect(fx.service.give(a, { dataUse: use.code }, 'portal-form')).rejects.toMatchObject({ code: 'data_use_not_found' });

    await fx.changes.decideAgreement(admins.misasa, t.misasa, use.agreement, 'resume');
    expect((await fx.service.give(a, { dataUse: use.code }, 'portal-form')).consent.state).toBe('active');

    const retired = await fx.changes.decideAgreement(admins.misasa, t.misasa, use.agreement, 'retire', '提供を終了します');
    // a was active again, b still paused: both end, with receipts, and for good.
    expect(retired.consentsChanged).toBe(2);
    for (const r of [a, b]) {
      const ended = await stateOf(r, use.code);
      expect(ended).toMatchObject({ state: 'ended', event: 'ended', reason: 'agreement_retired', needsReconsent: false });
      expect((await fx.service.receipt(r, ended!.receiptId)).receipt.event.state).toBe('ended');
    }
    await expect(fx.changes.decideAgreement(admins.misasa, t.misasa, use.agreement, 'resume')).rejects.toMatchObject({ code: 'agreement_transition_invalid' });
    // Asking again does not reopen a retired agreement.
    const again = await fx.changes.changeDataUse(admins.pref, t.pref, use.code, form({ purposeJa: '別の目的。' }));
    expect(again.pendingAgreements).toEqual([]);
    expect((await fx.agreements.find(t.misasa, use.agreement))!.agreement.state).toBe('retired');
  });

  it('ends every consent when the consumer retires the data use, and refuses changes after', async () => {
    const use = await writtenUse();
    const r = fresh();
    await fx.service.give(r, { dataUse: use.code }, 'portal-form');
    await expect(fx.changes.retireDataUse(admins.pref, t.pref, use.code, ' ')).rejects.toMatchObject({ code: 'reason_required' });
    await expect(fx.changes.retireDataUse(admins.kurayoshi, t.kurayoshi, use.code, '終了')).rejects.toMatchObject({ code: 'data_use_not_found' });
    expect(await fx.changes.retireDataUse(admins.pref, t.pref, use.code, 'サービス終了のため')).toMatchObject({ ended: 1 });
    expect(await stateOf(r, use.code)).toMatchObject({ state: 'ended', reason: 'data_use_retired' });
    await expect(fx.changes.changeDataUse(admins.pref, t.pref, use.code, form())).rejects.toMatchObject({ code: 'data_use_retired' });
    await expect(fx.changes.retireDataUse(admins.pref, t.pref, use.code, 'again')).rejects.toMatchObject({ code: 'data_use_retired' });
    expect((await fx.agreements.find(t.misasa, use.agreement))!.agreement.state).toBe('retired');
    await expect(fx.changes.decideAgreement(admins.misasa, t.misasa, use.agreement, 'approve')).rejects.toMatchObject({ code: 'data_use_retired' });
  });

  it('finishes after a crash what a suspension or retirement left undone (the sweep)', async () => {
    const [suspended, retired] = [await writtenUse(), await writtenUse()];
    const [a, b] = [fresh(), fresh()];
    await fx.service.give(a, { dataUse: suspended.code }, 'portal-form');
    await fx.service.give(b, { dataUse: retired.code }, 'portal-form');
    // The catalog committed; the hub died before the consents were swept.
    await fx.agreements.decide(admins.misasa, t.misasa, suspended.agreement, 'suspend', 'crash test');
    await fx.dataUses.retire(admins.pref, t.pref, retired.code, 'crash test');
    expect(await stateOf(a, suspended.code)).toMatchObject({ state: 'active' });
    expect(await fx.service.reconcileCatalog()).toBe(2);
    expect(await stateOf(a, suspended.code)).toMatchObject({ state: 'paused', reason: 'agreement_suspended' });
    expect(await stateOf(b, retired.code)).toMatchObject({ state: 'ended', reason: 'data_use_retired' });
    expect(await fx.service.reconcileCatalog()).toBe(0);
    await fx.changes.decideAgreement(admins.misasa, t.misasa, suspended.agreement, 'resume');
  });

  it('records every change in the audit chain with the admin who made it', async () => {
    const use = await writtenUse();
    const rows: { details: { action: string } }[] = await db.query(
      `SELECT details FROM audit_events WHERE type = 'admin.change' AND actor_id = ANY($1) AND subject = ANY($2) ORDER BY seq`,
      [[admins.pref, admins.misasa].map((a) => (a as { adminId: string }).adminId), [use.id, use.agreement]]);
    expect(rows.map((r) => r.details.action)).toEqual(['data_use.create', 'agreement.approve']);
  });

  it('asks a provider again for items it approved before, once the data use had dropped all of its items', async () => {
    const [service] = await db.query(`SELECT id FROM services WHERE client_id = 'demo-misasa-health'`);
    const created = await fx.dataUses.create(admins.misasa, t.misasa, { ...form({ items: [SPENDING, STEPS] }), code: 'misasa-health.dropped', consumerServiceId: service.id });
    for (const id of created.pendingAgreements) {
      const tenant = (await db.query(`SELECT provider_tenant_id FROM data_agreements WHERE id = $1`, [id]))[0].provider_tenant_id;
      await fx.changes.decideAgreement({ kind: 'system', name: 'spec' }, tenant, id, 'approve');
    }
    const prefAgreement = (await fx.agreements.listIncoming(t.pref)).find((a) => a.data_use_code === 'misasa-health.dropped')!;
    // Only Misasa's own item is left, then the prefecture's item comes back: the prefecture decides again.
    await fx.changes.changeDataUse(admins.misasa, t.misasa, 'misasa-health.dropped', form({ items: [STEPS] }));
    expect((await fx.agreements.find(t.pref, prefAgreement.id))!.agreement.items).toEqual([]);
    const back = await fx.changes.changeDataUse(admins.misasa, t.misasa, 'misasa-health.dropped', form({ items: [SPENDING, STEPS] }));
    expect(back.pendingAgreements).toEqual([prefAgreement.id]);
  });

  it('asks each providing tenant separately', async () => {
    const [service] = await db.query(`SELECT id FROM services WHERE client_id = 'demo-misasa-health'`);
    const created = await fx.dataUses.create(admins.misasa, t.misasa, { ...form({ items: [SPENDING, STEPS] }), code: 'misasa-health.mixed', consumerServiceId: service.id });
    expect(created.pendingAgreements).toHaveLength(2);
    const incoming = await fx.agreements.listIncoming(t.pref);
    expect(incoming.find((a) => a.data_use_code === 'misasa-health.mixed')).toMatchObject({ requested_items: [SPENDING], state: 'pending' });
  });
});
