import type { JSONSchemaType } from 'ajv';
import type { JWK } from 'jose';
import { type DatePeriod, datePeriodSchema } from './connector-sdk-api';

/**
 * The wire of the connector (docs/connector.md): registration at the hub and the peer exchange
 * between connectors. The SDK endpoints a consuming service calls on its own connector are in
 * `connector-sdk-api.ts`.
 */

/** Status of a connector at the hub (the hub's `connectors.status`). Only `approved` connectors get anything. */
export type ConnectorStatus = 'pending' | 'approved' | 'suspended' | 'revoked';

/** Path prefix of the hub's connector API. */
export const HUB_CONNECT_PATH = '/connect/v1';
/** Path of the provider connector's peer exchange endpoint. */
export const PEER_EXCHANGE_PATH = '/peer/v1/exchange';
/** Path where a connector receives pushed revocation events. */
export const REVOCATION_EVENTS_PATH = '/revocations/v1/events';

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
  properties: { period: { ...datePeriodSchema, nullable: true } },
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
