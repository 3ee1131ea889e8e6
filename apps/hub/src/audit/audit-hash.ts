import { createHash } from 'node:crypto';
import type { AuditRecord } from './audit-event';

/** The `prevHash` of the very first row of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Version of the canonical form, hashed with every row so the form can change without ambiguity. */
const CANONICAL_VERSION = 1;

/**
 * JSON with object keys sorted at every level and no whitespace, so the same content always gives
 * the same bytes whatever order PostgreSQL's jsonb hands the keys back in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** SHA-256 (hex) of a row's canonical content: every field but `hash` itself. */
export function hashRecord(record: Omit<AuditRecord, 'hash'>): string {
  const content = {
    v: CANONICAL_VERSION,
    seq: record.seq,
    time: record.time,
    type: record.type,
    actor: { kind: record.actor.kind, id: record.actor.id },
    tenantId: record.tenantId,
    subject: record.subject,
    outcome: record.outcome,
    reason: record.reason,
    details: record.details,
    correlationId: record.correlationId,
    prevHash: record.prevHash,
  };
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}

/** Last word of a key (camelCase, snake_case or kebab-case) that marks its value as a secret. */
const SECRET_WORDS = new Set(['password', 'passwd', 'passphrase', 'secret', 'token', 'otp', 'totp', 'pin', 'key', 'jwk', 'jwks',
  'credential', 'credentials', 'cookie', 'authorization', 'signature', 'hash']);

function isSecretKey(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[\s_\-.]+/).filter(Boolean);
  return SECRET_WORDS.has(words[words.length - 1] ?? '');
}
const MAX_STRING = 500;
const MAX_DEPTH = 4;
const MAX_KEYS = 50;

/**
 * Makes a string storable and hashable identically on both sides of PostgreSQL: no NUL (text
 * refuses it), no lone surrogates (UTF-8 cannot carry them), capped length.
 */
export function cleanString(value: string, max = MAX_STRING): string {
  const clean = value.replaceAll(String.fromCharCode(0), '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * The details as they will be stored: values under secret-looking keys redacted, strings capped,
 * depth and width bounded, and put through JSON so that what is hashed is what jsonb gives back.
 */
export function cleanDetails(details: Record<string, unknown> | undefined): Record<string, unknown> {
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return cleanString(value);
    if (value === null || typeof value !== 'object') return value;
    if (value instanceof Date) return value.toISOString();
    if (depth >= MAX_DEPTH) return '[truncated]';
    if (Array.isArray(value)) return value.slice(0, MAX_KEYS).map((v) => walk(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).slice(0, MAX_KEYS)) {
      out[cleanString(key, 64)] = isSecretKey(key) ? '[redacted]' : walk((value as Record<string, unknown>)[key], depth + 1);
    }
    return out;
  };
  return JSON.parse(JSON.stringify(walk(details ?? {}, 0) ?? {})) as Record<string, unknown>;
}
