import type { JSONSchemaType } from 'ajv';
import { loadConfig } from '@tsunagu/config';
import { DEV_SESSION_SECRET, assertProductionReady, type DemoSettings } from '@tsunagu/demo-kit';

/** Every setting of the Misasa health demo. Secrets: the client secret, the session secret and the service token. */
export interface MisasaConfig {
  NODE_ENV: 'development' | 'production' | 'test';
  DEMO_MISASA_HOST: string;
  DEMO_MISASA_PORT: number;
  /** Where residents reach this demo; default `http://localhost:<port>`. */
  DEMO_MISASA_PUBLIC_URL?: string;
  HUB_URL: string;
  DEMO_MISASA_CLIENT_ID: string;
  DEMO_MISASA_CLIENT_SECRET: string;
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
}

export const DEV_MISASA_CLIENT_SECRET = 'demo-misasa-health-secret';

export const misasaConfigSchema: JSONSchemaType<MisasaConfig> = {
  type: 'object',
  properties: {
    NODE_ENV: { type: 'string', enum: ['development', 'production', 'test'], default: 'development' },
    DEMO_MISASA_HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    DEMO_MISASA_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3102 },
    DEMO_MISASA_PUBLIC_URL: { type: 'string', format: 'uri', pattern: '^https?://[^/?#]+(/[^?#]*)?$', nullable: true },
    HUB_URL: { type: 'string', format: 'uri', pattern: '^https?://[^?#]+$', default: 'http://localhost:3000' },
    DEMO_MISASA_CLIENT_ID: { type: 'string', minLength: 1, default: 'demo-misasa-health' },
    DEMO_MISASA_CLIENT_SECRET: { type: 'string', minLength: 16, default: DEV_MISASA_CLIENT_SECRET },
    DEMO_SESSION_SECRET: { type: 'string', minLength: 32, default: DEV_SESSION_SECRET },
    DATA_DIR: { type: 'string', minLength: 1, default: './data' },
    DEMO_STORE: { type: 'string', enum: ['pglite', 'memory'], default: 'pglite' },
    DEMO_TRUST_PROXY: { type: 'boolean', default: false },
    CONNECTOR_SERVICE_TOKEN: { type: 'string', minLength: 16, nullable: true },
    CONNECTOR_SDK_URL: { type: 'string', format: 'uri', pattern: '^https?://[^?#]+$', nullable: true },
    CONNECTOR_SDK_TOKEN: { type: 'string', minLength: 16, nullable: true },
  },
  required: ['NODE_ENV', 'DEMO_MISASA_HOST', 'DEMO_MISASA_PORT', 'HUB_URL', 'DEMO_MISASA_CLIENT_ID',
    'DEMO_MISASA_CLIENT_SECRET', 'DEMO_SESSION_SECRET', 'DATA_DIR', 'DEMO_STORE', 'DEMO_TRUST_PROXY'],
  additionalProperties: false,
};

export function loadMisasaConfig(env: NodeJS.ProcessEnv = process.env): MisasaConfig {
  return loadConfig(misasaConfigSchema, env);
}

/** The shared demo settings for this service; refuses development secrets in production. */
export function misasaSettings(config: MisasaConfig): DemoSettings {
  const settings: DemoSettings = {
    serviceName: 'demo-misasa-health',
    nodeEnv: config.NODE_ENV,
    host: config.DEMO_MISASA_HOST,
    port: config.DEMO_MISASA_PORT,
    publicUrl: config.DEMO_MISASA_PUBLIC_URL,
    hubUrl: config.HUB_URL,
    clientId: config.DEMO_MISASA_CLIENT_ID,
    clientSecret: config.DEMO_MISASA_CLIENT_SECRET,
    sessionSecret: config.DEMO_SESSION_SECRET,
    store: config.DEMO_STORE,
    dataDir: config.DATA_DIR,
    trustProxy: config.DEMO_TRUST_PROXY,
    serviceToken: config.CONNECTOR_SERVICE_TOKEN,
    connectorSdkUrl: config.CONNECTOR_SDK_URL,
    connectorSdkToken: config.CONNECTOR_SDK_TOKEN,
  };
  assertProductionReady(settings, DEV_MISASA_CLIENT_SECRET, 'DEMO_MISASA');
  return settings;
}
