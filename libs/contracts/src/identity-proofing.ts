import type { JSONSchemaType } from 'ajv';
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
} as const;
export type IdentityProofingErrorCode = keyof typeof IdentityProofingErrorCodes;
