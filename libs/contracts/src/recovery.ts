import type { JSONSchemaType } from 'ajv';
import { ErrorReason } from './errors';

/**
 * A reset or verification token as it travels in a link: 32 random bytes, base64url (43
 * characters). Anything else is malformed and refused before the database is asked.
 */
export const RECOVERY_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';

/** Body of `POST /api/v1/account/recovery/card/challenges`: whose password the card should reset. */
export interface CardRecoveryChallengeRequest {
  loginId: string;
}

/** JSON Schema of {@link CardRecoveryChallengeRequest}. */
export const cardRecoveryChallengeRequestSchema: JSONSchemaType<CardRecoveryChallengeRequest> = {
  $id: 'https://tsunagu.example/schemas/card-recovery-challenge-request.json',
  type: 'object',
  properties: { loginId: { type: 'string', minLength: 1, maxLength: 64 } },
  required: ['loginId'],
  additionalProperties: false,
};

/**
 * Answer of `POST /api/v1/account/recovery/card/challenges`: what the card must sign. The same
 * answer whether the login ID exists or not (no enumeration); the card then proves it.
 */
export interface CardRecoveryChallengeResponse {
  challengeId: string;
  /** The card app signs the UTF-8 bytes of this string (RS256), as for identity proofing. */
  challenge: string;
  /** ISO 8601. */
  expiresAt: string;
}

/**
 * Answer of `POST /api/v1/account/recovery/card/verifications` (body: the identity-proofing
 * `JpkiVerificationRequest`) when the card is the one that verified the account: the one-time
 * link where the resident chooses a new password.
 */
export interface CardRecoveryVerificationResponse {
  resetUrl: string;
  expiresAt: string;
}

/** Codes of password reset and e-mail verification (docs/manuals/resident.md "パスワードを忘れたとき"). */
export const RecoveryErrorCodes = {
  /** The link is not one the hub issued, is malformed, or belongs to another account (never says which). */
  recovery_link_invalid: ErrorReason.BadRequest,
  /** The link was used already: each link works once. */
  recovery_link_used: ErrorReason.Conflict,
  /** The link's time ran out. */
  recovery_link_expired: ErrorReason.BadRequest,
  /** The card did not prove the account (another card, a card that never verified it, an unknown login ID: never says which). */
  recovery_card_not_confirmed: ErrorReason.Unauthorized,
  /** E-mail is not set up on this hub (no SMTP server configured): the card path remains. */
  recovery_email_unavailable: ErrorReason.Unavailable,
  /** The two new passwords differ. */
  recovery_password_mismatch: ErrorReason.BadRequest,
} as const;
/** One code of {@link RecoveryErrorCodes}. */
export type RecoveryErrorCode = keyof typeof RecoveryErrorCodes;

/** The message of each code, Japanese first. They never say whether an account or address exists. */
export const RECOVERY_ERROR_MESSAGES: Record<RecoveryErrorCode, { ja: string; en: string }> = {
  recovery_link_invalid: {
    ja: 'このリンク、またはログインIDが正しくありません。メールのリンクをそのまま開き、ログインIDを確かめてください。',
    en: 'This link or the login ID is not correct. Open the link from the e-mail as it is, and check your login ID.',
  },
  recovery_link_used: { ja: 'このリンクはすでに使われています。もう一度手続きをしてください。', en: 'This link has been used already. Please start again.' },
  recovery_link_expired: { ja: 'このリンクは有効期限が切れています。もう一度手続きをしてください。', en: 'This link has expired. Please start again.' },
  recovery_card_not_confirmed: {
    ja: 'マイナンバーカードで本人であることを確認できませんでした。このアカウントの本人確認に使ったカードか、ログインIDを確かめてください。',
    en: 'The My Number card could not confirm the account. Check that it is the card you verified this account with, and check the login ID.',
  },
  recovery_email_unavailable: {
    ja: 'このシステムでは現在メールを送れないため、メールでの再設定は使えません。マイナンバーカードで再設定してください。',
    en: 'This system cannot send e-mail at present, so reset by e-mail is not available. Please reset with your My Number card.',
  },
  recovery_password_mismatch: { ja: '2つのパスワードが一致しません。', en: 'The two passwords do not match.' },
};

/** Codes of the portal's sessions and devices page. */
export const SessionErrorCodes = {
  /** The session to end is not one of the resident's live sessions (ended already, or another's). */
  session_not_found: ErrorReason.NotFound,
} as const;
/** One code of {@link SessionErrorCodes}. */
export type SessionErrorCode = keyof typeof SessionErrorCodes;

/** The message of each code, Japanese first. */
export const SESSION_ERROR_MESSAGES: Record<SessionErrorCode, { ja: string; en: string }> = {
  session_not_found: { ja: 'このログイン中の端末は見つかりません。すでにログアウトしている可能性があります。', en: 'This session was not found. It may have ended already.' },
};
