import { statusFor } from '@tsunagu/common';
import { type IdentityProofingErrorCode, IdentityProofingErrorCodes, jpkiVerificationRequestSchema, PORTAL_CSRF_HEADER } from '@tsunagu/contracts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const dateTime = { type: 'string', format: 'date-time' };

/** What the verifier answers about a certificate, its signature and its revocation (libs/jpki JpkiErrorCode), in every verification. */
const CERTIFICATE_CODES: IdentityProofingErrorCode[] = [
  'jpki_malformed_certificate', 'jpki_certificate_too_large', 'jpki_unsupported_algorithm', 'jpki_malformed_signature', 'jpki_untrusted_chain',
  'jpki_certificate_expired', 'jpki_certificate_not_yet_valid', 'jpki_wrong_key_usage', 'jpki_not_signature_certificate', 'jpki_policy_not_accepted',
  'jpki_missing_attributes', 'jpki_certificate_revoked', 'jpki_bad_signature', 'jpki_crl_unavailable', 'jpki_crl_stale', 'jpki_crl_invalid',
  'jpki_crl_wrong_partition', 'jpki_ocsp_unavailable', 'jpki_ocsp_invalid', 'jpki_ocsp_unsigned', 'jpki_ocsp_unauthorized_responder',
  'jpki_ocsp_responder_revoked', 'jpki_ocsp_responder_unchecked', 'jpki_ocsp_stale', 'jpki_ocsp_wrong_certificate', 'jpki_ocsp_status_unknown',
];
/** The challenge and account rules of a verification. */
const ANSWER_CODES: IdentityProofingErrorCode[] = ['jpki_challenge_not_found', 'jpki_challenge_used', 'jpki_challenge_expired', 'jpki_card_already_used', 'jpki_not_configured'];
/** The resident's session (cookie) and its CSRF header. */
const SESSION_CODES: IdentityProofingErrorCode[] = ['jpki_sign_in_required', 'jpki_csrf_failed'];
/** The card app's one-time token. */
const TRANSFER_CODES: IdentityProofingErrorCode[] = ['jpki_transfer_not_found', 'jpki_transfer_used', 'jpki_transfer_expired', 'jpki_transfer_other_session'];

/** Every code the JPKI API can answer, for the spec that checks none is left out. */
export const JPKI_DOCUMENTED_CODES: readonly IdentityProofingErrorCode[] = [...CERTIFICATE_CODES, ...ANSWER_CODES, ...SESSION_CODES, ...TRANSFER_CODES];

const STATUS_WORDS: Record<number, string> = {
  400: 'Bad request, certificate or signature encoding, or challenge.', 401: 'Not signed in, or the certificate, its chain or the signature is refused.',
  403: 'CSRF header missing or wrong, or a transfer token of another (or an ended) session.', 409: 'Already used (challenge, transfer token), or the card verified another account.',
  429: 'Too many attempts: wait for `Retry-After` seconds.', 503: 'Revocation cannot be checked now (fails closed), or proofing is not configured.',
};

/**
 * The error responses of one operation: its `jpki_*` codes grouped by the HTTP status their
 * reason maps to (the same exhaustive mapping the hub's filter uses), with the shared codes.
 */
function errors(codes: IdentityProofingErrorCode[], extra: Partial<Record<number, string[]>> = {}): Record<string, unknown> {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const status = statusFor(IdentityProofingErrorCodes[code]);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, more] of Object.entries(extra)) byStatus.set(Number(status), [...(byStatus.get(Number(status)) ?? []), ...more!]);
  return Object.fromEntries([...byStatus.entries()].sort(([a], [b]) => a - b).map(([status, list]) => [String(status), {
    description: `${STATUS_WORDS[status] ?? 'Refused.'} Codes: ${list.map((c) => `\`${c}\``).join(', ')}.`,
    content: json(ref('Error')),
  }]));
}

const throttled = { 429: ['too_many_attempts'] };
const sessionOnly = [{ residentSession: [] }];
const sessionAndCsrf = [{ residentSession: [], csrfToken: [] }];
const transferToken = [{ jpkiTransfer: [] }];
const { $id: _id, ...verificationRequest } = jpkiVerificationRequestSchema;

/** The schemas of the JPKI API, for `components.schemas` of the portal document. */
export const jpkiOpenApiSchemas: Record<string, object> = {
  JpkiVerificationRequest: {
    ...verificationRequest,
    description: 'The card\'s answer to a challenge. `certificate`: the signature certificate (署名用電子証明書) as base64 of its DER (line breaks allowed), base64url, or PEM; '
      + '`signature`: RSASSA-PKCS1-v1_5 with SHA-256 over the UTF-8 bytes of `challenge`, base64 or base64url; `algorithm`: `RS256`. Bodies up to 64 KiB.',
  },
  JpkiChallenge: {
    type: 'object', required: ['challengeId', 'challenge', 'expiresAt'],
    properties: {
      challengeId: { type: 'string', format: 'uuid' }, challenge: { type: 'string', description: 'Random, single use, bound to the sign-in session: sign its UTF-8 bytes exactly as given' },
      expiresAt: { ...dateTime, description: 'Refused after this time (jpki_challenge_expired)' },
    },
  },
  JpkiAppChallenge: {
    allOf: [ref('JpkiChallenge'), {
      type: 'object', required: ['relyingParty'],
      properties: { relyingParty: { type: 'object', required: ['name', 'url'], description: 'Whom the resident verifies with, for the app to show', properties: { name: ref('Bilingual'), url: { type: 'string', format: 'uri' } } } },
    }],
  },
  JpkiVerification: {
    type: 'object', required: ['verified', 'verifiedAt', 'certificateNotAfter'],
    description: 'Verified. No certificate attribute is returned or kept.',
    properties: { verified: { const: true }, verifiedAt: dateTime, certificateNotAfter: { ...dateTime, description: 'The certificate\'s expiry: verify again with the renewed card after it' } },
  },
  JpkiStatus: {
    type: 'object', required: ['verified', 'verifiedAt', 'csrfToken'],
    properties: { verified: { type: 'boolean' }, verifiedAt: { type: ['string', 'null'], format: 'date-time' }, csrfToken: { type: 'string', description: `For the \`${PORTAL_CSRF_HEADER}\` header of the POSTs` } },
  },
  JpkiTransfer: {
    type: 'object', required: ['transferId', 'link', 'token', 'expiresAt'],
    properties: {
      transferId: { type: 'string', format: 'uuid', description: 'What the PC page polls (GET /api/v1/identity/jpki/transfers/{id})' },
      link: { type: 'string', format: 'uri', description: '`<PUBLIC_URL>/jpki/app#token=<token>`: what the QR code holds (the token is in the fragment, never sent by a browser)' },
      token: { type: 'string', pattern: '^[A-Za-z0-9_-]{32}$', description: 'One-time, short-lived, bound to this session and challenge; shown once' },
      expiresAt: dateTime,
    },
  },
  JpkiTransferStatus: {
    type: 'object', required: ['state'],
    properties: {
      state: { type: 'string', enum: ['waiting', 'verified', 'refused', 'expired'] },
      code: { type: 'string', description: 'When `refused`: the refusal\'s `jpki_*` code' },
      message: { ...ref('Bilingual'), description: 'When `refused`: what to tell the resident' },
    },
  },
};

/** The security schemes of the JPKI API beyond the portal's session cookie and CSRF header. */
export const jpkiSecuritySchemes: Record<string, object> = {
  jpkiTransfer: {
    type: 'apiKey', in: 'header', name: 'Authorization',
    description: 'A card app on another device: `Authorization: JPKI-Transfer <token>` with the one-time token of a hand-over (from the link\'s fragment or typed in). No cookie, no CSRF header.',
  },
};

/**
 * The identity-proofing API (JPKI, the My Number card's signature certificate) as OpenAPI paths:
 * the same-device API with the resident's session, and the card-app API with a transfer token.
 * docs/jpki-hub.md "Request format for card apps" is the prose for vendors.
 */
export function jpkiOpenApiPaths(): Record<string, unknown> {
  const transferId = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }];
  return {
    '/api/v1/identity/jpki': {
      get: {
        operationId: 'getIdentityProofing', tags: ['identity proofing'], security: sessionOnly,
        summary: 'Whether the resident is verified with the My Number card, and the CSRF token for the POSTs',
        responses: { 200: { description: 'Status.', content: json(ref('JpkiStatus')) }, ...errors(['jpki_sign_in_required']) },
      },
    },
    '/api/v1/identity/jpki/challenges': {
      post: {
        operationId: 'createJpkiChallenge', tags: ['identity proofing'], security: sessionAndCsrf,
        summary: 'A challenge for the card to sign (same device: a card reader or NFC on the device that holds the session)',
        responses: { 201: { description: 'The challenge.', content: json(ref('JpkiChallenge')) }, ...errors([...SESSION_CODES, 'jpki_not_configured'], throttled) },
      },
    },
    '/api/v1/identity/jpki/verifications': {
      post: {
        operationId: 'verifyJpki', tags: ['identity proofing'], security: sessionAndCsrf,
        summary: 'The card\'s answer: signature, certificate chain to the JPKI trust anchors, validity, policy, revocation (CRL or OCSP, fails closed), one account per card',
        requestBody: { required: true, content: json(ref('JpkiVerificationRequest')) },
        responses: {
          200: { description: 'Verified.', content: json(ref('JpkiVerification')) },
          ...errors([...CERTIFICATE_CODES, ...ANSWER_CODES, ...SESSION_CODES], { 400: ['invalid_request', 'payload_too_large'], ...throttled }),
        },
      },
    },
    '/api/v1/identity/jpki/transfers': {
      post: {
        operationId: 'createJpkiTransfer', tags: ['identity proofing'], security: sessionAndCsrf,
        summary: 'A hand-over to a card app on another device: a challenge bound to this session and a one-time token for the QR code',
        responses: { 201: { description: 'The hand-over.', content: json(ref('JpkiTransfer')) }, ...errors([...SESSION_CODES, 'jpki_not_configured'], throttled) },
      },
    },
    '/api/v1/identity/jpki/transfers/{id}': {
      get: {
        operationId: 'getJpkiTransfer', tags: ['identity proofing'], security: sessionOnly, parameters: transferId,
        summary: 'What the PC page polls until the app has answered (only the session that started the hand-over sees it)',
        responses: { 200: { description: 'The state.', content: json(ref('JpkiTransferStatus')) }, ...errors(['jpki_sign_in_required', 'jpki_transfer_not_found']) },
      },
    },
    '/api/v1/identity/jpki/app/challenge': {
      get: {
        operationId: 'getJpkiAppChallenge', tags: ['card app'], security: transferToken,
        summary: 'Card app: the challenge of the hand-over (does not spend the token)',
        responses: { 200: { description: 'The challenge.', content: json(ref('JpkiAppChallenge')) }, ...errors(TRANSFER_CODES, throttled) },
      },
    },
    '/api/v1/identity/jpki/app/verifications': {
      post: {
        operationId: 'verifyJpkiApp', tags: ['card app'], security: transferToken,
        summary: 'Card app: the card\'s answer with the token (spent by this call whatever its outcome; the PC page then shows the result)',
        requestBody: { required: true, content: json(ref('JpkiVerificationRequest')) },
        responses: {
          200: { description: 'Verified.', content: json(ref('JpkiVerification')) },
          ...errors([...CERTIFICATE_CODES, ...ANSWER_CODES.filter((c) => c !== 'jpki_challenge_not_found'), ...TRANSFER_CODES], { 400: ['invalid_request', 'payload_too_large'], ...throttled }),
        },
      },
    },
  };
}
