/**
 * The erasure callback (消去依頼): how a consumer connector hands an erasure request of the hub to
 * its own service (docs/erasure.md, docs/manuals/vendor.md "消去依頼の受け取り"). When a resident
 * leaves the platform (退会) or is recorded as deceased, the hub sends every connector whose
 * service received data about the resident a signed erasure request; the connector POSTs this
 * body to its service and acknowledges to the hub, signed, what the service answered.
 *
 * Runtime-free (the vendor SDK ships it): plain types and JSON Schemas as objects.
 */

/** Default path, appended to the connector configuration's `service.url`, that the connector POSTs the request to. */
export const ERASURE_CALLBACK_PATH = '/internal/v1/erasure';

/** Body the connector POSTs to its service (JSON, with the service token as `Authorization: Bearer`). */
export interface ErasureCallbackRequest {
  /** The hub's ID of this erasure (the same for every service of one departure); repeat calls carry the same ID. */
  erasureId: string;
  /** The resident in the service's own terms: its local ID (会員番号, user ID). */
  localId: string;
  /** The items the service received about the resident under their consents (item codes of the catalog). */
  items: string[];
  /** Why: `departure` (退会) or `deceased` (死亡の届出). */
  reason: 'departure' | 'deceased';
  /** ISO 8601: when the hub committed the request. */
  requestedAt: string;
}

/** Why an erasure was requested: `tenant_left` when a whole tenant left the platform ({@link TenantErasureCallbackRequest}). */
export type ErasureReason = 'departure' | 'deceased' | 'tenant_left';

/**
 * Body the connector POSTs to its service when a whole tenant left the platform (テナントの削除,
 * docs/erasure.md "Tenants leaving"): erase, for every resident, what the service received under
 * these data uses and agreements. Told apart from a resident's request by `kind`.
 */
export interface TenantErasureCallbackRequest {
  kind: 'tenant';
  /** The hub's ID of this erasure (the tenant's deletion); repeat calls carry the same ID. */
  erasureId: string;
  /** The code of the tenant that left. */
  tenant: string;
  /** Codes of the data uses whose copies are to be erased. */
  dataUses: string[];
  /** IDs of the agreements under which the data was received. */
  agreements: string[];
  /** The items received under them (item codes of the catalog). */
  items: string[];
  reason: 'tenant_left';
  requestedAt: string;
}

/** Either erasure callback body: a resident's ({@link ErasureCallbackRequest}) or a tenant's ({@link TenantErasureCallbackRequest}). */
export type AnyErasureCallbackRequest = ErasureCallbackRequest | TenantErasureCallbackRequest;

/** How many records of one item the service deleted. */
export interface ErasedCount {
  /** An item code of the request, or the service's own kind of record derived from it (e.g. `cashless.health-points`). */
  item: string;
  /** Records deleted (0 when it held none). */
  count: number;
}

/** A text in both languages, Japanese first. */
export interface ErasureText {
  ja: string;
  en: string;
}

/**
 * The service's answer (200): what it deleted, and how. Answer the same again for a repeated
 * `erasureId` (counts of the first call, or zeros): the connector may retry after a timeout.
 */
export interface ErasureCallbackAnswer {
  erased: ErasedCount[];
  /** How it was erased, in words the certificate prints (廃棄又は消去の方法), e.g. 「データベースから削除（復元不可）」. */
  method: ErasureText;
}

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '\\S' });

/** JSON Schema of {@link ErasureCallbackRequest}. */
export const erasureCallbackRequestSchema = {
  $id: 'https://tsunagu.example/schemas/erasure-callback-request.json',
  type: 'object',
  properties: {
    erasureId: { type: 'string', minLength: 1, maxLength: 128 },
    localId: text(256),
    items: { type: 'array', maxItems: 256, items: text(128) },
    reason: { type: 'string', enum: ['departure', 'deceased'] },
    requestedAt: { type: 'string', minLength: 1, maxLength: 64 },
  },
  required: ['erasureId', 'localId', 'items', 'reason', 'requestedAt'],
  additionalProperties: false,
} as const;

/** JSON Schema of {@link ErasedCount}. */
export const erasedCountSchema = {
  type: 'object',
  properties: { item: text(128), count: { type: 'integer', minimum: 0, maximum: 1e12 } },
  required: ['item', 'count'],
  additionalProperties: false,
} as const;

/** JSON Schema of {@link ErasureText}. */
export const erasureTextSchema = {
  type: 'object',
  properties: { ja: text(500), en: text(500) },
  required: ['ja', 'en'],
  additionalProperties: false,
} as const;

/** JSON Schema of {@link ErasureCallbackAnswer}. */
export const erasureCallbackAnswerSchema = {
  $id: 'https://tsunagu.example/schemas/erasure-callback-answer.json',
  type: 'object',
  properties: {
    erased: { type: 'array', maxItems: 256, items: erasedCountSchema },
    method: erasureTextSchema,
  },
  required: ['erased', 'method'],
  additionalProperties: false,
} as const;
