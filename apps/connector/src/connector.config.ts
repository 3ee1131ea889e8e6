import type { JSONSchemaType } from 'ajv';
import { ConfigError, loadConfig } from '@tsunagu/config';
import { metricsAccessProblems } from '@tsunagu/metrics';
import { DEFAULT_LOG_LEVEL, LOG_LEVELS, type LogLevel } from '@tsunagu/logger';

/**
 * Environment of one connector process (one per installed service). The connector's settings
 * live in its configuration file (`CONNECTOR_CONFIG`, see connector-configs/); the environment
 * names that file, may override where it listens and which hub it calls (containers), and carries
 * the secrets, which never go in the file (marked `sensitive` in the schema: never printed).
 */
export interface ConnectorEnv {
  /** Path of the configuration file. Without it the process runs as the health-only shell (until `npm start` passes one). */
  CONNECTOR_CONFIG?: string;
  /** Shell only: the name the health endpoint reports. */
  CONNECTOR_NAME: string;
  /** Override of `listen.host`. */
  CONNECTOR_HOST?: string;
  /** Override of `listen.port`. */
  CONNECTOR_PORT?: number;
  /** Override of `hub.url` (the issuer and JWKS URL follow unless the file sets them). */
  HUB_URL?: string;
  /** Override of `service.url`: where the service's internal API is, as this container sees it. */
  CONNECTOR_SERVICE_URL?: string;
  /** Override of `publicUrl`: where other connectors and the hub reach this one. */
  CONNECTOR_PUBLIC_URL?: string;
  /** Override of `keys.file` (the registration record sits beside it): a mounted volume in containers. */
  CONNECTOR_KEYS_FILE?: string;
  /** Secret: bearer token required on `/sdk/v1/*`. Without it only local callers are accepted. */
  CONNECTOR_SDK_TOKEN?: string;
  /** Secret: bearer token sent to the service's internal API. */
  CONNECTOR_SERVICE_TOKEN?: string;
  /** Monitoring networks (comma-separated CIDRs) that may scrape /metrics (default: loopback only). */
  CONNECTOR_METRICS_ALLOWED_CIDRS?: string;
  /** Proxies (CIDRs) whose X-Forwarded-For is believed when judging who scrapes /metrics. */
  CONNECTOR_TRUSTED_PROXIES?: string;
  /** Also write the logs to daily-rotated, gzip'd files here, kept 400 days (docs/operations.md). */
  CONNECTOR_LOG_DIR?: string;
  LOG_LEVEL: LogLevel;
}

export const connectorEnvSchema: JSONSchemaType<ConnectorEnv> = {
  type: 'object',
  properties: {
    CONNECTOR_CONFIG: { type: 'string', minLength: 1, nullable: true },
    CONNECTOR_NAME: { type: 'string', pattern: '^[a-z0-9-]{2,64}$', default: 'connector' },
    CONNECTOR_HOST: { type: 'string', minLength: 1, nullable: true },
    CONNECTOR_PORT: { type: 'integer', minimum: 0, maximum: 65535, nullable: true },
    HUB_URL: { type: 'string', format: 'uri', pattern: '^https?://', nullable: true },
    CONNECTOR_SERVICE_URL: { type: 'string', format: 'uri', pattern: '^https?://[^?#]+$', nullable: true },
    CONNECTOR_PUBLIC_URL: { type: 'string', format: 'uri', pattern: '^https?://[^?#]+$', nullable: true },
    CONNECTOR_KEYS_FILE: { type: 'string', minLength: 1, maxLength: 1000, nullable: true },
    CONNECTOR_SDK_TOKEN: { type: 'string', minLength: 16, nullable: true, sensitive: true },
    CONNECTOR_SERVICE_TOKEN: { type: 'string', minLength: 1, nullable: true, sensitive: true },
    CONNECTOR_METRICS_ALLOWED_CIDRS: { type: 'string', maxLength: 4000, nullable: true },
    CONNECTOR_TRUSTED_PROXIES: { type: 'string', maxLength: 4000, nullable: true },
    CONNECTOR_LOG_DIR: { type: 'string', minLength: 1, maxLength: 1000, nullable: true },
    LOG_LEVEL: { type: 'string', enum: [...LOG_LEVELS], default: DEFAULT_LOG_LEVEL },
  },
  required: ['CONNECTOR_NAME', 'LOG_LEVEL'],
  additionalProperties: false,
};

export function loadConnectorEnv(env: NodeJS.ProcessEnv = process.env): ConnectorEnv {
  const loaded = loadConfig(connectorEnvSchema, env);
  const problems = metricsAccessProblems('CONNECTOR_METRICS_ALLOWED_CIDRS', { allowed: loaded.CONNECTOR_METRICS_ALLOWED_CIDRS ?? '', trustedProxies: loaded.CONNECTOR_TRUSTED_PROXIES }, 'CONNECTOR_TRUSTED_PROXIES');
  if (problems.length) throw new ConfigError(problems);
  return loaded;
}
