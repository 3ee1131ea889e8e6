import type { JSONSchemaType } from 'ajv';
import { type ErasedCount, erasedCountSchema, type ErasureReason, type ErasureText, erasureTextSchema } from './erasure-callback';

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
 *
 * A second kind of revocation stops a **connector** rather than a consent: when a tenant admin
 * revokes a connector, the grants issued to it (`azp` = its ID) until that moment are refused by
 * every provider ({@link ConnectorRevocation}, `connector_revoked`). It travels as its own SET
 * event type and in its own feed claim, which only connectors that ask for it receive, so that
 * connectors of an earlier version keep verifying every event and page they get.
 */

/** Event type URI of a consent change inside a Security Event Token (RFC 8417 `events` claim). */
export const CONSENT_CHANGED_EVENT = 'https://tsunagu.example/secevent/consent-changed';
/** Event type URI of a revoked connector inside a Security Event Token ({@link ConnectorRevocation}). */
export const CONNECTOR_REVOKED_EVENT = 'https://tsunagu.example/secevent/connector-revoked';
/** Event type URI of an erasure request inside a Security Event Token ({@link ErasureRequest}). */
export const ERASURE_REQUESTED_EVENT = 'https://tsunagu.example/secevent/erasure-requested';
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
/**
 * Request header of `GET {hub}/connect/v1/revocations` naming, comma-separated, the feed entries
 * beyond consent changes that the connector understands ({@link FEED_CONNECTOR_REVOCATIONS}). The
 * hub adds a claim only for a connector that named it (an earlier connector refuses a page with a
 * claim it does not know), and an earlier hub ignores the header.
 */
export const REVOCATION_FEED_EXTENSIONS_HEADER = 'tsunagu-revocation-feed';
/** The feed extension of revoked connectors: the page's `revoked_connectors` claim. */
export const FEED_CONNECTOR_REVOCATIONS = 'connector-revoked';

/**
 * `GET {hub}/connect/v1/revocations/stream`: a server-sent event stream (text/event-stream) a
 * connector holds open to the hub, outbound like every other call, authenticated like the feed pull.
 * Its events:
 * - `head`: data = a compact JWS ({@link RevocationHeadClaims}), sent at once and then every few
 *   seconds: the feed's position as of a moment. A connector whose feed cursor covers it
 *   ({@link cursorCovers}) counts that moment as a sync without pulling; otherwise it pulls.
 * - `changes`: data = a compact JWS ({@link RevocationChangesClaims}): consent changes concerning
 *   this connector's service that just committed, signed once for every connector of the service.
 *   Apply them at once, as a pushed event; the feed (pulled when the next head is beyond the
 *   cursor) stays the source of truth and moves the cursor.
 * - `change`: data = the new head cursor (unsigned): something concerning this connector committed
 *   that no `changes` event carries (a connector revocation, a burst); pull the feed now.
 * Comment lines (`: …`) keep idle proxies from cutting it. A hub without it answers 404: pull.
 */
export const REVOCATION_STREAM_PATH = '/revocations/stream';
/** `typ` of a signed feed head sent on the revocation stream. */
export const REVOCATION_HEAD_JWT_TYPE = 'tsunagu-revocation-head+jwt';
/**
 * Response header of a `304 Not Modified` feed pull (the connector sent `If-None-Match` with the
 * page's `ETag`): the moment (ISO 8601) as of which the hub knew that no change followed `since`.
 * The connector counts the earlier of that moment and its pull's start as the sync.
 */
export const REVOCATION_FEED_AS_OF_HEADER = 'tsunagu-feed-as-of';

/** The feed's outbox position in a cursor or head (`s:<seq>`), or undefined when it is not one. */
function cursorSeq(cursor: string | undefined): bigint | undefined {
  const match = /^s:(\d{1,19})$/.exec(cursor ?? '');
  return match ? BigInt(match[1]) : undefined;
}

/**
 * True when a connector whose feed pulls reached `cursor` has seen every change up to `head`
 * (both `s:<seq>`). Anything else — an unreadable value, a hub of another cursor form — is false:
 * the connector then pulls.
 */
export function cursorCovers(cursor: string | undefined, head: string): boolean {
  const c = cursorSeq(cursor);
  const h = cursorSeq(head);
  return c !== undefined && h !== undefined && c >= h;
}

/** The further of two feed positions (`s:<seq>`); `b` when they cannot be compared. */
export function furtherCursor(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return cursorCovers(a, b) ? a : b;
}

/**
 * Claims of a feed head (the `head` events of {@link REVOCATION_STREAM_PATH}): one JWS per hub
 * process and moment, the same for every connector (no `aud`): it says nothing about any one
 * connector, only how far the feed reached.
 */
export interface RevocationHeadClaims {
  iss: string;
  iat: number;
  /** `iat` + at most {@link REVOCATION_FEED_MAX_AGE_SECONDS}. */
  exp: number;
  /** Every change committed before `as_of` is at or before this position of the feed (`s:<seq>`). */
  head: string;
  /** The moment the hub read the head (ISO 8601 with milliseconds), before its query ran. */
  as_of: string;
  /** As in {@link RevocationFeedClaims}. */
  staleness_seconds?: number;
}

/** JSON Schema of {@link RevocationHeadClaims}. */
export const revocationHeadClaimsSchema: JSONSchemaType<RevocationHeadClaims> = {
  $id: 'https://tsunagu.example/schemas/revocation-head-claims.json',
  type: 'object',
  properties: {
    iss: { type: 'string', minLength: 1, maxLength: 500 },
    iat: { type: 'integer' },
    exp: { type: 'integer' },
    head: { type: 'string', minLength: 1, maxLength: 256 },
    as_of: { type: 'string', minLength: 1, maxLength: 40 },
    staleness_seconds: { type: 'integer', minimum: 1, maximum: 3600, nullable: true },
  },
  required: ['iss', 'iat', 'exp', 'head', 'as_of'],
  additionalProperties: false,
};

/** `typ` of the signed consent changes sent on the revocation stream (`changes` events). */
export const REVOCATION_CHANGES_JWT_TYPE = 'tsunagu-revocation-changes+jwt';
/** At most this many changes in one `changes` event; more, and the hub sends `change` (pull) instead. */
export const REVOCATION_CHANGES_MAX = 100;

/**
 * Claims of a `changes` event of {@link REVOCATION_STREAM_PATH}: the consent changes after the
 * previous wake-up that concern one service, in feed order, signed once for all of its connectors
 * (no `aud`: every one of them would get the same changes from its feed). A change only ever makes
 * a provider refuse more, and applying one twice changes nothing, so a replay within `exp` is harmless.
 */
export interface RevocationChangesClaims {
  iss: string;
  iat: number;
  /** `iat` + at most {@link REVOCATION_FEED_MAX_AGE_SECONDS}. */
  exp: number;
  /** The providing service (its hub ID) the changes concern. */
  service: string;
  /** The feed's head (`s:<seq>`) when the changes were read; the feed covers them up to there. */
  head: string;
  changes: ConsentChange[];
}

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
 * A revoked connector: every grant issued to it (`azp` = `connector_id`) until `revoked_at` is
 * refused (`connector_revoked`), whatever its consent. The hub issues it no grant after that
 * moment (revocation is final, and the grant path reads the connector's status under a lock
 * that the revocation waits for), so a provider applying it stops everything the connector holds.
 * The grants it would serve as a provider stop too: the hub issues none for it any more.
 */
export interface ConnectorRevocation {
  /** The revoked connector's ID (the `azp` of the grants issued to it). */
  connector_id: string;
  /** ISO 8601: the moment of the revocation; grants issued (`iat`) until then are refused. */
  revoked_at: string;
}

/** JSON Schema of {@link ConnectorRevocation}. */
export const connectorRevocationSchema: JSONSchemaType<ConnectorRevocation> = {
  $id: 'https://tsunagu.example/schemas/connector-revocation.json',
  type: 'object',
  properties: {
    connector_id: { type: 'string', minLength: 1, maxLength: 128 },
    revoked_at: { type: 'string', minLength: 1, maxLength: 64 },
  },
  required: ['connector_id', 'revoked_at'],
  additionalProperties: false,
};

/**
 * What every pushed event carries besides its one event: a Security Event Token (RFC 8417) signed
 * by the hub (ES256, `typ: secevent+jwt`), pushed to `POST {connector}/revocations/v1/events` with
 * `Content-Type: application/secevent+jwt` (RFC 8935).
 */
export interface SecurityEventEnvelope {
  /** The hub. */
  iss: string;
  /** The receiving connector's ID. */
  aud: string;
  iat: number;
  /** Unique per token; the connector's acknowledgement names it. */
  jti: string;
  /** Transaction ID: the hub's outbox row, the same for every connector the change is sent to. */
  txn?: string;
}

/** Claims of a revocation event: one consent change per token. */
export interface RevocationEventClaims extends SecurityEventEnvelope {
  events: { [CONSENT_CHANGED_EVENT]: ConsentChange };
}

/**
 * Claims of a connector-revoked event: a SET like {@link RevocationEventClaims} (same header,
 * endpoint and acknowledgement) whose one event is {@link CONNECTOR_REVOKED_EVENT}, pushed to the
 * providers that served the revoked connector. A connector of an earlier version refuses it as
 * `event_invalid`; the hub then counts on the grants' expiry.
 */
export interface ConnectorRevokedEventClaims extends SecurityEventEnvelope {
  events: { [CONNECTOR_REVOKED_EVENT]: ConnectorRevocation };
}

/**
 * An erasure request (消去依頼, docs/erasure.md): a resident left the platform (or was recorded
 * as deceased); every consent of theirs was withdrawn first (its consent changes were pushed
 * before this). It goes to each connector whose service received data about the resident under
 * a consent (`consumer`: hand it to the service through the erasure callback, which deletes its
 * copy) or served such data (`provider`: drop every cached grant of the consents). A connector
 * can be both. It travels as its own SET event type, pushed and retried like a revocation event,
 * and is acknowledged with the same signed acknowledgement, naming what was erased
 * ({@link ErasureApplied}). A connector of an earlier version refuses it as `event_invalid`.
 */
export interface ErasureRequest {
  /** The hub's ID of the erasure (one per departure; the same for every connector). */
  erasure_id: string;
  /** What this connector is to the resident's data: `consumer` (its service holds a copy), `provider` (it served grants), or both. */
  roles: ('consumer' | 'provider')[];
  /** The resident's local ID at this connector's service, or null when the service had no link to them any more. */
  subject: string | null;
  /** The items the service received about the resident (a consumer: what its copy holds); for a provider only, the items it served. */
  items: string[];
  /** The resident's consents (every grant naming one of them is to be dropped from caches). */
  consent_ids: string[];
  reason: ErasureReason;
  /** ISO 8601: when the hub committed the request. */
  requested_at: string;
  /**
   * Present when a whole tenant left the platform (reason `tenant_left`, `subject` null): the
   * copies to erase are every record received under these data uses (codes) and agreements
   * (IDs), for every resident. A connector of an earlier version refuses it as `event_invalid`.
   */
  tenant?: ErasureRequestTenant;
}

/** The scope of a tenant's erasure request ({@link ErasureRequest.tenant}). */
export interface ErasureRequestTenant {
  /** The tenant's code. */
  code: string;
  /** Codes of the data uses whose copies are to be erased. */
  data_uses: string[];
  /** IDs of the agreements under which the data was provided. */
  agreements: string[];
}

/** JSON Schema of {@link ErasureRequest}. */
export const erasureRequestSchema = {
  $id: 'https://tsunagu.example/schemas/erasure-request.json',
  type: 'object',
  properties: {
    erasure_id: { type: 'string', minLength: 1, maxLength: 128 },
    roles: { type: 'array', minItems: 1, maxItems: 2, uniqueItems: true, items: { type: 'string', enum: ['consumer', 'provider'] } },
    subject: { type: ['string', 'null'], minLength: 1, maxLength: 256 },
    items: { type: 'array', maxItems: 256, items: { type: 'string', minLength: 1, maxLength: 128 } },
    consent_ids: { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 128 } },
    reason: { type: 'string', enum: ['departure', 'deceased', 'tenant_left'] },
    requested_at: { type: 'string', minLength: 1, maxLength: 64 },
    tenant: {
      type: 'object', nullable: true, additionalProperties: false, required: ['code', 'data_uses', 'agreements'],
      properties: {
        code: { type: 'string', minLength: 1, maxLength: 64 },
        data_uses: { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 128 } },
        agreements: { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 1, maxLength: 128 } },
      },
    },
  },
  required: ['erasure_id', 'roles', 'subject', 'items', 'consent_ids', 'reason', 'requested_at'],
  additionalProperties: false,
} as unknown as JSONSchemaType<ErasureRequest>;

/** Claims of an erasure-requested event: a SET like {@link RevocationEventClaims} whose one event is {@link ERASURE_REQUESTED_EVENT}. */
export interface ErasureRequestedEventClaims extends SecurityEventEnvelope {
  events: { [ERASURE_REQUESTED_EVENT]: ErasureRequest };
}

/**
 * What a connector's acknowledgement of an erasure request says was done: per item (or kind of
 * record) the number erased, at its service and in its own caches, and how. The hub prints it in
 * the erasure certificate (消去証明書) for this connector's medium.
 */
export interface ErasureApplied {
  erasure_id: string;
  erased: ErasedCount[];
  method: ErasureText;
}

/** JSON Schema of {@link ErasureApplied}. */
export const erasureAppliedSchema = {
  type: 'object',
  properties: {
    erasure_id: { type: 'string', minLength: 1, maxLength: 128 },
    erased: { type: 'array', maxItems: 256, items: erasedCountSchema },
    method: erasureTextSchema,
  },
  required: ['erasure_id', 'erased', 'method'],
  additionalProperties: false,
} as const;

/** The JSON Schema of a SET whose one event is `eventType`, of the given schema. */
function eventClaimsSchema<T>($id: string, eventType: string, event: object): JSONSchemaType<T> {
  return {
    $id,
    type: 'object',
    properties: {
      iss: { type: 'string', minLength: 1, maxLength: 500 },
      aud: { type: 'string', minLength: 1, maxLength: 128 },
      iat: { type: 'integer' },
      jti: { type: 'string', minLength: 8, maxLength: 128 },
      txn: { type: 'string', maxLength: 128, nullable: true },
      events: {
        type: 'object',
        properties: { [eventType]: event },
        required: [eventType],
        additionalProperties: false,
      },
    },
    required: ['iss', 'aud', 'iat', 'jti', 'events'],
    additionalProperties: false,
  } as unknown as JSONSchemaType<T>;
}

/** JSON Schema of {@link RevocationEventClaims}. */
export const revocationEventClaimsSchema = eventClaimsSchema<RevocationEventClaims>(
  'https://tsunagu.example/schemas/revocation-event-claims.json', CONSENT_CHANGED_EVENT, consentChangeSchema);

/** JSON Schema of {@link ConnectorRevokedEventClaims}. */
export const connectorRevokedEventClaimsSchema = eventClaimsSchema<ConnectorRevokedEventClaims>(
  'https://tsunagu.example/schemas/connector-revoked-event-claims.json', CONNECTOR_REVOKED_EVENT, connectorRevocationSchema);

/** JSON Schema of {@link ErasureRequestedEventClaims}. */
export const erasureRequestedEventClaimsSchema = eventClaimsSchema<ErasureRequestedEventClaims>(
  'https://tsunagu.example/schemas/erasure-requested-event-claims.json', ERASURE_REQUESTED_EVENT, erasureRequestSchema);

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
  /**
   * Revoked connectors after `cursor`, in commit order: only for a connector that asked for
   * {@link FEED_CONNECTOR_REVOCATIONS} ({@link REVOCATION_FEED_EXTENSIONS_HEADER}), and only those
   * it served a grant to. Changes and revocations share the cursor's order; `more` covers both.
   */
  revoked_connectors?: ConnectorRevocation[];
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
    revoked_connectors: { type: 'array', maxItems: 10000, items: connectorRevocationSchema, nullable: true },
  },
  required: ['iss', 'aud', 'iat', 'exp', 'cursor', 'more', 'changes'],
  additionalProperties: false,
};

/** JSON Schema of {@link RevocationChangesClaims}. */
export const revocationChangesClaimsSchema: JSONSchemaType<RevocationChangesClaims> = {
  $id: 'https://tsunagu.example/schemas/revocation-changes-claims.json',
  type: 'object',
  properties: {
    iss: { type: 'string', minLength: 1, maxLength: 500 },
    iat: { type: 'integer' },
    exp: { type: 'integer' },
    service: { type: 'string', minLength: 1, maxLength: 128 },
    head: { type: 'string', minLength: 1, maxLength: 256 },
    changes: { type: 'array', minItems: 1, maxItems: REVOCATION_CHANGES_MAX, items: consentChangeSchema },
  },
  required: ['iss', 'iat', 'exp', 'service', 'head', 'changes'],
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
  /** What was applied (the hub can check it matches what it sent). */
  applied: RevocationAckApplied;
}

/**
 * What an acknowledgement says was applied: the consent change (its consent and version), the
 * revoked connector (its ID and moment), or the erasure (what was erased).
 */
export type RevocationAckApplied = { consent_id: string; version: number } | ConnectorRevocation | ErasureApplied;

/** Answer of `POST /revocations/v1/events` (202): the signed acknowledgement. */
export interface RevocationEventAck {
  ack: string;
}
