/**
 * The SDK endpoints a consuming service calls on its own connector (docs/connector.md §4), and its
 * health answer. This module has no runtime imports: the vendor package `@tsunagu/connector-sdk`
 * carries it (with `errors.ts` and `connector-errors.ts`, see `connector-sdk-surface.ts`).
 */

/** Path prefix of the SDK endpoints (consumer side). */
export const SDK_PATH = '/sdk/v1';
/** Header that carries the SDK token when the connector is configured with one. */
export const SDK_TOKEN_HEADER = 'authorization';

/** A period of days, inclusive, as ISO dates (`YYYY-MM-DD`, Japan time). */
export interface DatePeriod {
  from: string;
  to: string;
}

const isoDate = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' } as const;

/** JSON Schema of {@link DatePeriod} (real calendar dates and the window are checked by the provider). */
export const datePeriodSchema = {
  type: 'object',
  properties: { from: isoDate, to: isoDate },
  required: ['from', 'to'],
  additionalProperties: false,
} as const;

/**
 * Body of `POST {connector}/sdk/v1/requests`: a consuming service asks its own connector for a
 * resident's data. The connector gets a grant from the hub and calls the provider.
 */
export interface SdkDataRequest {
  /** The resident's local ID **at the calling service** (e.g. its member number). */
  localId: string;
  /** The data use the resident consented to, e.g. `cashless.health-points`. */
  dataUse: string;
  /** The items wanted (a subset of the data use's items, all from one provider). */
  items: string[];
  /** The data use's purpose code, e.g. `health-points`. */
  purpose: string;
  /** For items with a time window: which days (default: the provider's default window). */
  period?: DatePeriod;
  /**
   * "What the consent allows": when true, the answer holds those of `items` the resident's consent
   * covers — at least one, else `items_not_consented` — and `notConsented` names the others. When
   * false or absent, every item must be covered (all or nothing, `items_not_consented`).
   */
  consentedOnly?: boolean;
}

const code = { type: 'string', maxLength: 128, pattern: '^[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*$' } as const;

/** JSON Schema of {@link SdkDataRequest}; unknown fields are refused. */
export const sdkDataRequestSchema = {
  $id: 'https://tsunagu.example/schemas/sdk-data-request.json',
  type: 'object',
  properties: {
    localId: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:@-]+$' },
    dataUse: code,
    items: { type: 'array', minItems: 1, maxItems: 64, uniqueItems: true, items: code },
    purpose: { type: 'string', maxLength: 64, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    period: { ...datePeriodSchema, nullable: true },
    consentedOnly: { type: 'boolean', nullable: true },
  },
  required: ['localId', 'dataUse', 'items', 'purpose'],
  additionalProperties: false,
} as const;

/** Answer of `POST /sdk/v1/requests` (200). */
export interface SdkDataResponse<TItems extends Record<string, unknown> = Record<string, unknown>> {
  /** The grant's ID (also in the resident's provision ledger). */
  grantId: string;
  dataUse: string;
  /** Item code → value, each checked against the item's JSON Schema by this connector: exactly the granted items. */
  items: TItems;
  /**
   * Only with `consentedOnly`: the requested items the consent does not cover, absent from `items`
   * (empty when it covers them all).
   */
  notConsented?: string[];
  /** The providing connector. */
  provider: { connectorId: string };
  /** ISO 8601 time the provider read the data. */
  providedAt: string;
}

/** JSON Schema of {@link SdkDataResponse}. */
export const sdkDataResponseSchema = {
  $id: 'https://tsunagu.example/schemas/sdk-data-response.json',
  type: 'object',
  properties: {
    grantId: { type: 'string' },
    dataUse: { type: 'string' },
    items: { type: 'object', additionalProperties: true },
    notConsented: { type: 'array', items: { type: 'string' } },
    provider: { type: 'object', properties: { connectorId: { type: 'string' } }, required: ['connectorId'], additionalProperties: false },
    providedAt: { type: 'string', format: 'date-time' },
  },
  required: ['grantId', 'dataUse', 'items', 'provider', 'providedAt'],
  additionalProperties: false,
} as const;

/** Answer of `GET {connector}/health`. */
export interface ConnectorHealth {
  status: 'ok' | 'degraded';
  connector: string;
  /** The hub-assigned ID (absent in the unconfigured shell). */
  connectorId?: string;
  hub: string;
  revocations?: {
    /** False when the last successful feed pull is older than the staleness bound: the peer endpoint refuses to serve. */
    fresh: boolean;
    lastSyncAt: string | null;
    size: number;
    /** The staleness bound in force: the smaller of the connector's own and the one the hub signs into its feed. */
    stalenessSeconds: number;
  };
}
