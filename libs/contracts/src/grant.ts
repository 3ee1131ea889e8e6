import type { JSONSchemaType } from 'ajv';

/**
 * Grants and proofs of the peer exchange (ARCHITECTURE.md §5, docs/adr/2026-11-22-grant-format.md).
 *
 * A **grant** is a JWT signed by the hub (ES256) and then encrypted to the providing connector's
 * encryption key (a nested JWT, RFC 7519 §5.2): the consumer connector carries it but cannot read
 * it, so it never learns the provider's local ID of the resident (ARCHITECTURE.md §3). The grant is
 * bound to the consumer connector's signing key (`cnf.jkt`, RFC 7800 / RFC 9449) and presented with
 * a fresh DPoP proof on every request:
 *
 * ```
 * POST /peer/v1/exchange
 * Authorization: DPoP <grant>
 * DPoP: <proof>
 * ```
 */

/** `typ` of the inner, signed grant (explicit typing, RFC 8725 §3.11). */
export const GRANT_JWT_TYPE = 'tsunagu-grant+jwt';
/** `cty` of the outer JWE: its plaintext is a JWT. */
export const GRANT_JWE_CONTENT_TYPE = 'JWT';
/** The only signature algorithm of grants, proofs, events and assertions. `none` and HS* are refused everywhere. */
export const GRANT_SIGNING_ALG = 'ES256';
/** Key management of the outer JWE (ECDH-ES on P-256 with AES key wrap). */
export const GRANT_KEY_MANAGEMENT_ALG = 'ECDH-ES+A256KW';
/** Content encryption of the outer JWE. */
export const GRANT_CONTENT_ENCRYPTION = 'A256GCM';
/** The longest a grant may live (`exp - iat`), in seconds. Longer grants are refused as invalid. */
export const GRANT_MAX_LIFETIME_SECONDS = 60;
/** Clock skew tolerated between hub and connectors, in seconds. */
export const GRANT_CLOCK_TOLERANCE_SECONDS = 5;
/** The `Authorization` scheme that carries a grant (RFC 9449 §7.1). */
export const GRANT_AUTH_SCHEME = 'DPoP';

/** `typ` of a proof of possession (RFC 9449 §4.2). */
export const PROOF_JWT_TYPE = 'dpop+jwt';
/** The header that carries the proof. */
export const PROOF_HEADER = 'DPoP';
/** A proof older than this many seconds (by its `iat`) is refused. */
export const PROOF_MAX_AGE_SECONDS = 60;

/** Confirmation claim: the SHA-256 JWK thumbprint (RFC 7638) of the consumer connector's signing key. */
export interface GrantConfirmation {
  jkt: string;
}

/**
 * Claims of a grant (the inner JWS). Names follow the registered JWT claims where one exists;
 * Tsunagu's own are snake_case.
 */
export interface GrantClaims {
  /** The hub that issued the grant (its public URL). */
  iss: string;
  /** The providing connector's ID (the hub's `connectors.id`). */
  aud: string;
  /** The resident's local ID **at the providing service** (never shown to the consumer). */
  sub: string;
  /** The consuming connector's ID (authorized party). */
  azp: string;
  /** The consuming service's client_id (for the provider's exchange record). */
  consumer_service: string;
  /** The data use the consent was given to, e.g. `cashless.health-points`. */
  data_use: string;
  /** The purpose code of that data use, e.g. `health-points`. */
  purpose: string;
  /** The granted items (item codes, e.g. `misasa-health.daily-steps`); the provider returns exactly these. */
  items: string[];
  /** The consent (stable across its versions). */
  consent_id: string;
  /** The consent version the hub checked; the provider refuses it once its revocation set holds a later or non-active version. */
  consent_version: number;
  /** Unique ID of the grant (also the ledger's grant ID). */
  jti: string;
  /** Issued at (seconds since the epoch). */
  iat: number;
  /** Expiry (seconds since the epoch); `exp - iat` ≤ {@link GRANT_MAX_LIFETIME_SECONDS}. */
  exp: number;
  /** Key binding to the consumer connector. */
  cnf: GrantConfirmation;
  /**
   * When true the consumer may present the grant again (each time with a fresh proof) until it
   * expires; when false or absent the provider accepts it once and refuses a second use as
   * `grant_replayed`. The hub decides per data use.
   */
  reusable?: boolean;
}

const code = { type: 'string', minLength: 1, maxLength: 128 } as const;

/** JSON Schema of {@link GrantClaims}; unknown claims are refused. */
export const grantClaimsSchema: JSONSchemaType<GrantClaims> = {
  $id: 'https://tsunagu.example/schemas/grant-claims.json',
  type: 'object',
  properties: {
    iss: { type: 'string', minLength: 1, maxLength: 500 },
    aud: code,
    sub: { type: 'string', minLength: 1, maxLength: 128 },
    azp: code,
    consumer_service: code,
    data_use: code,
    purpose: code,
    items: { type: 'array', minItems: 1, maxItems: 64, uniqueItems: true, items: code },
    consent_id: code,
    consent_version: { type: 'integer', minimum: 1 },
    jti: { type: 'string', minLength: 8, maxLength: 128 },
    iat: { type: 'integer' },
    exp: { type: 'integer' },
    cnf: {
      type: 'object',
      properties: { jkt: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } },
      required: ['jkt'],
      additionalProperties: false,
    },
    reusable: { type: 'boolean', nullable: true },
  },
  required: ['iss', 'aud', 'sub', 'azp', 'consumer_service', 'data_use', 'purpose', 'items', 'consent_id', 'consent_version', 'jti', 'iat', 'exp', 'cnf'],
  additionalProperties: false,
};

/** Claims of a DPoP proof (RFC 9449 §4.2). The header carries `typ: dpop+jwt`, `alg: ES256` and the public `jwk`. */
export interface ProofClaims {
  /** Unique per proof; a second use is refused as `grant_replayed`. */
  jti: string;
  /** The HTTP method of the request (`POST`). */
  htm: string;
  /** The request URL without query and fragment, e.g. `https://misasa-connector.example.jp/peer/v1/exchange`. */
  htu: string;
  /** Created at (seconds since the epoch). */
  iat: number;
  /** base64url(SHA-256(grant)) over the exact grant string sent in `Authorization`. */
  ath: string;
}

/** JSON Schema of {@link ProofClaims}. Extra claims are tolerated (RFC 9449 allows them) but ignored. */
export const proofClaimsSchema: JSONSchemaType<ProofClaims> = {
  $id: 'https://tsunagu.example/schemas/dpop-proof-claims.json',
  type: 'object',
  properties: {
    jti: { type: 'string', minLength: 8, maxLength: 128 },
    htm: { type: 'string', minLength: 1, maxLength: 16 },
    htu: { type: 'string', minLength: 1, maxLength: 2000 },
    iat: { type: 'integer' },
    ath: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
  },
  required: ['jti', 'htm', 'htu', 'iat', 'ath'],
  additionalProperties: true,
};

/** Body of `POST /connect/v1/grants` (consumer connector → hub, authenticated with a client assertion). */
export interface GrantRequest {
  /** The resident's local ID **at the consuming service**; the hub translates it. */
  localId: string;
  /** The data use the consumer asks under, e.g. `cashless.health-points`. */
  dataUse: string;
  /** The items wanted (all of one provider); the consent must cover every one of them, unless `consentedOnly`. */
  items: string[];
  /** The purpose code of the data use; refused as `purpose_mismatch` when it differs. */
  purpose: string;
  /**
   * When true the hub grants those of `items` the consent covers (the intersection; refused as
   * `items_not_consented` only when it is empty) and answers which in {@link GrantResponse.items}.
   * When false or absent, a consent that does not cover every item is refused (all or nothing).
   */
  consentedOnly?: boolean;
}

const localId = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:@-]+$' } as const;
const itemCode = { type: 'string', maxLength: 128, pattern: '^[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*$' } as const;
const purposeCode = { type: 'string', maxLength: 64, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' } as const;

/** JSON Schema of {@link GrantRequest}; unknown fields are refused. */
export const grantRequestSchema: JSONSchemaType<GrantRequest> = {
  $id: 'https://tsunagu.example/schemas/grant-request.json',
  type: 'object',
  properties: {
    localId,
    dataUse: itemCode,
    items: { type: 'array', minItems: 1, maxItems: 64, uniqueItems: true, items: itemCode },
    purpose: purposeCode,
    consentedOnly: { type: 'boolean', nullable: true },
  },
  required: ['localId', 'dataUse', 'items', 'purpose'],
  additionalProperties: false,
};

/** Answer of `POST /connect/v1/grants` (201). */
export interface GrantResponse {
  /** The grant: a compact JWE, opaque to the consumer. Send it as `Authorization: DPoP <grant>`. */
  grant: string;
  /** Always `DPoP`. */
  tokenType: 'DPoP';
  /** The grant's `jti`, for the consumer's exchange record and the provision ledger. */
  grantId: string;
  /**
   * The granted items (the grant's `items` claim): exactly what the provider will return. All the
   * requested items, or with `consentedOnly` those the consent covers.
   */
  items: string[];
  /** ISO 8601 expiry of the grant. */
  expiresAt: string;
  /** As the grant's `reusable` claim: whether the consumer may present it again before it expires. */
  reusable: boolean;
  /**
   * The consent the grant was issued under (the grant's `consent_id` claim, which the consumer
   * cannot read: the grant is encrypted to the provider). The consumer drops a cached grant, and
   * does not reuse it, once a consent change it hears of revokes this version.
   */
  consentId: string;
  /** The consent version the hub checked (the grant's `consent_version` claim). */
  consentVersion: number;
  /** Where to present it. */
  provider: {
    /** The providing connector's ID (the grant's audience). */
    connectorId: string;
    /** The providing connector's base URL; the exchange is `POST {url}/peer/v1/exchange`. */
    url: string;
  };
}

/** JSON Schema of {@link GrantResponse}, checked by the consumer connector. Extra fields are tolerated. */
export const grantResponseSchema: JSONSchemaType<GrantResponse> = {
  $id: 'https://tsunagu.example/schemas/grant-response.json',
  type: 'object',
  properties: {
    grant: { type: 'string', minLength: 20, maxLength: 16384 },
    tokenType: { type: 'string', const: 'DPoP' },
    grantId: { type: 'string', minLength: 8, maxLength: 128 },
    items: { type: 'array', minItems: 1, maxItems: 64, uniqueItems: true, items: itemCode },
    expiresAt: { type: 'string', format: 'date-time' },
    reusable: { type: 'boolean' },
    consentId: { type: 'string', minLength: 1, maxLength: 128 },
    consentVersion: { type: 'integer', minimum: 1 },
    provider: {
      type: 'object',
      properties: {
        connectorId: { type: 'string', minLength: 1, maxLength: 128 },
        url: { type: 'string', pattern: '^https?://', maxLength: 500 },
      },
      required: ['connectorId', 'url'],
      additionalProperties: true,
    },
  },
  required: ['grant', 'tokenType', 'grantId', 'items', 'expiresAt', 'reusable', 'consentId', 'consentVersion', 'provider'],
  additionalProperties: true,
};
