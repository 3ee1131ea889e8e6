import type { JSONSchemaType } from 'ajv';
import type { BilingualText } from './consent';
import { ErrorReason } from './errors';

/**
 * Answer of `POST /api/v1/identity/jpki/challenges`: what the resident's card must sign.
 * The card app signs the UTF-8 bytes of `challenge` exactly as given (RSASSA-PKCS1-v1_5, SHA-256).
 */
export interface JpkiChallengeResponse {
  challengeId: string;
  /** Random, single use, bound to the resident's sign-in session. */
  challenge: string;
  /** ISO 8601; the challenge is refused after this time. */
  expiresAt: string;
}

/** Body of `POST /api/v1/identity/jpki/verifications`: the card's answer to a challenge. */
export interface JpkiVerificationRequest {
  challengeId: string;
  /** The card's signature certificate (署名用電子証明書), base64 of its DER. */
  certificate: string;
  /** The card's signature over the challenge bytes, base64. */
  signature: string;
  /** `RS256` (RSASSA-PKCS1-v1_5 with SHA-256), the only algorithm the card uses; others get `jpki_unsupported_algorithm`. */
  algorithm: string;
}

/**
 * JSON Schema of {@link JpkiVerificationRequest}. Deliberately loose on content: the verifier
 * answers a bad certificate, signature or algorithm with its precise `jpki_*` code. The hub's body
 * limit (64 KiB) stops oversized uploads before parsing.
 */
export const jpkiVerificationRequestSchema: JSONSchemaType<JpkiVerificationRequest> = {
  $id: 'https://tsunagu.example/schemas/jpki-verification-request.json',
  type: 'object',
  properties: {
    challengeId: { type: 'string', format: 'uuid' },
    certificate: { type: 'string', minLength: 1, maxLength: 60000 },
    signature: { type: 'string', minLength: 1, maxLength: 4096 },
    algorithm: { type: 'string', minLength: 1, maxLength: 64 },
  },
  required: ['challengeId', 'certificate', 'signature', 'algorithm'],
  additionalProperties: false,
};

/**
 * Answer of `POST /api/v1/identity/jpki/transfers` (signed-in session, CSRF): a hand-over to a
 * card app on another device. `link` carries the one-time `token` in its fragment (never sent to a
 * server by a browser); the portal shows it as a QR code and as a link.
 */
export interface JpkiTransferResponse {
  transferId: string;
  /** `<PUBLIC_URL>/jpki/app#token=<token>`: what the QR code holds. */
  link: string;
  /** A short code a resident can type into the app instead of scanning (the same token). */
  token: string;
  expiresAt: string;
}

/** What the card app reads with the token (`GET /api/v1/identity/jpki/app/challenge`, `Authorization: JPKI-Transfer <token>`). */
export interface JpkiAppChallengeResponse extends JpkiChallengeResponse {
  /** The hub's name, for the app to show whom the resident is verifying with. */
  relyingParty: { name: BilingualText; url: string };
}

/**
 * Body of `POST /api/v1/identity/jpki/app/verifications` (token in `Authorization`, no cookie, no
 * CSRF header). `certificate` may be base64 of the DER (with or without line breaks), base64url, or
 * PEM; `signature` base64 or base64url (line breaks allowed).
 */
export type JpkiAppVerificationRequest = JpkiVerificationRequest;

/** State of a hand-over, as the PC page polls it (`GET /api/v1/identity/jpki/transfers/:id`). */
export interface JpkiTransferStatus {
  state: 'waiting' | 'verified' | 'refused' | 'expired';
  /** The refusal's code when `refused`. */
  code?: IdentityProofingErrorCode;
  message?: BilingualText;
}

/** Answer of a successful verification. No certificate attribute is returned or kept. */
export interface JpkiVerificationResponse {
  verified: true;
  verifiedAt: string;
  /** ISO 8601 expiry of the certificate used; verify again with the renewed card after it. */
  certificateNotAfter: string;
}

/**
 * Codes of identity proofing. The `jpki_*` certificate and signature codes come from
 * `@tsunagu/jpki`; the challenge and account codes are the hub's.
 */
export const IdentityProofingErrorCodes = {
  jpki_malformed_certificate: ErrorReason.BadRequest,
  jpki_certificate_too_large: ErrorReason.BadRequest,
  jpki_unsupported_algorithm: ErrorReason.BadRequest,
  jpki_malformed_signature: ErrorReason.BadRequest,
  jpki_untrusted_chain: ErrorReason.Unauthorized,
  jpki_certificate_expired: ErrorReason.Unauthorized,
  jpki_certificate_not_yet_valid: ErrorReason.Unauthorized,
  jpki_wrong_key_usage: ErrorReason.Unauthorized,
  jpki_not_signature_certificate: ErrorReason.Unauthorized,
  jpki_missing_attributes: ErrorReason.Unauthorized,
  jpki_certificate_revoked: ErrorReason.Unauthorized,
  jpki_bad_signature: ErrorReason.Unauthorized,
  jpki_crl_unavailable: ErrorReason.Unavailable,
  jpki_crl_stale: ErrorReason.Unavailable,
  jpki_crl_invalid: ErrorReason.Unavailable,
  /** The certificate carries no policy under the signature arc `1.2.392.200149.8.5.1.1` (a user-authentication policy has its own code). */
  jpki_policy_not_accepted: ErrorReason.Unauthorized,
  /** Only CRL partitions (critical issuingDistributionPoint) of other distribution points than the certificate\'s are at hand. */
  jpki_crl_wrong_partition: ErrorReason.Unavailable,
  /** OCSP responder unreachable, or a responseStatus other than successful (tryLater, internalError, …). */
  jpki_ocsp_unavailable: ErrorReason.Unavailable,
  /** Malformed OCSP response, unsupported response type or algorithm, or a nonce other than the one sent. */
  jpki_ocsp_invalid: ErrorReason.Unavailable,
  /** The OCSP response signature is absent or does not verify with the responder key it names. */
  jpki_ocsp_unsigned: ErrorReason.Unavailable,
  /** Signed neither by the issuing CA nor by a currently valid certificate the CA issued with id-kp-OCSPSigning. */
  jpki_ocsp_unauthorized_responder: ErrorReason.Unavailable,
  /** The delegated responder's own certificate is revoked (RFC 6960 §4.2.2.2.1: checked when it carries no id-pkix-ocsp-nocheck). */
  jpki_ocsp_responder_revoked: ErrorReason.Unavailable,
  /** The delegated responder's certificate carries no id-pkix-ocsp-nocheck and no source is configured (or able) to check it. Fails closed. */
  jpki_ocsp_responder_unchecked: ErrorReason.Unavailable,
  /** thisUpdate or producedAt in the future, or nextUpdate passed, beyond the allowed clock skew. */
  jpki_ocsp_stale: ErrorReason.Unavailable,
  /** No SingleResponse with the CertID asked for (another serial number or issuer). */
  jpki_ocsp_wrong_certificate: ErrorReason.Unavailable,
  /** certStatus unknown: the CA does not know this certificate. Fails closed. */
  jpki_ocsp_status_unknown: ErrorReason.Unauthorized,
  /** No such challenge for this resident and session (never issued, or issued to another session). */
  jpki_challenge_not_found: ErrorReason.BadRequest,
  /** The challenge was already answered. */
  jpki_challenge_used: ErrorReason.Conflict,
  /** The challenge is older than its lifetime. */
  jpki_challenge_expired: ErrorReason.BadRequest,
  /** This card already verified another account. */
  jpki_card_already_used: ErrorReason.Conflict,
  /** The resident must be signed in. */
  jpki_sign_in_required: ErrorReason.Unauthorized,
  /** Missing or wrong CSRF token. */
  jpki_csrf_failed: ErrorReason.Forbidden,
  /** Identity proofing is not configured on this hub. */
  jpki_not_configured: ErrorReason.Unavailable,
  /** The card app's transfer token is missing or unknown. */
  jpki_transfer_not_found: ErrorReason.Unauthorized,
  /** The transfer token was already used (it is good for one answer). */
  jpki_transfer_used: ErrorReason.Conflict,
  /** The transfer token is older than its lifetime. */
  jpki_transfer_expired: ErrorReason.Unauthorized,
  /** The transfer token belongs to another sign-in session (or another challenge), or that session ended. */
  jpki_transfer_other_session: ErrorReason.Forbidden,
} as const;
/** One code of {@link IdentityProofingErrorCodes}. */
export type IdentityProofingErrorCode = keyof typeof IdentityProofingErrorCodes;

/**
 * The message of each code, Japanese first: what the portal shows the resident. The `jpki_*`
 * certificate and signature texts are those of `@tsunagu/jpki` (JPKI_ERROR_MESSAGES), word for
 * word. They never contain the card's attributes.
 */
export const IDENTITY_PROOFING_ERROR_MESSAGES: Record<IdentityProofingErrorCode, { ja: string; en: string }> = {
  jpki_malformed_certificate: { ja: '電子証明書の形式が正しくありません。', en: 'The certificate is malformed.' },
  jpki_certificate_too_large: { ja: '電子証明書のサイズが上限を超えています。', en: 'The certificate exceeds the size limit.' },
  jpki_unsupported_algorithm: { ja: '対応していない署名方式または鍵の種類です。', en: 'The signature algorithm or key type is not supported.' },
  jpki_malformed_signature: { ja: '署名の形式が正しくありません。', en: 'The signature is malformed.' },
  jpki_untrusted_chain: { ja: '信頼できる認証局が発行した電子証明書ではありません。', en: 'The certificate does not chain to a trusted JPKI certification authority.' },
  jpki_certificate_expired: { ja: '電子証明書の有効期限が切れています。', en: 'The certificate has expired.' },
  jpki_certificate_not_yet_valid: { ja: '電子証明書の有効期間がまだ始まっていません。', en: 'The certificate is not yet valid.' },
  jpki_wrong_key_usage: { ja: '電子証明書の鍵用途が電子署名用ではありません。', en: 'The key usage of the certificate does not allow digital signatures.' },
  jpki_not_signature_certificate: {
    ja: '署名用電子証明書ではありません（利用者証明用電子証明書は使用できません）。',
    en: 'The certificate is not a JPKI signature certificate (user-authentication certificates cannot be used).',
  },
  jpki_missing_attributes: {
    ja: '電子証明書に基本4情報（氏名・性別・生年月日・住所）が正しく記録されていません。',
    en: 'The certificate lacks the basic attributes (name, gender, date of birth, address) or they are malformed.',
  },
  jpki_certificate_revoked: { ja: '電子証明書は失効しています。', en: 'The certificate has been revoked.' },
  jpki_bad_signature: { ja: '署名の検証に失敗しました。', en: 'The signature does not match the data and the certificate.' },
  jpki_crl_unavailable: {
    ja: '失効情報を確認できないため、電子証明書を検証できません。しばらくしてから再度お試しください。',
    en: 'No revocation list is available for the issuing authority, so the certificate cannot be verified.',
  },
  jpki_crl_stale: {
    ja: '失効情報が更新されていないため、電子証明書を検証できません。しばらくしてから再度お試しください。',
    en: 'The revocation list is past its next update time, so the certificate cannot be verified.',
  },
  jpki_crl_invalid: { ja: '失効情報（CRL）が不正です。', en: 'The revocation list is invalid (format, issuer or signature).' },
  jpki_policy_not_accepted: {
    ja: 'この電子証明書は、公的個人認証サービスの署名用電子証明書として受け付けられません（証明書ポリシーが対象外です）。',
    en: 'The certificate does not carry a JPKI signature-certificate policy.',
  },
  jpki_crl_wrong_partition: {
    ja: '失効情報（CRL）が、この電子証明書の配布点のものではないため、電子証明書を検証できません。',
    en: 'The revocation list is the partition of another distribution point than the certificate\'s.',
  },
  jpki_ocsp_unavailable: {
    ja: '失効情報（OCSP）を確認できないため、電子証明書を検証できません。しばらくしてから再度お試しください。',
    en: 'The OCSP responder could not be reached or did not answer successfully, so the certificate cannot be verified.',
  },
  jpki_ocsp_invalid: {
    ja: '失効情報（OCSP応答）の形式が正しくないため、電子証明書を検証できません。',
    en: 'The OCSP response is malformed or does not answer this request (nonce).',
  },
  jpki_ocsp_unsigned: {
    ja: '失効情報（OCSP応答）に有効な署名がないため、電子証明書を検証できません。',
    en: 'The OCSP response carries no valid signature.',
  },
  jpki_ocsp_unauthorized_responder: {
    ja: '失効情報（OCSP応答）の署名者に、この電子証明書の状態を応答する権限がないため、電子証明書を検証できません。',
    en: 'The OCSP response was signed by a responder that is not authorised for the certificate\'s CA.',
  },
  jpki_ocsp_responder_revoked: {
    ja: '失効情報（OCSP応答）の署名者の証明書が失効しているため、電子証明書を検証できません。',
    en: 'The delegated OCSP responder\'s own certificate is revoked.',
  },
  jpki_ocsp_responder_unchecked: {
    ja: '失効情報（OCSP応答）の署名者の証明書の失効を確認できないため、電子証明書を検証できません。',
    en: 'The delegated OCSP responder\'s certificate carries no id-pkix-ocsp-nocheck and its own revocation cannot be checked.',
  },
  jpki_ocsp_stale: {
    ja: '失効情報（OCSP応答）が古いため、電子証明書を検証できません。しばらくしてから再度お試しください。',
    en: 'The OCSP response is not fresh (outside thisUpdate/nextUpdate, beyond the allowed clock skew).',
  },
  jpki_ocsp_wrong_certificate: {
    ja: '失効情報（OCSP応答）が、この電子証明書についてのものではないため、電子証明書を検証できません。',
    en: 'The OCSP response does not answer for this certificate (serial number or issuer differ).',
  },
  jpki_ocsp_status_unknown: {
    ja: '認証局がこの電子証明書の状態を確認できなかったため、本人確認に使用できません。',
    en: 'The OCSP responder does not know the certificate (status unknown).',
  },
  jpki_challenge_not_found: {
    ja: 'この確認用コードは、現在のログインで発行されたものではありません。最初からやり直してください。',
    en: 'This challenge was not issued to this sign-in session. Please start again.',
  },
  jpki_challenge_used: { ja: 'この確認用コードは使用済みです。最初からやり直してください。', en: 'This challenge has already been used. Please start again.' },
  jpki_challenge_expired: { ja: '確認用コードの有効期限が切れました。最初からやり直してください。', en: 'The challenge has expired. Please start again.' },
  jpki_card_already_used: { ja: 'このマイナンバーカードは、別のアカウントの本人確認に使われています。', en: 'This My Number card has already verified another account.' },
  jpki_sign_in_required: { ja: 'ログインしてください。', en: 'Please sign in.' },
  jpki_csrf_failed: {
    ja: '画面の有効期限が切れたか、不正なリクエストです。もう一度お試しください。',
    en: 'The page has expired or the request was forged. Please try again.',
  },
  jpki_not_configured: {
    ja: 'マイナンバーカードによる本人確認は、現在ご利用いただけません。',
    en: 'Identity verification with the My Number card is not available on this hub.',
  },
  jpki_transfer_not_found: {
    ja: 'この連携コードは無効です。パソコンの画面に表示された QR コードを読み取り直してください。',
    en: 'This hand-over code is not valid. Scan the QR code on your computer screen again.',
  },
  jpki_transfer_used: {
    ja: 'この連携コードは使用済みです。パソコンの画面で新しい QR コードを表示してください。',
    en: 'This hand-over code has already been used. Show a new QR code on your computer.',
  },
  jpki_transfer_expired: {
    ja: '連携コードの有効期限が切れました。パソコンの画面で新しい QR コードを表示してください。',
    en: 'The hand-over code has expired. Show a new QR code on your computer.',
  },
  jpki_transfer_other_session: {
    ja: 'この連携コードは、別の（または終了した）ログインのものです。パソコンでログインし直して、最初からやり直してください。',
    en: 'This hand-over code belongs to another (or an ended) sign-in. Sign in again on your computer and start over.',
  },
};
