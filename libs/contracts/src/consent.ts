import type { JSONSchemaType } from 'ajv';
import type { ConsentChangeReason, ControllerType, PurposeCategory } from './catalog';
import { ErrorReason } from './errors';

/** A text in both languages of the platform: Japanese first, English alongside. */
export interface BilingualText {
  ja: string;
  en: string;
}

/**
 * The states of one consent version (ARCHITECTURE.md §4).
 * - `active`: the resident opted in; data may flow within its items, purpose and validity.
 * - `withdrawn`: the resident opted out (オプトアウト). Final until the resident opts in again.
 * - `expired`: the validity period ended.
 * - `paused`: the data use changed its terms, or the provider suspended its agreement; nothing
 *   flows, and the resident is asked again (see the version's `reason`).
 * - `ended`: the recipient retired the data use, or the provider retired its agreement: neither
 *   the resident's withdrawal nor an expiry. Final.
 */
export type ConsentState = 'active' | 'withdrawn' | 'expired' | 'paused' | 'ended';
export const CONSENT_STATES: readonly ConsentState[] = ['active', 'withdrawn', 'expired', 'paused', 'ended'];

/**
 * The event a consent version (and its receipt) records, in the vocabulary of ISO/IEC TS 27560:
 * consent given (also when the resident changes the items of an active consent), withdrawn,
 * expired, or paused pending re-consent.
 */
export type ConsentEventType = 'given' | 'withdrawn' | 'expired' | 'paused' | 'ended';

/** How the decision reached the hub (TS 27560 "collection method"). */
export type CollectionMethod = 'portal-form' | 'portal-api' | 'system';

/** Pattern of item codes: `<provider>.<item>` in lower case, e.g. `misasa-health.daily-steps`. */
export const ITEM_CODE_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*$';
/** Pattern of data use codes (same shape as item codes: `<consumer>.<use>`). */
export const DATA_USE_CODE_PATTERN = ITEM_CODE_PATTERN;

/** One item a providing service offers (a data offer), with the JSON Schema its data follows. */
export interface DataItemView {
  /** Stable code, e.g. `misasa-health.daily-steps`. */
  code: string;
  name: BilingualText;
  description: BilingualText;
  /** Special care-required personal information (要配慮個人情報, APPI Art. 2(3)), e.g. health checkups. */
  specialCare: boolean;
  /** The service that holds the data and would provide it. */
  provider: { clientId: string; name: BilingualText };
}

/** A data use: what a consuming service asks residents for, and on what terms. */
export interface DataUseView {
  /** Stable code, e.g. `cashless.health-points`. */
  code: string;
  /** Bumped whenever the items or the purpose change; consents given to an older revision are paused. */
  revision: number;
  title: BilingualText;
  purpose: { code: string; description: BilingualText };
  items: DataItemView[];
  /** How long the recipient keeps the data it receives, in days. */
  retentionDays: number;
  /** How long a consent stays valid, in days; null = until withdrawn. */
  consentValidDays: number | null;
  controller: { name: BilingualText; contact: string };
  /** The purpose category (a closed list aligned with W3C DPV), with its words and DPV IRI. */
  purposeCategory: { code: PurposeCategory; name: BilingualText; iri: string };
  /**
   * Whether the controller is a private business or a public body (行政機関等), in words, and the
   * lawful basis that follows: APPI Art. 27(1) or Art. 69(2)(i) (`article`), stated on every
   * consent screen and in every receipt.
   */
  controllerType: { code: ControllerType; name: BilingualText; article: string; lawfulBasis: BilingualText };
  privacyNoticeUrl: string;
  /**
   * Only residents whose identity is verified with the My Number card may consent, and their
   * consents pause when that verification lapses (the card's certificate revoked or expired).
   */
  requiresVerifiedIdentity: boolean;
  /** The service that asks (the recipient). */
  consumer: { clientId: string; name: BilingualText };
  /**
   * Set for a data use of kind `statistics` (issue #20): the provider's connector computes this
   * aggregate of the item over the residents who opted in and releases only groups of at least `k`
   * residents; nothing about one resident leaves the provider. Absent: an exchange.
   */
  statistics?: DataUseStatisticsView;
}

/** What a statistics data use counts, in words and codes (the portal, the receipts, the API). */
export interface DataUseStatisticsView {
  aggregate: { code: string; name: BilingualText };
  groupBy: { code: string; name: BilingualText }[];
  /** First and last month counted, `YYYY-MM`. */
  period: { from: string; to: string };
  /** Groups of fewer residents than this are hidden, with the cells that would reveal them. */
  k: number;
  /** Random noise is added to every published figure (differential privacy, ε per period). */
  noise: boolean;
}

/** One version of a resident's consent to one data use. */
export interface ConsentVersionView {
  /** The consent: stable across its versions. */
  consentId: string;
  version: number;
  state: ConsentState;
  event: ConsentEventType;
  dataUse: string;
  dataUseRevision: number;
  /** Why the platform paused or ended the consent (null for the resident's own decisions and for an expiry). */
  reason: ConsentChangeReason | null;
  /** The items the resident agreed to (a subset of the data use's items). */
  items: string[];
  purposeCode: string;
  validFrom: string;
  validUntil: string | null;
  createdAt: string;
  /** The record ID of this version's signed consent receipt. */
  receiptId: string;
}

/** The current version of a consent, with whether the resident must decide again. */
export interface ConsentView extends ConsentVersionView {
  /** True when the data use's terms changed since this version (state `paused`, or not yet swept). */
  needsReconsent: boolean;
}

/** A consent with every version, newest first. */
export interface ConsentHistoryView {
  consentId: string;
  dataUse: DataUseView;
  current: ConsentView;
  versions: ConsentVersionView[];
}

/** Body of `POST /api/v1/portal/consents`: opt in to a data use (オプトイン). */
export interface GiveConsentRequest {
  /** Code of the data use. */
  dataUse: string;
  /** The items to share; omitted = every item the data use asks for. An empty list is refused (`no_items_selected`). */
  items?: string[];
  /**
   * The version the resident's decision is based on (0 when they have never decided). When given,
   * the hub refuses with `consent_conflict` if another decision was recorded in between.
   */
  expectedVersion?: number;
  /** Language the resident read the terms in; recorded in the receipt. Defaults to `ja`. */
  language?: 'ja' | 'en';
}

/** JSON Schema of {@link GiveConsentRequest}; unknown fields are rejected. */
export const giveConsentRequestSchema: JSONSchemaType<GiveConsentRequest> = {
  $id: 'https://tsunagu.example/schemas/give-consent-request.json',
  type: 'object',
  properties: {
    dataUse: { type: 'string', maxLength: 128, pattern: DATA_USE_CODE_PATTERN },
    items: { type: 'array', maxItems: 64, uniqueItems: true, items: { type: 'string', maxLength: 128, pattern: ITEM_CODE_PATTERN }, nullable: true },
    expectedVersion: { type: 'integer', minimum: 0, maximum: 1_000_000, nullable: true },
    language: { type: 'string', enum: ['ja', 'en'], nullable: true },
  },
  required: ['dataUse'],
  additionalProperties: false,
};

/** Body of `POST /api/v1/portal/consents/{consentId}/withdraw`: opt out (オプトアウト). */
export interface WithdrawConsentRequest {
  /** As in {@link GiveConsentRequest.expectedVersion}. */
  expectedVersion?: number;
}

/** JSON Schema of {@link WithdrawConsentRequest}. */
export const withdrawConsentRequestSchema: JSONSchemaType<WithdrawConsentRequest> = {
  $id: 'https://tsunagu.example/schemas/withdraw-consent-request.json',
  type: 'object',
  properties: {
    expectedVersion: { type: 'integer', minimum: 0, maximum: 1_000_000, nullable: true },
  },
  required: [],
  additionalProperties: false,
};

/** Codes of the consent API. */
export const ConsentErrorCodes = {
  /** No active data use has this code. */
  data_use_not_found: ErrorReason.NotFound,
  /** No consent with this ID belongs to the signed-in resident (another resident's ID looks the same). */
  consent_not_found: ErrorReason.NotFound,
  /** No receipt with this record ID belongs to the signed-in resident. */
  receipt_not_found: ErrorReason.NotFound,
  /** Some requested items are not asked for by the data use (details list them). */
  items_not_offered: ErrorReason.BadRequest,
  /** The opt-in names no item: to share nothing, do not opt in (or withdraw). */
  no_items_selected: ErrorReason.BadRequest,
  /** The resident already has an active consent with exactly these items (double opt-in). */
  already_consented: ErrorReason.Conflict,
  /** The consent is not active or paused: it was already withdrawn, or it expired. */
  consent_not_active: ErrorReason.Conflict,
  /** Another decision on the same data use was recorded at the same time or since the page was shown. */
  consent_conflict: ErrorReason.Conflict,
  /** New terms of a data use name items that no active offer provides. */
  invalid_terms: ErrorReason.BadRequest,
  /**
   * `POST /api/v1/receipts/verify`: the document is not a genuine, complete receipt or chain of this
   * hub. Each detail names the place (`document`, or `receipts[i]`, 0-based) and one problem:
   * `empty`, `not_receipt_file`, `too_many`, `malformed`, `header`, `altered`, `unknown_key`,
   * `other_hub`, `schema`, `copy_altered`, `missing_start`, `missing`, `order` or `link`.
   */
  receipt_not_verified: ErrorReason.BadRequest,
  /**
   * The data use requires a verified identity and the resident's verification lapsed (the My
   * Number card's certificate was revoked or expired): verify again with the new card first.
   */
  identity_verification_required: ErrorReason.Forbidden,
  /**
   * The data use requires a verified identity and the resident has never verified theirs with
   * the My Number card: verify first (the portal page `/account/verify`), then opt in.
   */
  identity_not_verified: ErrorReason.Forbidden,
} as const;
/** One code of {@link ConsentErrorCodes}. */
export type ConsentErrorCode = keyof typeof ConsentErrorCodes;

/**
 * The message of each code, Japanese first: what the portal shows the resident, and what a
 * client of the consent API may show as it is.
 */
export const CONSENT_ERROR_MESSAGES: Record<ConsentErrorCode, { ja: string; en: string }> = {
  data_use_not_found: { ja: 'このデータ利用は見つかりません。', en: 'The data use was not found.' },
  identity_verification_required: {
    ja: 'このデータ利用には、マイナンバーカードによる本人確認が必要です。お使いのカードの電子証明書が失効したか有効期限が切れたため、新しいカードで本人確認をしてください。',
    en: 'This data use requires identity verification with the My Number card. The certificate of your card was revoked or has expired: verify again with your new card.',
  },
  identity_not_verified: {
    ja: 'このデータ利用に同意するには、マイナンバーカードによる本人確認が必要です。マイページの「本人確認」で、カードの署名用電子証明書を使って本人確認をしてから、もう一度同意してください。',
    en: 'To consent to this data use you must first verify your identity with your My Number card: verify on the "Identity verification" page of your account, then consent again.',
  },
  consent_not_found: { ja: '同意が見つかりません。', en: 'The consent was not found.' },
  receipt_not_found: { ja: '同意の記録（レシート）が見つかりません。', en: 'The consent receipt was not found.' },
  items_not_offered: { ja: 'このデータ利用で提供を求められていない項目が含まれています。', en: 'Some items are not asked for by this data use.' },
  no_items_selected: {
    ja: '提供する項目を1つ以上選んでください。提供しない場合は「同意しない」を選んでください。',
    en: 'Choose at least one item to share. If you do not want to share anything, choose "Do not agree".',
  },
  already_consented: { ja: 'このデータ利用には、同じ内容ですでに同意しています。', en: 'You have already consented to this data use with these items.' },
  consent_not_active: { ja: 'この同意はすでに撤回されたか、有効期限が切れています。', en: 'This consent has already been withdrawn or has expired.' },
  consent_conflict: {
    ja: '同じデータ利用について、別の操作が先に記録されました。画面を開き直して、最新の状態を確認してください。',
    en: 'Another decision on this data use was recorded first. Reload the page to see the current state.',
  },
  invalid_terms: { ja: '提供されていない項目が含まれています。', en: 'Some items are not offered by any service.' },
  receipt_not_verified: {
    ja: '同意の記録を確認できませんでした。改ざん・抜け・別の連携基盤の記録などの問題があります（詳細を参照）。',
    en: 'The consent receipt could not be verified: it was altered, is incomplete, is from another hub or is not a receipt (see details).',
  },
};

/** What a connector concerned by a consent change has done about it (ARCHITECTURE.md §6). */
export type EnforcementState =
  /** It acknowledged the signed revocation event: it refuses from `at` on. */
  | 'enforced'
  /** No acknowledgement yet: it could still serve (a provider) or hold a grant (a consumer) until `at`, no later. */
  | 'pending'
  /** No acknowledgement, but `at` has passed: its staleness bound or the grant's expiry stops it. */
  | 'lapsed';

/** One connector that held or served a grant under the consent when it changed. */
export interface ConnectorEnforcementView {
  connectorId: string;
  /** `provider` serves the data; `consumer` only held a grant (which the provider refuses from its `at` on). */
  role: 'provider' | 'consumer';
  /** The service the connector runs beside. */
  service: { ja: string; en: string };
  state: EnforcementState;
  /** ISO 8601: when it acknowledged (`enforced`), or the latest moment it can still act (`pending`, `lapsed`). */
  at: string;
}

/**
 * How a consent change that stops data (a withdrawal, a narrowing, a pause or an end) was
 * enforced: the hub committed it, pushed it to every connector holding or serving a grant under
 * the consent and waited (bounded) for their signed acknowledgements before it answered.
 */
export interface ConsentEnforcementView {
  consentId: string;
  version: number;
  /** ISO 8601: when the hub knew the change was committed. */
  committedAt: string;
  /** Every provider acknowledged: no data leaves under the consent any more. */
  complete: boolean;
  /** ISO 8601: when the last provider acknowledged (null while one has not). */
  enforcedAt: string | null;
  /**
   * ISO 8601: the moment from which no provider serves under the changed consent — `enforcedAt`
   * when complete, else the latest moment a provider that has not acknowledged can still serve
   * (its staleness bound after the commit, or its grant's expiry, whichever is first).
   */
  enforcedBy: string;
  connectors: ConnectorEnforcementView[];
  /**
   * The hub's signed statement of these moments as given with the answer (compact JWS,
   * `typ: consent-enforcement+jws`, the receipt keys; `verifyEnforcementStatement`). Null until
   * the change was answered.
   */
  statement: string | null;
}

/** How the consents a catalog change paused or ended (an agreement suspended, a data use retired…) were enforced, together. */
export interface ConsentsEnforcementSummary {
  /** Consents changed. */
  consents: number;
  /** Every provider acknowledged every change. */
  complete: boolean;
  /** Provider connectors that served a grant under one of them (0: nothing was flowing). */
  providers: number;
  /** ISO 8601: when the last acknowledgement came (null while one has not). */
  enforcedAt: string | null;
  /** ISO 8601: from when no provider serves under any of them — enforcedAt, or the latest bound. */
  enforcedBy: string;
}
