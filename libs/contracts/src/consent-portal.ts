import { ErrorReason } from './errors';
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
}

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
