import { readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { parseDocument } from 'yaml';
import type { ConnectorEnv } from '../connector.config';
import {
  type ConnectorFileConfig, connectorFileConfigSchema, URL_TEMPLATE_VARIABLES,
} from '@tsunagu/contracts';

/** The file as loaded: defaults filled in, hub issuer/JWKS and the registration record path resolved. */
export interface LoadedConnectorConfig extends ConnectorFileConfig {
  hub: ConnectorFileConfig['hub'] & { issuer: string; jwksUrl: string };
  keys: { file: string; registrationFile: string };
  /** Absolute path of the file it came from. */
  source: string;
}

/** Raised when a configuration file is unreadable or invalid; lists every problem by its path. */
export class ConnectorConfigError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`Invalid connector configuration ${file}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConnectorConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validateFile = ajv.compile<ConnectorFileConfig>(connectorFileConfigSchema);

/** The ajv used for item schemas: unknown keywords are errors (a typo must not silently weaken a schema). */
export function itemSchemaAjv(): Ajv {
  const itemAjv = new Ajv({ allErrors: true, strictSchema: true, strictTypes: false, strictTuples: false, strictRequired: false, allowUnionTypes: true });
  addFormats(itemAjv);
  return itemAjv;
}

function pathOf(e: ErrorObject): string {
  const params = e.params as { missingProperty?: string; additionalProperty?: string };
  const name = params.missingProperty ?? params.additionalProperty;
  return `${e.instancePath}${name ? `/${name}` : ''}` || '/';
}

function describe(e: ErrorObject): string {
  if ((e.params as { additionalProperty?: string }).additionalProperty) return `${pathOf(e)}: unknown field`;
  if ((e.params as { missingProperty?: string }).missingProperty) return `${pathOf(e)}: is required`;
  return `${pathOf(e)}: ${e.message ?? 'is invalid'}`;
}

/** Checks that ajv cannot express: item schemas compile, URL templates use known variables, codes are unique. */
function semanticProblems(config: ConnectorFileConfig): string[] {
  const problems: string[] = [];
  const itemAjv = itemSchemaAjv();
  const compiles = (schema: object, at: string) => {
    try {
      itemAjv.compile(schema);
    } catch (error) {
      problems.push(`${at}: not a valid JSON Schema (${(error as Error).message.split('\n')[0]})`);
    }
  };
  const seen = new Set<string>();
  config.offers.forEach((offer, i) => {
    if (seen.has(offer.code)) problems.push(`/offers/${i}/code: ${offer.code} is offered twice`);
    seen.add(offer.code);
    compiles(offer.schema, `/offers/${i}/schema`);
    const variables = [...offer.fetch.url.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
    for (const v of variables) {
      if (!(URL_TEMPLATE_VARIABLES as readonly string[]).includes(v)) problems.push(`/offers/${i}/fetch/url: unknown variable {${v}} (allowed: ${URL_TEMPLATE_VARIABLES.map((x) => `{${x}}`).join(', ')})`);
    }
    if (offer.fetch.url.replace(/\{[^}]*\}/g, '').match(/[{}]/)) problems.push(`/offers/${i}/fetch/url: unbalanced braces`);
    if ((variables.includes('from') || variables.includes('to')) && !offer.window) problems.push(`/offers/${i}/window: is required when the URL uses {from} or {to}`);
    if (offer.window && offer.window.defaultDays > offer.window.maxDays) problems.push(`/offers/${i}/window/defaultDays: must not exceed maxDays`);
  });
  const uses = new Set<string>();
  config.dataUses.forEach((use, i) => {
    if (uses.has(use.code)) problems.push(`/dataUses/${i}/code: ${use.code} is declared twice`);
    uses.add(use.code);
    const items = new Set<string>();
    use.items.forEach((item, j) => {
      if (items.has(item.code)) problems.push(`/dataUses/${i}/items/${j}/code: ${item.code} is listed twice`);
      items.add(item.code);
      compiles(item.schema, `/dataUses/${i}/items/${j}/schema`);
    });
  });
  if (config.revocations.stalenessSeconds <= config.revocations.pullIntervalSeconds) {
    problems.push('/revocations/stalenessSeconds: must be longer than pullIntervalSeconds (otherwise every pause between pulls is stale)');
  }
  return problems;
}

/** Validates a parsed configuration object; `file` only names it in messages. */
export function validateConnectorConfig(raw: unknown, file: string): LoadedConnectorConfig {
  const candidate = structuredClone(raw);
  if (!validateFile(candidate)) throw new ConnectorConfigError(file, (validateFile.errors ?? []).map(describe));
  const config = candidate as ConnectorFileConfig;
  const problems = semanticProblems(config);
  if (problems.length) throw new ConnectorConfigError(file, problems);
  const hubUrl = config.hub.url.replace(/\/+$/, '');
  const keyFile = config.keys.file;
  const registrationFile = config.keys.registrationFile ?? join(dirname(keyFile), `${basename(keyFile, extname(keyFile))}.registration.json`);
  return {
    ...config,
    hub: { ...config.hub, url: hubUrl, issuer: config.hub.issuer ?? hubUrl, jwksUrl: config.hub.jwksUrl ?? `${hubUrl}/connect/v1/jwks` },
    service: { ...config.service, url: config.service.url.replace(/\/+$/, '') },
    publicUrl: config.publicUrl.replace(/\/+$/, ''),
    keys: { file: resolve(keyFile), registrationFile: resolve(registrationFile) },
    source: resolve(file),
  };
}

/**
 * Reads and validates a connector configuration file (YAML, of which JSON is a subset). Relative
 * key paths are resolved from the working directory. Throws {@link ConnectorConfigError}.
 */
export function loadConnectorConfigFile(file: string): LoadedConnectorConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConnectorConfigError(file, [`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) throw new ConnectorConfigError(file, doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`));
  return validateConnectorConfig(doc.toJS({ maxAliasCount: 50 }), file);
}

/** The environment settings that override the file (containers: addresses, ports and the keys' volume). */
export type ConnectorFileOverrides = Pick<ConnectorEnv, 'HUB_URL' | 'CONNECTOR_HOST' | 'CONNECTOR_PORT' | 'CONNECTOR_SERVICE_URL' | 'CONNECTOR_PUBLIC_URL' | 'CONNECTOR_KEYS_FILE'>;

/**
 * Applies the environment's overrides to the file, for the connector and its registration CLI
 * alike: one shipped file serves every deployment (docker-compose.yml sets these).
 */
export function withEnvOverrides(config: LoadedConnectorConfig, env: ConnectorFileOverrides): LoadedConnectorConfig {
  const hubUrl = env.HUB_URL?.replace(/\/+$/, '');
  const fileHub = config.hub;
  const keysFile = env.CONNECTOR_KEYS_FILE ? resolve(env.CONNECTOR_KEYS_FILE) : undefined;
  return {
    ...config,
    listen: { host: env.CONNECTOR_HOST ?? config.listen.host, port: env.CONNECTOR_PORT ?? config.listen.port },
    hub: hubUrl && hubUrl !== fileHub.url
      ? {
        ...fileHub, url: hubUrl,
        issuer: fileHub.issuer === fileHub.url ? hubUrl : fileHub.issuer,
        jwksUrl: fileHub.jwksUrl === `${fileHub.url}/connect/v1/jwks` ? `${hubUrl}/connect/v1/jwks` : fileHub.jwksUrl,
      }
      : fileHub,
    service: env.CONNECTOR_SERVICE_URL ? { ...config.service, url: env.CONNECTOR_SERVICE_URL.replace(/\/+$/, '') } : config.service,
    publicUrl: env.CONNECTOR_PUBLIC_URL ? env.CONNECTOR_PUBLIC_URL.replace(/\/+$/, '') : config.publicUrl,
    keys: keysFile ? { file: keysFile, registrationFile: join(dirname(keysFile), `${basename(keysFile, extname(keysFile))}.registration.json`) } : config.keys,
  };
}
