import type { JSONSchemaType } from 'ajv';
import { loadConfig } from '@tsunagu/config';

/** Settings of one connector process (one per installed service). */
export interface ConnectorConfig {
  CONNECTOR_NAME: string;
  CONNECTOR_HOST: string;
  CONNECTOR_PORT: number;
  HUB_URL: string;
}

const schema: JSONSchemaType<ConnectorConfig> = {
  type: 'object',
  properties: {
    CONNECTOR_NAME: { type: 'string', pattern: '^[a-z0-9-]{2,64}$', default: 'connector' },
    CONNECTOR_HOST: { type: 'string', default: '127.0.0.1' },
    CONNECTOR_PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 3201 },
    HUB_URL: { type: 'string', format: 'uri', default: 'http://localhost:3000' },
  },
  required: ['CONNECTOR_NAME', 'CONNECTOR_HOST', 'CONNECTOR_PORT', 'HUB_URL'],
  additionalProperties: false,
};

export function loadConnectorConfig(env: NodeJS.ProcessEnv = process.env): ConnectorConfig {
  return loadConfig(schema, env);
}
