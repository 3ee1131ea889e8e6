import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { consentReceiptSchema, type ConsentReceipt } from '@tsunagu/contracts';
import type { DataOfferRow, DataUseRow } from '../catalog/data-catalog.repository';
import { buildReceipt, lawfulBasisArticle, type ReceiptInput } from './receipt.builder';

const validate = addFormats(new Ajv({ allErrors: true, strict: false })).compile(consentReceiptSchema);
const CHECKUP = 'misasa-health.checkup-summary';
const STEPS = 'misasa-health.daily-steps';

function offer(code: string, specialCare: boolean): DataOfferRow {
  return {
    id: `offer-${code}`, tenant_id: 't', service_id: 's', code, name_ja: `${code}（名）`, name_en: `${code} (name)`, description_ja: '', description_en: '',
    special_care: specialCare, schema: {}, active: true, status: 'active', version: 1, max_window_days: null, connector_id: null,
    provider_client_id: 'demo-misasa-health', provider_name_ja: '三朝', provider_name_en: 'Misasa',
  };
}

function dataUse(over: Partial<DataUseRow> = {}): DataUseRow {
  return {
    id: 'use-1', tenant_id: 't', service_id: 's', code: 'cashless.health-points', revision: 1, title_ja: '健康ポイント', title_en: 'Health points',
    purpose_code: 'health-points', purpose_ja: 'ポイントを付与するため。', purpose_en: 'To give you points.', items: [STEPS, CHECKUP],
    retention_days: 365, consent_valid_days: 365, controller_name_ja: '事務局', controller_name_en: 'Office', controller_contact: 'privacy@example.jp',
    privacy_notice_url: 'https://example.jp/privacy', requires_verified_identity: false, kind: 'exchange', statistics: null, active: true, status: 'active', purpose_category: 'PersonalisedBenefits', controller_type: 'private',
    consent_revision: 1, approved: true, consumer_client_id: 'demo-cashless', consumer_name_ja: 'キャッシュレス', consumer_name_en: 'Cashless',
    consumer_sector: 'cashless.tottori-pref', ...over,
  };
}

function input(over: { items?: string[]; use?: Partial<DataUseRow>; version?: Partial<ReceiptInput['version']>; agreed?: ConsentReceipt; language?: 'ja' | 'en' } = {}): ReceiptInput {
  const at = new Date('2026-12-01T00:00:00Z');
  return {
    recordId: '0193a000-0000-7000-8000-000000000001', issuer: 'https://hub.test.example', principal: 'pairwise-sub',
    version: {
      consent_id: '0193a000-0000-7000-8000-000000000002', version: 1, state: 'active', event: 'given', items: over.items ?? [STEPS],
      purpose_code: 'health-points', valid_from: at, valid_until: new Date('2027-12-01T00:00:00Z'), data_use_revision: 1, created_at: at,
      language: over.language ?? 'ja', collection_method: 'portal-form', reason: null, ...over.version,
    },
    dataUse: dataUse(over.use),
    offers: new Map([[STEPS, offer(STEPS, false)], [CHECKUP, offer(CHECKUP, true)]]),
    chain: { sequence: 1, previousReceiptHash: null },
    agreed: over.agreed,
  };
}

describe(buildReceipt.name, () => {
  it('cites APPI Art. 27(1) for a private controller, in the resident\'s language, with the purpose category as a DPV purpose', () => {
    const receipt = buildReceipt(input({ language: 'en' }));
    expect(receipt.purposes).toEqual([{
      code: 'health-points', description: 'To give you points.',
      category: { code: 'PersonalisedBenefits', iri: 'https://w3id.org/dpv#PersonalisedBenefits' },
      lawfulBasis: {
        type: 'consent', jurisdiction: 'JP', law: 'APPI', article: '27(1)',
        description: 'Provision of personal data to a third party with the consent of the person (Act on the Protection of Personal Information, Art. 27(1))',
      },
    }]);
    expect(receipt.controllers).toEqual([{ name: 'Office', contact: 'privacy@example.jp', privacyNoticeUrl: 'https://example.jp/privacy', type: 'private' }]);
    expect(validate(receipt)).toBe(true);
  });

  it('says of a statistics data use that only aggregates leave the provider, and what withdrawing does', () => {
    const statistics = { item: STEPS, aggregate: 'mean' as const, groupBy: ['municipality' as const, 'month' as const], period: { from: '2026-01', to: '2026-12' }, k: 10 };
    const ja = buildReceipt(input({ items: [STEPS], use: { kind: 'statistics', statistics, items: [STEPS], controller_type: 'public' } }));
    expect(ja.processing).toEqual([
      { operation: 'aggregation-at-source', description: `提供元サービスのコネクタが、同意した住民の「${STEPS}（名）」から平均を市町村・月ごとに集計し、10人未満の区分を伏せた集計値だけを提供先に渡します。あなた個人の値は提供元の外に出ません。` },
      { operation: 'use', description: '提供先は、集計値だけを上記の目的の範囲で利用します。' },
    ]);
    expect(ja.withdrawal.description).toContain('撤回した後の集計には含まれません');
    const en = buildReceipt(input({ items: [STEPS], use: { kind: 'statistics', statistics, items: [STEPS] }, language: 'en' }));
    expect(en.processing[0].description).toContain(`computes the mean of "${STEPS} (name)" by municipality, month over the residents who opted in`);
    // An exchange keeps saying it is sent connector to connector.
    expect(buildReceipt(input()).processing.map((p) => p.operation)).toEqual(['third-party-provision', 'use']);
  });

  it('cites Art. 69(2)(i) for a public body (行政機関等)', () => {
    const receipt = buildReceipt(input({ use: { controller_type: 'public' } }));
    expect(receipt.purposes[0].lawfulBasis).toMatchObject({ article: '69(2)(i)', description: expect.stringContaining('第69条第2項第1号') });
    expect(receipt.controllers[0].type).toBe('public');
    expect(validate(receipt)).toBe(true);
  });

  it('adds Art. 20(2) for special care-required items only when the controller is a private business', () => {
    expect(buildReceipt(input({ items: [STEPS, CHECKUP] })).purposes[0].lawfulBasis.article).toBe('27(1), 20(2)');
    const publicReceipt = buildReceipt(input({ items: [STEPS, CHECKUP], use: { controller_type: 'public' } }));
    expect(publicReceipt.purposes[0].lawfulBasis.article).toBe('69(2)(i)');
    expect(publicReceipt.dataItems.find((i) => i.id === CHECKUP)?.specialCare).toBe(true);
    expect(lawfulBasisArticle('private', false)).toBe('27(1)');
  });

  it('says in the event why the platform paused or ended a consent, and restates the terms agreed to', () => {
    const given = buildReceipt(input());
    expect(given.event).not.toHaveProperty('reason');
    const paused = buildReceipt(input({
      version: { version: 2, state: 'paused', event: 'paused', collection_method: 'system', reason: 'terms_changed' },
      // The data use has a new controller type and category since: the receipt keeps what was agreed.
      use: { controller_type: 'public', purpose_category: 'ServiceUsageAnalytics' },
      agreed: given,
    }));
    expect(paused.event).toMatchObject({ type: 'paused', state: 'paused', reason: 'terms_changed' });
    expect(paused.purposes).toEqual(given.purposes);
    expect(paused.controllers).toEqual(given.controllers);
    expect(validate(paused)).toBe(true);
    const ended = buildReceipt(input({ version: { version: 3, state: 'ended', event: 'ended', collection_method: 'system', reason: 'data_use_retired' }, agreed: given }));
    expect(ended.event.reason).toBe('data_use_retired');
  });

  it('leaves receipts issued before these fields verifiable against the schema', () => {
    const receipt = buildReceipt(input());
    const { category: _category, ...purpose } = receipt.purposes[0];
    const { type: _type, ...controller } = receipt.controllers[0];
    expect(validate({ ...receipt, purposes: [purpose], controllers: [controller] })).toBe(true);
    expect(validate({ ...receipt, event: { ...receipt.event, reason: 'Not a code!' } })).toBe(false);
  });
});
