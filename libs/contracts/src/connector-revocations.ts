import type { JSONSchemaType } from 'ajv';

/**
 * Revocation events and the revocation feed (ARCHITECTURE.md §6,
 * docs/adr/2026-11-22-revocation-set.md).
 *
 * The unit is a **consent change**: "consent C is now at version V in state S". A connector keeps,
 * per consent, the highest version it has heard of. A grant naming consent C at version G is
 * refused (`consent_revoked`) when the connector knows a version V > G, or V = G in a state other
 * than `active`. So a withdrawal, an expiry, a pause and a narrowing of items (a new active version)
 * all stop grants issued before them, while a later opt-in (a newer active version) is honoured.
 * Applying a change twice, late, or out of order is harmless: the set only moves forward.
 */

/** Event type URI of a consent change inside a Security Event Token (RFC 8417 `events` claim). */
export const CONSENT_CHANGED_EVENT = 'https://tsunagu.example/secevent/consent-changed';
/** `typ` of a pushed revocation event (RFC 8417 §2.3). */
export const SET_JWT_TYPE = 'secevent+jwt';
/** Media type of the body of `POST /revocations/v1/events` (RFC 8935 §2). */
export const SET_CONTENT_TYPE = 'application/secevent+jwt';
/** `typ` of a signed revocation feed page. */
export const REVOCATION_FEED_JWT_TYPE = 'tsunagu-revocation-feed+jwt';
/** `typ` of a connector's signed acknowledgement of pushed events. */
export const REVOCATION_ACK_JWT_TYPE = 'tsunagu-secevent-ack+jwt';
/** A feed page older than this (by `iat`) is refused: it could be an old page replayed to hide a revocation. */
export const REVOCATION_FEED_MAX_AGE_SECONDS = 30;

/** The states a consent version can be in (same as the consent API's `ConsentState`). */
export type ConsentChangeState = 'active' | 'withdrawn' | 'expired' | 'paused' | 'ended';

/** One consent change. */
export interface ConsentChange {
  /** The consent (stable across versions). */
  consent_id: string;
  /** The consent's new current version. */
  version: number;
  /** Its state; anything but `active` also stops grants naming this very version. */
  state: ConsentChangeState;
  /** ISO 8601 time the hub committed the change. */
  changed_at: string;
}

/** JSON Schema of {@link ConsentChange}. */
export const consentChangeSchema: JSONSchemaType<ConsentChange> = {
  $id: 'https://tsunagu.example/schemas/consent-change.json',
  type: 'object',
  properties: {
    consent_id: { type: 'string', minLength: 1, maxLength: 128 },
    version: { type: 'integer', minimum: 1 },
    state: { type: 'string', enum: ['active', 'withdrawn', 'expired', 'paused', 'ended'] },
    changed_at: { type: 'string', minLength: 1, maxLength: 64 },
  },
  required: ['consent_id', 'version', 'state', 'changed_at'],
  additionalProperties: false,
};

/**
 * Claims of a revocation event: a Security Event Token (RFC 8417) signed by the hub (ES256,
 * `typ: secevent+jwt`), pushed to `POST {connector}/revocations/v1/events` with
 * `Content-Type: application/secevent+jwt` (RFC 8935). One event per token.
 */
export interface RevocationEventClaims {
  /** The hub. */
  iss: string;
  /** The receiving connector's ID. */
  aud: string;
  iat: number;
  /** Unique per token; the connector's acknowledgement names it. */
  jti: string;
  /** Transaction ID: the hub's outbox row, the same for every connector the change is sent to. */
  txn?: string;
  events: { [CONSENT_CHANGED_EVENT]: ConsentChange };
}

/** JSON Schema of {@link RevocationEventClaims}. */
export const revocationEventClaimsSchema: JSONSchemaType<RevocationEventClaims> = {
  $id: 'https://tsunagu.example/schemas/revocation-event-claims.json',
  type: 'object',
  properties: {
    iss: { type: 'string', minLength: 1, maxLength: 500 },
    aud: { type: 'string', minLength: 1, maxLength: 128 },
    iat: { type: 'integer' },
    jti: { type: 'string', minLength: 8, maxLength: 128 },
    txn: { type: 'string', maxLength: 128, nullable: true },
    events: {
      type: 'object',
      properties: { [CONSENT_CHANGED_EVENT]: consentChangeSchema },
      required: [CONSENT_CHANGED_EVENT],
      additionalProperties: false,
    },
  },
  required: ['iss', 'aud', 'iat', 'jti', 'events'],
  additionalProperties: false,
} as JSONSchemaType<RevocationEventClaims>;

/**
 * Claims of one page of the revocation feed: the body of `GET {hub}/connect/v1/revocations?since=…`
 * is a compact JWS (`Content-Type: application/jwt`) signed by the hub with these claims.
 */
export interface RevocationFeedClaims {
  iss: string;
  /** The connector that asked (from its client assertion). */
  aud: string;
  iat: number;
  /** `iat` + at most {@link REVOCATION_FEED_MAX_AGE_SECONDS}. */
  exp: number;
  /**
   * Opaque position after the last change of this page: the next pull sends it as `since`. A pull
   * without `since` (a connector that just started) gets every change that could still affect an
   * unexpired grant (at least the last 10 minutes).
   */
  cursor: string;
  /** True when more changes follow: pull again at once with the new cursor. */
  more: boolean;
  /** Changes in commit order (possibly none). */
  changes: ConsentChange[];
  /**
   * The staleness bound the hub imposes, in seconds: a providing connector whose last complete pull
   * started longer ago than the smaller of this and its own `revocations.stalenessSeconds` refuses
   * to serve. With it the hub knows the latest moment any provider can serve without having seen
   * a change: its commit plus this bound (a pull whose query ran after the commit carries the
   * change; one whose query ran before it also started before it). Absent from older hubs.
   */
  staleness_seconds?: number;
}

/** JSON Schema of {@link RevocationFeedClaims}. */
export const revocationFeedClaimsSchema: JSONSchemaType<RevocationFeedClaims> = {
  $id: 'https://tsunagu.example/schemas/revocation-feed-claims.json',
  type: 'object',
  properties: {
    iss: { type: 'string', minLength: 1, maxLength: 500 },
    aud: { type: 'string', minLength: 1, maxLength: 128 },
    iat: { type: 'integer' },
    exp: { type: 'integer' },
    cursor: { type: 'string', minLength: 1, maxLength: 256 },
    more: { type: 'boolean' },
    changes: { type: 'array', maxItems: 10000, items: consentChangeSchema },
    staleness_seconds: { type: 'integer', minimum: 1, maximum: 3600, nullable: true },
  },
  required: ['iss', 'aud', 'iat', 'exp', 'cursor', 'more', 'changes'],
  additionalProperties: false,
};

/**
 * Claims of the acknowledgement a connector returns for a pushed event: a JWS signed with the
 * connector's registered key (ES256, `typ: tsunagu-secevent-ack+jwt`, `kid` = its JWK thumbprint).
 * The hub stores it as proof of delivery.
 */
export interface RevocationAckClaims {
  /** The connector's ID. */
  iss: string;
  /** The hub's issuer. */
  aud: string;
  iat: number;
  jti: string;
  /** The `jti` of the acknowledged event. */
  ack: string;
  /** The consent change as applied (the hub can check it matches what it sent). */
  applied: { consent_id: string; version: number };
}

/** Answer of `POST /revocations/v1/events` (202): the signed acknowledgement. */
export interface RevocationEventAck {
  ack: string;
}
