import type { JSONSchemaType } from 'ajv';
import type { JWK } from 'jose';

/**
 * The wire of the connector (docs/connector.md): registration at the hub, the peer exchange
 * between connectors, and the SDK endpoints a consuming service calls on its own connector.
 */

/** Status of a connector at the hub (the hub's `connectors.status`). Only `approved` connectors get anything. */
export type ConnectorStatus = 'pending' | 'approved' | 'suspended' | 'revoked';

/** Path prefix of the hub's connector API. */
export const HUB_CONNECT_PATH = '/connect/v1';
/** Path of the provider connector's peer exchange endpoint. */
export const PEER_EXCHANGE_PATH = '/peer/v1/exchange';
/** Path where a connector receives pushed revocation events. */
export const REVOCATION_EVENTS_PATH = '/revocations/v1/events';
/** Path prefix of the SDK endpoints (consumer side). */
export const SDK_PATH = '/sdk/v1';
/** Header that carries the SDK token when the connector is configured with one. */
export const SDK_TOKEN_HEADER = 'authorization';

/**
 * Body of `POST {hub}/connect/v1/connectors`: a connector asks to be registered under its tenant.
 * The request carries `Authorization: Bearer <client assertion>` signed with the key in
 * `publicJwk`, whose `iss`/`sub` is the key's thumbprint URI (proof of possession). The hub
 * creates the connector as `pending`; a tenant admin approves it.
 */
export interface ConnectorRegistrationRequest {
  /** Unique within the tenant, e.g. `misasa-health`. */
  name: string;
  /** Code of the tenant the service belongs to, e.g. `misasa`. */
  tenant: string;
  /** The OIDC client_id of the service the connector is installed beside. */
  serviceClientId: string;
  /** The connector's signing key (ES256, public part only): client assertions, DPoP proofs, acknowledgements. */
  publicJwk: JWK;
  /** The connector's encryption key (ECDH-ES on P-256, public part only): grants addressed to it are encrypted to it. */
  encryptionJwk: JWK;
  /** Where peers and the hub reach the connector, e.g. `https://misasa-connector.example.jp`. */
  baseUrl: string;
  /** Connector software version. */
  version: string;
  /**
   * Key rotation: the existing connector whose keys these replace, and a client assertion signed
   * with its current key carrying `new_jkt` = thumbprint of the new `publicJwk`.
   */
  rotation?: { connectorId: string; proof: string };
}

const publicJwk = {
  type: 'object',
  properties: {
    kty: { type: 'string', const: 'EC' },
    crv: { type: 'string', const: 'P-256' },
    x: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
    y: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
    kid: { type: 'string', maxLength: 128, nullable: true },
    use: { type: 'string', enum: ['sig', 'enc'], nullable: true },
    alg: { type: 'string', enum: ['ES256', 'ECDH-ES+A256KW'], nullable: true },
  },
  required: ['kty', 'crv', 'x', 'y'],
  additionalProperties: false,
} as const;

/** JSON Schema of {@link ConnectorRegistrationRequest} (public keys only: a `d` is refused). */
export const connectorRegistrationRequestSchema = {
  $id: 'https://tsunagu.example/schemas/connector-registration-request.json',
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 2, maxLength: 64, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    tenant: { type: 'string', minLength: 1, maxLength: 32, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    serviceClientId: { type: 'string', minLength: 3, maxLength: 64, pattern: '^[a-z0-9._-]+$' },
    publicJwk,
    encryptionJwk: publicJwk,
    baseUrl: { type: 'string', pattern: '^https?://[^\\s?#]+$', maxLength: 500 },
    version: { type: 'string', minLength: 1, maxLength: 32 },
    rotation: {
      type: 'object',
      properties: { connectorId: { type: 'string', minLength: 1, maxLength: 128 }, proof: { type: 'string', minLength: 20, maxLength: 4096 } },
      required: ['connectorId', 'proof'],
      additionalProperties: false,
    },
  },
  required: ['name', 'tenant', 'serviceClientId', 'publicJwk', 'encryptionJwk', 'baseUrl', 'version'],
  additionalProperties: false,
} as const;

/**
 * The hub's view of a connector: the answer of `POST {hub}/connect/v1/connectors` (201) and of
 * `GET {hub}/connect/v1/connectors/{id}` (200; authenticated with the connector's client assertion,
 * allowed while pending so that it can wait for approval).
 */
export interface ConnectorRegistrationView {
  /** The connector's ID: the audience of grants addressed to it and the `iss` of its assertions. */
  id: string;
  name: string;
  tenant: string;
  serviceClientId: string;
  status: ConnectorStatus;
  /** Thumbprint of the registered signing key. */
  jkt: string;
  baseUrl: string;
  createdAt: string;
  statusChangedAt?: string | null;
}

/** JSON Schema of {@link ConnectorRegistrationView}, checked by the register command (extra fields tolerated). */
export const connectorRegistrationViewSchema: JSONSchemaType<ConnectorRegistrationView> = {
  $id: 'https://tsunagu.example/schemas/connector-registration-view.json',
  type: 'object',
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 128 },
    name: { type: 'string' },
    tenant: { type: 'string' },
    serviceClientId: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'approved', 'suspended', 'revoked'] },
    jkt: { type: 'string' },
    baseUrl: { type: 'string' },
    createdAt: { type: 'string' },
    statusChangedAt: { type: 'string', nullable: true },
  },
  required: ['id', 'status'],
  additionalProperties: true,
};

/** A period of days, inclusive, as ISO dates (`YYYY-MM-DD`, Japan time). */
export interface DatePeriod {
  from: string;
  to: string;
}

const isoDate = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' } as const;
const datePeriod = {
  type: 'object',
  properties: { from: isoDate, to: isoDate },
  required: ['from', 'to'],
  additionalProperties: false,
} as const;

/**
 * Body of `POST {provider}/peer/v1/exchange` (consumer connector → provider connector), sent with
 * `Authorization: DPoP <grant>` and `DPoP: <proof>`. The items come from the grant.
 */
export interface ExchangeRequest {
  /** For items with a time window (steps, visits, spending): which days. Defaults to the offer's default window; clamped to none beyond its maximum (refused as `invalid_request`). */
  period?: DatePeriod;
}

/** JSON Schema of {@link ExchangeRequest}. */
export const exchangeRequestSchema: JSONSchemaType<ExchangeRequest> = {
  $id: 'https://tsunagu.example/schemas/exchange-request.json',
  type: 'object',
  properties: { period: { ...datePeriod, nullable: true } },
  required: [],
  additionalProperties: false,
} as JSONSchemaType<ExchangeRequest>;

/** Answer of the peer exchange (200): every granted item, each valid against its offer's schema. Never partial. */
export interface ExchangeResponse {
  /** The grant's `jti`. */
  grantId: string;
  /** Item code → value. Exactly the granted items. */
  items: Record<string, unknown>;
  /** ISO 8601 time the provider read the data. */
  providedAt: string;
}

/** JSON Schema of {@link ExchangeResponse} (the consumer checks the shape, then each item against its own schema). */
export const exchangeResponseSchema = {
  $id: 'https://tsunagu.example/schemas/exchange-response.json',
  type: 'object',
  properties: {
    grantId: { type: 'string', minLength: 1, maxLength: 128 },
    items: { type: 'object' },
    providedAt: { type: 'string', format: 'date-time' },
  },
  required: ['grantId', 'items', 'providedAt'],
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
}

/** JSON Schema of {@link SdkDataRequest}; unknown fields are refused. */
export const sdkDataRequestSchema: JSONSchemaType<SdkDataRequest> = {
  $id: 'https://tsunagu.example/schemas/sdk-data-request.json',
  type: 'object',
  properties: {
    localId: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:@-]+$' },
    dataUse: { type: 'string', maxLength: 128, pattern: '^[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*$' },
    items: {
      type: 'array', minItems: 1, maxItems: 64, uniqueItems: true,
      items: { type: 'string', maxLength: 128, pattern: '^[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*$' },
    },
    purpose: { type: 'string', maxLength: 64, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    period: { ...datePeriod, nullable: true },
  },
  required: ['localId', 'dataUse', 'items', 'purpose'],
  additionalProperties: false,
} as JSONSchemaType<SdkDataRequest>;

/** Answer of `POST /sdk/v1/requests` (200). */
export interface SdkDataResponse<TItems extends Record<string, unknown> = Record<string, unknown>> {
  /** The grant's ID (also in the resident's provision ledger). */
  grantId: string;
  dataUse: string;
  /** Item code → value, each checked against the item's JSON Schema by this connector. */
  items: TItems;
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
  };
}
