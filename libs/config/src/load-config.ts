import Ajv, { type JSONSchemaType } from 'ajv';
import addFormats from 'ajv-formats';

/** Raised at boot when the environment does not satisfy an app's config schema. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates environment variables against a JSON Schema (ajv), coercing strings to the
 * declared types and filling defaults. Every bad variable is listed at once so that an
 * operator fixes the deployment in one go (config fails fast, CONVENTIONS.md §7).
 * This is the only place that reads process.env; apps receive the typed object.
 */
export function loadConfig<T>(schema: JSONSchemaType<T>, env: NodeJS.ProcessEnv = process.env): T {
  const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  const known = Object.keys((schema as { properties: Record<string, unknown> }).properties);
  const candidate: Record<string, unknown> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') candidate[key] = value;
  }
  const validate = ajv.compile(schema);
  if (!validate(candidate)) {
    const problems = (validate.errors ?? []).map((e) => {
      const field = e.instancePath.replace(/^\//, '') || (e.params as { missingProperty?: string }).missingProperty || '(root)';
      return `${field}: ${e.message}`;
    });
    throw new ConfigError(problems);
  }
  return candidate as T;
}
