import type { JSONSchemaType } from 'ajv';
import { DEFAULT_LOG_LEVEL, LOG_LEVELS, type LogLevel } from '@tsunagu/logger';
import { DEV_SESSION_SECRET, type DemoSettings, assertProductionReady } from './demo-settings';

/** The settings a demo service reads under its own prefix (`DEMO_CASHLESS_HOST`, `DEMO_MISASA_HOST`). */
interface DemoOwnFields {
  HOST: string;
  PORT: number;
  /** Where residents reach this demo; default `http://localhost:<port>`. */
  PUBLIC_URL?: string;
  CLIENT_ID: string;
  CLIENT_SECRET: string;
}

/**
 * Every env setting of one demo service. Its own ones carry its prefix, so that both demos can
 * run from one environment; the hub, store and connector settings are shared. Secrets (marked
 * `sensitive` in the schema, never printed): the client secret, the session secret and the two
 * connector tokens.
 */
export type DemoConfig<P extends string> = {
  NODE_ENV: 'development' | 'production' | 'test';
  HUB_URL: string;
  DEMO_SESSION_SECRET: string;
  DATA_DIR: string;
  DEMO_STORE: 'pglite' | 'memory';
  DEMO_TRUST_PROXY: boolean;
  /** Secret: the bearer token its connector sends to the internal API (the connector's own CONNECTOR_SERVICE_TOKEN). Without it, loopback callers only. */
  CONNECTOR_SERVICE_TOKEN?: string;
  /** Base URL of its own connector, whose SDK it asks for the other service's data (`npm start`: its connector). */
  CONNECTOR_SDK_URL?: string;
  /** Secret: the connector's CONNECTOR_SDK_TOKEN. Without it the connector answers callers on its own machine only. */
  CONNECTOR_SDK_TOKEN?: string;
  LOG_LEVEL: LogLevel;
} & { [K in keyof DemoOwnFields as `${P}_${K}`]: DemoOwnFields[K] };

/** What tells one demo service's config apart from the other's. */
export interface DemoConfigSpec<P extends string> {
  /** Prefix of the service's own env variables (`DEMO_CASHLESS`). */
  prefix: P;
  /** The service name of {@link DemoSettings}; also the default client ID, as the hub seeds the demo clients under these names. */
  serviceName: string;
  defaultPort: number;
  /** Development default of `<prefix>_CLIENT_SECRET`; refused in production. */
  devClientSecret: string;
}

/** The JSON Schema (ajv, for loadConfig) of one demo service's env settings. */
export function demoConfigSchema<P extends string>(spec: DemoConfigSpec<P>): JSONSchemaType<DemoConfig<P>> {
  const { prefix } = spec;
  // Computed keys widen to `string`, so TypeScript cannot check the object against DemoConfig<P>;
  // the demos' config specs check it at run time instead.
  return {
    type: 'object',
    properties: {
      NODE_ENV: { type: 'string', enum: ['development', 'production', 'test'], default: 'development' },
      [`${prefix}_HOST`]: { type: 'string', minLength: 1, default: '127.0.0.1' },
      [`${prefix}_PORT`]: { type: 'integer', minimum: 0, maximum: 65535, default: spec.defaultPort },
      [`${prefix}_PUBLIC_URL`]: { type: 'string', format: 'uri', pattern: '^https?://[^/?#]+(/[^?#]*)?$', nullable: true },
      HUB_URL: { type: 'string', format: 'uri', pattern: '^https?://[^?#]+$', default: 'http://localhost:3000' },
      [`${prefix}_CLIENT_ID`]: { type: 'string', minLength: 1, default: spec.serviceName },
      [`${prefix}_CLIENT_SECRET`]: { type: 'string', minLength: 16, default: spec.devClientSecret, sensitive: true },
      DEMO_SESSION_SECRET: { type: 'string', minLength: 32, default: DEV_SESSION_SECRET, sensitive: true },
      DATA_DIR: { type: 'string', minLength: 1, default: './data' },
      DEMO_STORE: { type: 'string', enum: ['pglite', 'memory'], default: 'pglite' },
      DEMO_TRUST_PROXY: { type: 'boolean', default: false },
      CONNECTOR_SERVICE_TOKEN: { type: 'string', minLength: 16, nullable: true, sensitive: true },
      CONNECTOR_SDK_URL: { type: 'string', format: 'uri', pattern: '^https?://[^?#]+$', nullable: true },
      CONNECTOR_SDK_TOKEN: { type: 'string', minLength: 16, nullable: true, sensitive: true },
      LOG_LEVEL: { type: 'string', enum: [...LOG_LEVELS], default: DEFAULT_LOG_LEVEL },
    },
    required: ['NODE_ENV', `${prefix}_HOST`, `${prefix}_PORT`, 'HUB_URL', `${prefix}_CLIENT_ID`,
      `${prefix}_CLIENT_SECRET`, 'DEMO_SESSION_SECRET', 'DATA_DIR', 'DEMO_STORE', 'DEMO_TRUST_PROXY', 'LOG_LEVEL'],
    additionalProperties: false,
  } as unknown as JSONSchemaType<DemoConfig<P>>;
}

/** The shared demo settings of one demo service; refuses development secrets in production. */
export function demoSettingsFrom<P extends string>(spec: DemoConfigSpec<P>, config: DemoConfig<P>): DemoSettings {
  // TypeScript cannot index a mapped type by a generic template key, so the one cast is here.
  const own = <K extends keyof DemoOwnFields>(name: K) => (config as Record<string, unknown>)[`${spec.prefix}_${name}`] as DemoOwnFields[K];
  const settings: DemoSettings = {
    serviceName: spec.serviceName,
    nodeEnv: config.NODE_ENV,
    host: own('HOST'),
    port: own('PORT'),
    publicUrl: own('PUBLIC_URL'),
    hubUrl: config.HUB_URL,
    clientId: own('CLIENT_ID'),
    clientSecret: own('CLIENT_SECRET'),
    sessionSecret: config.DEMO_SESSION_SECRET,
    store: config.DEMO_STORE,
    dataDir: config.DATA_DIR,
    trustProxy: config.DEMO_TRUST_PROXY,
    serviceToken: config.CONNECTOR_SERVICE_TOKEN,
    connectorSdkUrl: config.CONNECTOR_SDK_URL,
    connectorSdkToken: config.CONNECTOR_SDK_TOKEN,
    logLevel: config.LOG_LEVEL,
  };
  assertProductionReady(settings, spec.devClientSecret, spec.prefix);
  return settings;
}
