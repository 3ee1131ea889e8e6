import type { BilingualText } from './consent';

/**
 * Purpose categories of a data use: a closed list, each aligned with a W3C Data Privacy
 * Vocabulary (DPV 2.0) purpose concept (https://w3id.org/dpv#<code>). The code is what a data
 * use stores and a receipt carries; screens show the words.
 */
export const PURPOSE_CATEGORIES = {
  ServiceProvision: { ja: 'サービスの提供', en: 'Providing the service' },
  ServicePersonalisation: { ja: 'サービスの個別化（一人ひとりに合わせた表示など）', en: 'Personalising the service' },
  PersonalisedBenefits: { ja: 'ポイント・特典の付与', en: 'Points and personalised benefits' },
  CommunicationManagement: { ja: 'お知らせ・連絡', en: 'Communications' },
  ServiceUsageAnalytics: { ja: '利用状況の分析', en: 'Analysing how the service is used' },
  ResearchAndDevelopment: { ja: '研究・開発', en: 'Research and development' },
  IdentityVerification: { ja: '本人確認', en: 'Identity verification' },
  LegalCompliance: { ja: '法令上の義務の履行', en: 'Complying with a legal obligation' },
} as const satisfies Record<string, BilingualText>;
export type PurposeCategory = keyof typeof PURPOSE_CATEGORIES;
export const PURPOSE_CATEGORY_CODES = Object.keys(PURPOSE_CATEGORIES) as PurposeCategory[];

/** The IRI of a purpose category in DPV. */
export function dpvPurposeIri(category: PurposeCategory): string {
  return `https://w3id.org/dpv#${category}`;
}

/**
 * Who the controller of a data use is, and so under which article of the Act on the Protection of
 * Personal Information (APPI) the provision with the resident's consent happens: a private
 * business provides to a third party under Art. 27(1); an administrative organ or incorporated
 * administrative agency (行政機関等) under Art. 69(2)(i).
 */
export const CONTROLLER_TYPES = {
  private: {
    label: { ja: '民間事業者', en: 'Private business' },
    article: '27(1)',
    lawfulBasis: {
      ja: '個人情報の保護に関する法律第27条第1項に基づく、本人の同意による個人データの第三者提供',
      en: 'Provision of personal data to a third party with the consent of the person (Act on the Protection of Personal Information, Art. 27(1))',
    },
  },
  public: {
    label: { ja: '行政機関等', en: 'Public body (行政機関等)' },
    article: '69(2)(i)',
    lawfulBasis: {
      ja: '個人情報の保護に関する法律第69条第2項第1号に基づく、本人の同意による保有個人情報の提供',
      en: 'Provision of retained personal information with the consent of the person (Act on the Protection of Personal Information, Art. 69(2)(i))',
    },
  },
} as const;
export type ControllerType = keyof typeof CONTROLLER_TYPES;
export const CONTROLLER_TYPE_CODES = Object.keys(CONTROLLER_TYPES) as ControllerType[];

/** Why the system (not the resident) paused or ended a consent. */
export type ConsentChangeReason = 'terms_changed' | 'agreement_suspended' | 'agreement_retired' | 'data_use_retired' | 'offer_withdrawn'
  /** The data use requires a verified identity, and the resident's My Number card certificate was revoked… */
  | 'identity_certificate_revoked'
  /** …or expired: the verification lapsed (docs/jpki-hub.md "Verification for life"). */
  | 'identity_certificate_expired'
  /** The resident verified again with a valid card: a consent paused for one of the two reasons above is active again. */
  | 'identity_reverified'
  /** The tenant of the data use left the platform (docs/erasure.md "Tenants leaving"): every consent to its data uses is withdrawn. */
  | 'tenant_left';

/** Every {@link ConsentChangeReason}, in the order of the type (the database's check constraint lists the same). */
export const CONSENT_CHANGE_REASONS: readonly ConsentChangeReason[] = [
  'terms_changed', 'agreement_suspended', 'agreement_retired', 'data_use_retired', 'offer_withdrawn',
  'identity_certificate_revoked', 'identity_certificate_expired', 'identity_reverified', 'tenant_left',
];

/** The reasons that pause a consent because the resident's identity verification lapsed; a new verification resumes them. */
export const IDENTITY_LAPSE_REASONS: readonly ConsentChangeReason[] = ['identity_certificate_revoked', 'identity_certificate_expired'];

/** The words of each reason, as the resident reads them in the portal and its notices. */
export const CONSENT_CHANGE_REASON_LABELS: Record<ConsentChangeReason, BilingualText> = {
  terms_changed: { ja: '利用条件が変わりました', en: 'The terms changed' },
  agreement_suspended: { ja: '提供元の自治体等が、このデータ提供を一時停止しました', en: 'The providing organisation suspended this provision' },
  agreement_retired: { ja: '提供元の自治体等が、このデータ提供を終了しました', en: 'The providing organisation ended this provision' },
  data_use_retired: { ja: '利用先のサービスが、このデータ利用を終了しました', en: 'The recipient ended this data use' },
  offer_withdrawn: { ja: '提供元のサービスが、データの提供を終了しました', en: 'The providing service no longer offers the data' },
  identity_certificate_revoked: {
    ja: '本人確認に使ったマイナンバーカードの電子証明書が失効しました（氏名・住所の変更、カードの紛失や返納などによる）。新しいカードで本人確認をすると再開します',
    en: 'The certificate of the My Number card you verified with was revoked (a change of name or address, a lost or returned card). Verify again with your new card to resume',
  },
  identity_certificate_expired: {
    ja: '本人確認に使ったマイナンバーカードの電子証明書の有効期限が切れました。更新したカードで本人確認をすると再開します',
    en: 'The certificate of the My Number card you verified with has expired. Verify again with your renewed card to resume',
  },
  identity_reverified: { ja: '新しいカードで本人確認ができたため、再開しました', en: 'Resumed: you verified your identity again with a valid card' },
  tenant_left: { ja: '利用先の自治体等が基盤の利用を終了したため、同意を撤回しました', en: 'Withdrawn: the organisation using the data left the platform' },
};

/** States of a data offer in the catalog. */
export type OfferStatus = 'draft' | 'active' | 'withdrawn';
export const OFFER_STATUS_LABELS: Record<OfferStatus, BilingualText> = {
  draft: { ja: '下書き（未公開）', en: 'Draft (not published)' },
  active: { ja: '公開中', en: 'Published' },
  withdrawn: { ja: '公開終了', en: 'Withdrawn' },
};

/** States of an agreement (the provider tenant's approval of a data use over its offers). */
export type AgreementState = 'pending' | 'approved' | 'rejected' | 'suspended' | 'retired';
export const AGREEMENT_STATE_LABELS: Record<AgreementState, BilingualText> = {
  pending: { ja: '承認待ち', en: 'Awaiting approval' },
  approved: { ja: '承認済み', en: 'Approved' },
  rejected: { ja: '却下', en: 'Rejected' },
  suspended: { ja: '一時停止中', en: 'Suspended' },
  retired: { ja: '終了', en: 'Retired' },
};

/** States of a data use. */
export type DataUseStatus = 'active' | 'retired';

/**
 * What a data use does with the data: `exchange` has row-level data sent peer to peer under each
 * resident's consent; `statistics` has only aggregate cells computed at the provider's connector
 * (issue #20), never a per-resident value.
 */
export type DataUseKind = 'exchange' | 'statistics';
export const DATA_USE_KIND_LABELS: Record<DataUseKind, BilingualText> = {
  exchange: { ja: 'データ連携（個人のデータを受け取る）', en: 'Exchange (receives personal data)' },
  statistics: { ja: '統計（集計値のみ。個人のデータは受け取らない）', en: 'Statistics (aggregates only; no personal data is received)' },
};

/** The coarse dimensions a statistics data use may group by. */
export const STATISTICS_GROUPING_DIMENSIONS = ['municipality', 'age_band', 'month'] as const;
export type StatisticsGroupingDimension = (typeof STATISTICS_GROUPING_DIMENSIONS)[number];
export const STATISTICS_DIMENSION_LABELS: Record<StatisticsGroupingDimension, BilingualText> = {
  municipality: { ja: '市町村', en: 'Municipality' },
  age_band: { ja: '年齢階級（確認済みの生年月日から）', en: 'Age band (from the verified date of birth)' },
  month: { ja: '月', en: 'Month' },
};
export const STATISTICS_AGGREGATES = ['count', 'sum', 'mean', 'histogram'] as const;
export type StatisticsAggregateCode = (typeof STATISTICS_AGGREGATES)[number];
export const STATISTICS_AGGREGATE_LABELS: Record<StatisticsAggregateCode, BilingualText> = {
  count: { ja: '人数', en: 'Count of residents' },
  sum: { ja: '合計', en: 'Sum' },
  mean: { ja: '平均', en: 'Mean' },
  histogram: { ja: '度数分布（階級は固定）', en: 'Histogram (fixed bins)' },
};

/** What an offer lets a statistics data use do with its item (declared by the provider with the offer). */
export interface OfferStatisticsDeclaration {
  /** A number the statistics may sum and average; otherwise residents are only counted. */
  numeric: boolean;
  /** The largest monthly figure of one resident (needed to add noise to sums). */
  maximum?: number;
  /** The dimensions the provider can group its residents by. */
  dimensions: StatisticsGroupingDimension[];
}

/** JSON Schema of {@link OfferStatisticsDeclaration} (a connector's configuration, the seed, the offers API). */
export const offerStatisticsDeclarationSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    numeric: { type: 'boolean' },
    maximum: { type: 'number', exclusiveMinimum: 0, maximum: 1e9 },
    dimensions: { type: 'array', minItems: 1, maxItems: STATISTICS_GROUPING_DIMENSIONS.length, uniqueItems: true, items: { type: 'string', enum: STATISTICS_GROUPING_DIMENSIONS } },
  },
  required: ['numeric', 'dimensions'],
} as const;

/**
 * The form that writes a data use (create) or changes it (a new revision): strings as a form
 * sends them. `items` is one item code or several (checkboxes send the field once per box).
 */
export interface DataUseForm {
  code?: string;
  consumerServiceId?: string;
  titleJa: string;
  titleEn: string;
  purposeCode: string;
  purposeCategory: string;
  purposeJa: string;
  purposeEn: string;
  items: string | string[];
  retentionDays: string;
  /** Empty: valid until withdrawn. */
  consentValidDays?: string;
  controllerNameJa: string;
  controllerNameEn: string;
  controllerContact: string;
  controllerType: string;
  privacyNoticeUrl: string;
  /** `true` (a ticked checkbox): only residents verified with the My Number card may consent; absent: not required. */
  requiresVerifiedIdentity?: string;
  /** Absent: `exchange`. Chosen when the data use is written; a change cannot switch it. */
  kind?: string;
  /** A statistics data use's definition (required with kind `statistics`, refused otherwise). */
  statisticsAggregate?: string;
  statisticsGroupBy?: string | string[];
  /** A histogram's bin edges, increasing, comma-separated (e.g. `0,2000,5000,8000`). */
  statisticsBins?: string;
  /** First and last month counted, `YYYY-MM`. */
  statisticsFrom?: string;
  statisticsTo?: string;
  statisticsK?: string;
  /** Empty: no noise. */
  statisticsEpsilon?: string;
  csrf?: string;
}

/** Bounds of a data use's terms. */
export const DATA_USE_LIMITS = { retentionDays: { min: 1, max: 3650 }, consentValidDays: { min: 1, max: 1825 }, items: 50 } as const;

const plainLine = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, format: 'plain-line' }) as const;
const plainBlock = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, format: 'plain-block' }) as const;
const itemCode = { type: 'string', maxLength: 100, pattern: '^[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*$' } as const;
const dataUseFields = {
  titleJa: plainLine(100), titleEn: plainLine(100),
  purposeCode: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
  purposeCategory: { type: 'string', enum: PURPOSE_CATEGORY_CODES },
  purposeJa: plainBlock(1000), purposeEn: plainBlock(1000),
  items: { anyOf: [itemCode, { type: 'array', minItems: 1, maxItems: DATA_USE_LIMITS.items, items: itemCode }] },
  retentionDays: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' },
  consentValidDays: { type: 'string', pattern: '^([1-9][0-9]{0,3})?$' },
  controllerNameJa: plainLine(200), controllerNameEn: plainLine(200),
  controllerContact: plainLine(200),
  controllerType: { type: 'string', enum: CONTROLLER_TYPE_CODES },
  privacyNoticeUrl: { type: 'string', minLength: 1, maxLength: 500, format: 'uri', pattern: '^https?://' },
  requiresVerifiedIdentity: { type: 'string', enum: ['true'] },
  kind: { type: 'string', enum: ['exchange', 'statistics'] },
  // Every statistics field may come empty: the data use form always sends them, and an exchange leaves them blank.
  statisticsAggregate: { type: 'string', enum: ['', ...STATISTICS_AGGREGATES] },
  statisticsGroupBy: { anyOf: [{ type: 'string', enum: STATISTICS_GROUPING_DIMENSIONS }, { type: 'array', maxItems: 3, items: { type: 'string', enum: STATISTICS_GROUPING_DIMENSIONS } }] },
  statisticsBins: { type: 'string', maxLength: 300, pattern: '^(-?[0-9]{1,9}(\\.[0-9]{1,6})?)?(,-?[0-9]{1,9}(\\.[0-9]{1,6})?)*$' },
  statisticsFrom: { type: 'string', pattern: '^([0-9]{4}-(0[1-9]|1[0-2]))?$' },
  statisticsTo: { type: 'string', pattern: '^([0-9]{4}-(0[1-9]|1[0-2]))?$' },
  statisticsK: { type: 'string', pattern: '^([0-9]{1,5})?$' },
  statisticsEpsilon: { type: 'string', pattern: '^([0-9]{1,2}(\\.[0-9]{1,4})?)?$' },
  csrf: { type: 'string', maxLength: 200 },
} as const;
const dataUseRequired = ['titleJa', 'titleEn', 'purposeCode', 'purposeCategory', 'purposeJa', 'purposeEn', 'items', 'retentionDays',
  'controllerNameJa', 'controllerNameEn', 'controllerContact', 'controllerType', 'privacyNoticeUrl'] as const;

/** JSON Schema of the form that creates a data use: the code and the consumer service are chosen once. */
export const dataUseCreateFormSchema = {
  type: 'object', additionalProperties: false,
  properties: { code: { ...itemCode, minLength: 3 }, consumerServiceId: { type: 'string', format: 'uuid' }, ...dataUseFields },
  required: ['code', 'consumerServiceId', ...dataUseRequired],
} as const;

/** JSON Schema of the form that changes a data use's terms (a new revision). */
export const dataUseUpdateFormSchema = {
  type: 'object', additionalProperties: false, properties: dataUseFields, required: dataUseRequired,
} as const;

/** The form that decides on an agreement (reject, suspend, retire need a reason; approve and resume do not). */
export interface AgreementDecisionForm {
  reason?: string;
  confirm?: string;
  csrf?: string;
}

export const agreementDecisionFormSchema = {
  type: 'object', additionalProperties: false,
  properties: { reason: { type: 'string', maxLength: 500 }, confirm: { type: 'string', maxLength: 64 }, csrf: { type: 'string', maxLength: 200 } },
  required: [],
} as const;
