/**
 * The closed set of reasons the JPKI verifier refuses a certificate, a signature or a CRL.
 * Every refusal is a JpkiError carrying one of these codes; nothing else is thrown for bad input.
 */
export const JPKI_ERROR_CODES = [
  'jpki_malformed_certificate',
  'jpki_certificate_too_large',
  'jpki_unsupported_algorithm',
  'jpki_untrusted_chain',
  'jpki_certificate_expired',
  'jpki_certificate_not_yet_valid',
  'jpki_wrong_key_usage',
  'jpki_not_signature_certificate',
  'jpki_missing_attributes',
  'jpki_certificate_revoked',
  'jpki_crl_unavailable',
  'jpki_crl_stale',
  'jpki_crl_invalid',
  'jpki_bad_signature',
  'jpki_malformed_signature',
  'jpki_policy_not_accepted',
  'jpki_crl_wrong_partition',
  'jpki_ocsp_unavailable',
  'jpki_ocsp_invalid',
  'jpki_ocsp_unsigned',
  'jpki_ocsp_unauthorized_responder',
  'jpki_ocsp_responder_revoked',
  'jpki_ocsp_responder_unchecked',
  'jpki_ocsp_stale',
  'jpki_ocsp_wrong_certificate',
  'jpki_ocsp_status_unknown',
] as const;

/** One of {@link JPKI_ERROR_CODES}. */
export type JpkiErrorCode = (typeof JPKI_ERROR_CODES)[number];

/** A message for the resident (ja) and for operators and vendors (en). */
export interface JpkiErrorMessages {
  readonly ja: string;
  readonly en: string;
}

/** The messages of every code; safe to show to the resident (no personal data, no internals). */
export const JPKI_ERROR_MESSAGES: Readonly<Record<JpkiErrorCode, JpkiErrorMessages>> = {
  jpki_malformed_certificate: {
    ja: '電子証明書の形式が正しくありません。',
    en: 'The certificate is malformed.',
  },
  jpki_certificate_too_large: {
    ja: '電子証明書のサイズが上限を超えています。',
    en: 'The certificate exceeds the size limit.',
  },
  jpki_unsupported_algorithm: {
    ja: '対応していない署名方式または鍵の種類です。',
    en: 'The signature algorithm or key type is not supported.',
  },
  jpki_untrusted_chain: {
    ja: '信頼できる認証局が発行した電子証明書ではありません。',
    en: 'The certificate does not chain to a trusted JPKI certification authority.',
  },
  jpki_certificate_expired: {
    ja: '電子証明書の有効期限が切れています。',
    en: 'The certificate has expired.',
  },
  jpki_certificate_not_yet_valid: {
    ja: '電子証明書の有効期間がまだ始まっていません。',
    en: 'The certificate is not yet valid.',
  },
  jpki_wrong_key_usage: {
    ja: '電子証明書の鍵用途が電子署名用ではありません。',
    en: 'The key usage of the certificate does not allow digital signatures.',
  },
  jpki_not_signature_certificate: {
    ja: '署名用電子証明書ではありません（利用者証明用電子証明書は使用できません）。',
    en: 'The certificate is not a JPKI signature certificate (user-authentication certificates cannot be used).',
  },
  jpki_missing_attributes: {
    ja: '電子証明書に基本4情報（氏名・性別・生年月日・住所）が正しく記録されていません。',
    en: 'The certificate lacks the basic attributes (name, gender, date of birth, address) or they are malformed.',
  },
  jpki_certificate_revoked: {
    ja: '電子証明書は失効しています。',
    en: 'The certificate has been revoked.',
  },
  jpki_crl_unavailable: {
    ja: '失効情報を確認できないため、電子証明書を検証できません。しばらくしてから再度お試しください。',
    en: 'No revocation list is available for the issuing authority, so the certificate cannot be verified.',
  },
  jpki_crl_stale: {
    ja: '失効情報が更新されていないため、電子証明書を検証できません。しばらくしてから再度お試しください。',
    en: 'The revocation list is past its next update time, so the certificate cannot be verified.',
  },
  jpki_crl_invalid: {
    ja: '失効情報（CRL）が不正です。',
    en: 'The revocation list is invalid (format, issuer or signature).',
  },
  jpki_bad_signature: {
    ja: '署名の検証に失敗しました。',
    en: 'The signature does not match the data and the certificate.',
  },
  jpki_malformed_signature: {
    ja: '署名の形式が正しくありません。',
    en: 'The signature is malformed.',
  },
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
};

/**
 * How the edge should answer each code: the caller sent something unusable (BAD_REQUEST), the
 * card or certificate is not acceptable (UNAUTHORIZED), or the hub cannot decide right now because
 * its revocation data is missing, stale or broken (UNAVAILABLE).
 */
export type JpkiErrorReason = 'BAD_REQUEST' | 'UNAUTHORIZED' | 'UNAVAILABLE';

export const JPKI_ERROR_REASONS: Readonly<Record<JpkiErrorCode, JpkiErrorReason>> = {
  jpki_malformed_certificate: 'BAD_REQUEST',
  jpki_certificate_too_large: 'BAD_REQUEST',
  jpki_unsupported_algorithm: 'BAD_REQUEST',
  jpki_malformed_signature: 'BAD_REQUEST',
  jpki_untrusted_chain: 'UNAUTHORIZED',
  jpki_certificate_expired: 'UNAUTHORIZED',
  jpki_certificate_not_yet_valid: 'UNAUTHORIZED',
  jpki_wrong_key_usage: 'UNAUTHORIZED',
  jpki_not_signature_certificate: 'UNAUTHORIZED',
  jpki_missing_attributes: 'UNAUTHORIZED',
  jpki_certificate_revoked: 'UNAUTHORIZED',
  jpki_bad_signature: 'UNAUTHORIZED',
  jpki_crl_unavailable: 'UNAVAILABLE',
  jpki_crl_stale: 'UNAVAILABLE',
  jpki_crl_invalid: 'UNAVAILABLE',
  jpki_policy_not_accepted: 'UNAUTHORIZED',
  jpki_crl_wrong_partition: 'UNAVAILABLE',
  jpki_ocsp_unavailable: 'UNAVAILABLE',
  jpki_ocsp_invalid: 'UNAVAILABLE',
  jpki_ocsp_unsigned: 'UNAVAILABLE',
  jpki_ocsp_unauthorized_responder: 'UNAVAILABLE',
  jpki_ocsp_responder_revoked: 'UNAVAILABLE',
  jpki_ocsp_responder_unchecked: 'UNAVAILABLE',
  jpki_ocsp_stale: 'UNAVAILABLE',
  jpki_ocsp_wrong_certificate: 'UNAVAILABLE',
  jpki_ocsp_status_unknown: 'UNAUTHORIZED',
};

/**
 * The only error the library throws for bad input.
 * `message` is the English message plus an optional technical detail (for logs; it never contains
 * certificate attributes). Show `messages.ja` / `messages.en` to people.
 */
export class JpkiError extends Error {
  override readonly name = 'JpkiError';
  readonly messages: JpkiErrorMessages;

  constructor(
    readonly code: JpkiErrorCode,
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(
      detail ? `${JPKI_ERROR_MESSAGES[code].en} (${detail})` : JPKI_ERROR_MESSAGES[code].en,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.messages = JPKI_ERROR_MESSAGES[code];
  }
}

export function isJpkiError(error: unknown): error is JpkiError {
  return error instanceof JpkiError;
}
