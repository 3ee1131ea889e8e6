import type { LoadedConnectorConfig } from './config/connector-file';

/** Injection tokens of the connector (CONVENTIONS.md §5: keys and outbound HTTP are injectable; the clock is CLOCK of @tsunagu/common). */
export const CONNECTOR_CONFIG = Symbol('CONNECTOR_CONFIG');
export const CONNECTOR_IDENTITY = Symbol('CONNECTOR_IDENTITY');
export const CONNECTOR_KEYS = Symbol('CONNECTOR_KEYS');
export const CONNECTOR_SECRETS = Symbol('CONNECTOR_SECRETS');
export const HTTP_FETCH = Symbol('HTTP_FETCH');

/** Outbound HTTP: `keepAliveFetch` unless a test injects another. */
export type HttpFetch = typeof fetch;

/** Who this connector is at the hub. */
export interface ConnectorIdentity {
  /** The hub-assigned connector ID: the audience of grants and events addressed to it. */
  id: string;
  name: string;
}

/** Secrets from the environment (never from the configuration file). */
export interface ConnectorSecrets {
  /** Required as `Authorization: Bearer …` on `/sdk/v1/*` when set. */
  sdkToken?: string;
  /** Sent to the service's internal API as `Authorization: Bearer …` when set. */
  serviceToken?: string;
}

export type ConnectorConfig = LoadedConnectorConfig;

/** The connector software version, reported at registration. */
export const CONNECTOR_VERSION = '0.1.0';
