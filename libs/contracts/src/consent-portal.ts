import { ErrorReason } from './errors';
import type { ConsentChangeReason } from './catalog';
import type { BilingualText, ConsentView, DataUseView } from './consent';

/**
 * The resident portal's JSON API (`/api/v1/portal/…`) follows the portal's own rules: the
 * resident's hub session cookie authenticates, and every POST or DELETE carries the session's
 * CSRF token in the `x-csrf-token` header (or a `csrf` form field). The token is in `GET /me`.
 */
export const PORTAL_CSRF_HEADER = 'x-csrf-token';

/** `GET /api/v1/portal/me`: the resident's home. */
export interface PortalHomeView {
  /** The common ID (共通ID), 16 digits: shown to the resident only, never given to services. */
  commonId: string;
  displayName: string;
  /** ISO 8601 time the identity was verified with the My Number card, or null. */
  identityVerifiedAt: string | null;
  linkedServices: LinkedServiceView[];
  /** Data uses waiting for the resident's decision: never answered, or paused by changed terms. */
  pendingRequests: { dataUse: string; title: BilingualText; reason: 'new' | 'terms_changed' }[];
  /** How many notices (お知らせ) `GET /api/v1/portal/notices` lists for the resident. */
  noticeCount: number;
  /** Send it back in the `x-csrf-token` header on every POST and DELETE. */
  csrfToken: string;
}

/** A service the resident linked their local account at (個別ID連携). */
export interface LinkedServiceView {
  /** ID of the link (use it to unlink). */
  id: string;
  clientId: string;
  name: BilingualText;
  localId: string;
  linkedAt: string;
}

/** A data use with the resident's current consent to it, if any. */
export interface DataUseWithConsentView {
  dataUse: DataUseView;
  consent: ConsentView | null;
  /**
   * `GET /api/v1/portal/data-uses/{code}` only: when the consent waits for re-consent because the
   * terms changed (条件が変わりました), what changed between the terms the resident agreed to and
   * the current ones. Absent otherwise.
   */
  termsChange?: TermsChangeView;
  /**
   * Present when the data use requires a verified identity (`dataUse.requiresVerifiedIdentity`)
   * and the resident's is not verified now: `not_verified` (never verified with the My Number
   * card) or `lapsed` (the card's certificate was revoked or expired). An opt-in is refused
   * (`identity_not_verified`, `identity_verification_required`) until the resident verifies at
   * `/account/verify`.
   */
  identityRequired?: 'not_verified' | 'lapsed';
}

/** One term of a data use that differs between two revisions, with both values in words. */
export interface TermsDifferenceView {
  /** Which term: items, title, purpose, purpose category, retention, validity, controller, controller type, privacy notice. */
  term: 'items' | 'title' | 'purpose' | 'purposeCategory' | 'retentionDays' | 'consentValidDays' | 'controller' | 'controllerType' | 'privacyNoticeUrl';
  /** For `items`: the items added and removed, by name. */
  added?: { code: string; name: BilingualText }[];
  removed?: { code: string; name: BilingualText }[];
  /** For the other terms: the value agreed to and the current one, in words (`null`: none, e.g. valid until withdrawn). */
  before?: BilingualText | null;
  after?: BilingualText | null;
}

/** The terms a resident agreed to (their consent's revision) against the current ones. */
export interface TermsChangeView {
  fromRevision: number;
  toRevision: number;
  /** Empty when the earlier revision's terms are not on record (then the resident reads the current terms in full). */
  differences: TermsDifferenceView[];
}

/** The kinds of notice (お知らせ) the portal lists for a resident, derived from their consents. */
export type PortalNoticeKind = 'paused' | 'ended' | 'expiring';

/**
 * One notice of `GET /api/v1/portal/notices`: a consent the platform paused (decide again),
 * ended (final), or that expires within 30 days. Planned maintenance is not a notice: the home
 * page shows it apart.
 */
export interface PortalNoticeView {
  kind: PortalNoticeKind;
  consentId: string;
  dataUse: string;
  title: BilingualText;
  consumer: { clientId: string; name: BilingualText };
  /** Why the platform paused or ended the consent (`null` for an expiry). */
  reason: ConsentChangeReason | null;
  /** The reason in words (CONSENT_CHANGE_REASON_LABELS), or the expiry in words. */
  message: BilingualText;
  /** When it happened (paused, ended), or when the consent expires (expiring). ISO 8601. */
  at: string;
  /** When the notice appeared (for an expiry: 30 days before it); the list is newest first by this. */
  noticedAt: string;
  /** Where the resident acts on it: the data use page to decide again, or the consent's history. A portal path. */
  link: string;
  /** True when the resident is asked to decide (a paused consent). */
  actionRequired: boolean;
}

/** `GET /api/v1/portal/notices`. */
export interface PortalNoticesView {
  notices: PortalNoticeView[];
}

/**
 * One entry of the provision ledger (提供記録): data that went from a providing service to a
 * consuming service under the resident's consent. The hub records metadata only, never the data.
 */
export interface ProvisionView {
  id: string;
  occurredAt: string;
  provider: { clientId: string; name: BilingualText };
  consumer: { clientId: string; name: BilingualText };
  dataUse: string;
  /** Codes of the items provided (or refused). */
  items: string[];
  /** The same items with the names residents read, in the same order (a code no offer knows keeps the code as its name). */
  itemNames: { code: string; name: BilingualText }[];
  purposeCode: string;
  consentId: string;
  consentVersion: number;
  /** `provided`: data was handed over; `refused`: the provider refused (e.g. consent withdrawn). */
  outcome: 'provided' | 'refused';
  /** Only when `outcome` is `provided`: whether the consuming service's connector confirmed receipt ({@link ProvisionReceipt}). */
  receipt?: ProvisionReceipt;
}

/**
 * Whether the consuming side of a provided exchange confirmed it received the data (its
 * connector's provision report reached the hub): `confirmed`; `pending` within a grace period (2
 * minutes after the provision, or after the provider's report arrived if that was later);
 * `unconfirmed` after it — the provider says it sent the data, the recipient has not said it got
 * it. The entry stays in the ledger either way.
 */
export type ProvisionReceipt = 'confirmed' | 'pending' | 'unconfirmed';

/** Every {@link ProvisionReceipt}, for exhaustive checks. */
export const PROVISION_RECEIPTS: readonly ProvisionReceipt[] = ['confirmed', 'pending', 'unconfirmed'];

/** Codes of the portal's session and CSRF checks (pages and JSON API). */
export const PortalErrorCodes = {
  /** No signed-in resident: sign in at `/account/login`. */
  not_signed_in: ErrorReason.Unauthorized,
  /** The CSRF token is missing or does not belong to this session. */
  csrf_invalid: ErrorReason.Forbidden,
  /** The resident cancelled the sign-in at the hub (the callback came back with `access_denied`). */
  sign_in_cancelled: ErrorReason.BadRequest,
  /** The sign-in callback was refused: an error from the hub, a bad, used or expired code, a wrong state. */
  sign_in_failed: ErrorReason.BadRequest,
} as const;
/** One code of {@link PortalErrorCodes}. */
export type PortalErrorCode = keyof typeof PortalErrorCodes;

/** The message of each code, Japanese first: what the portal shows the resident. */
export const PORTAL_ERROR_MESSAGES: Record<PortalErrorCode, { ja: string; en: string }> = {
  not_signed_in: { ja: 'ログインしてください。', en: 'Please sign in.' },
  csrf_invalid: {
    ja: '不正なリクエストです。画面を開き直してから、もう一度操作してください。',
    en: 'The request could not be verified. Reload the page and try again.',
  },
  sign_in_cancelled: {
    ja: 'ログインを取りやめました。ポータルを使うには、もう一度ログインしてください。',
    en: 'You cancelled the sign-in. To use the portal, please sign in again.',
  },
  sign_in_failed: {
    ja: 'ログインを完了できませんでした。時間がたったか、別の画面で開始された可能性があります。もう一度ログインしてください。',
    en: 'The sign-in could not be completed. It may have expired or been started in another window. Please sign in again.',
  },
};
