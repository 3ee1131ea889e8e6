import Ajv, { type ErrorObject, type JSONSchemaType } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Raised at boot when the environment does not satisfy an app's config schema. Each problem
 * names the setting and what is wrong with it; the value of a secret setting never appears.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The schema keyword that marks a secret setting (keys, passwords, tokens, and URLs that may carry
 * a password): `{ type: 'string', sensitive: true }`, after twenty's `isSensitive`. Its value is
 * never printed — not in a {@link ConfigError}, not by {@link redactConfig}.
 */
export const SENSITIVE_KEYWORD = 'sensitive';

/** What stands for a secret value wherever a config is shown. */
export const REDACTED = '[redacted]';

/** Longest value quoted in a problem (longer ones are cut). */
const MAX_QUOTED = 60;

interface SettingSchema { [SENSITIVE_KEYWORD]?: boolean }

function propertiesOf(schema: object): Record<string, SettingSchema> {
  return (schema as { properties?: Record<string, SettingSchema> }).properties ?? {};
}

/** The names of a schema's settings marked `sensitive: true`. */
export function sensitiveSettings(schema: object): Set<string> {
  return new Set(Object.entries(propertiesOf(schema)).filter(([, s]) => s[SENSITIVE_KEYWORD] === true).map(([name]) => name));
}

/** A value as a problem quotes it: one line, no control characters, at most {@link MAX_QUOTED} characters. */
function quote(value: string): string {
  // eslint-disable-next-line no-control-regex
  const line = value.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return JSON.stringify(line.length > MAX_QUOTED ? `${line.slice(0, MAX_QUOTED)}…` : line);
}

function describeProblem(error: ErrorObject, env: NodeJS.ProcessEnv, secret: Set<string>): string {
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  const field = error.instancePath.replace(/^\//, '') || missing || '(root)';
  let message = error.message ?? 'is invalid';
  const raw = missing ? undefined : env[field];
  if (raw === undefined || raw === '') return `${field}: ${message}`;
  if (!secret.has(field)) return `${field}: ${message} (got ${quote(raw)})`;
  // Ajv's messages name the rule, not the value; should one ever quote it, it is cut out.
  if (raw.length >= 4) message = message.split(raw).join(REDACTED);
  return `${field}: ${message} (value not shown: secret)`;
}

/**
 * Validates environment variables against a JSON Schema (ajv), coercing strings to the
 * declared types and filling defaults. Every bad variable is listed at once so that an
 * operator fixes the deployment in one go (config fails fast, CONVENTIONS.md §7); a bad value
 * is quoted, unless its setting is marked {@link SENSITIVE_KEYWORD}.
 * This is the only place that reads process.env; apps receive the typed object.
 */
export function loadConfig<T>(schema: JSONSchemaType<T>, env: NodeJS.ProcessEnv = process.env): T {
  const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: SENSITIVE_KEYWORD, schemaType: 'boolean' });
  const known = Object.keys(propertiesOf(schema));
  const candidate: Record<string, unknown> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') candidate[key] = value;
  }
  const validate = ajv.compile(schema);
  if (!validate(candidate)) {
    const secret = sensitiveSettings(schema);
    throw new ConfigError((validate.errors ?? []).map((e) => describeProblem(e, env, secret)));
  }
  return candidate as T;
}

/**
 * Hides a secret value for display. A URL keeps its scheme, host, port and path (which database,
 * which Redis) and loses its password and query; anything else becomes {@link REDACTED}.
 */
export function redactValue(value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    try {
      const url = new URL(value);
      if (url.password) url.password = '***';
      if (url.search) url.search = '?***';
      url.hash = '';
      return url.toString();
    } catch {
      return REDACTED;
    }
  }
  return REDACTED;
}

/**
 * A copy of a loaded config that is safe to log or print: every setting marked
 * {@link SENSITIVE_KEYWORD} goes through {@link redactValue}. Log a config only through this.
 */
export function redactConfig(schema: object, config: object): Record<string, unknown> {
  const secret = sensitiveSettings(schema);
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, secret.has(key) ? redactValue(value) : value]));
}
