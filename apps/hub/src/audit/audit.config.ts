import type { JSONSchemaType } from 'ajv';
import { loadConfig } from '@tsunagu/config';

/** Settings of the audit chain (docs/audit.md). All have defaults; none is secret. */
export interface AuditConfig {
  /** A signed checkpoint is written once this many rows have been appended since the last one… */
  AUDIT_CHECKPOINT_EVERY_ROWS: number;
  /** …or once this many minutes have passed since the last one, if any row came in meanwhile. */
  AUDIT_CHECKPOINT_EVERY_MINUTES: number;
  /** Rows older than this are exported and pruned by the daily job. The procurement spec asks for at least 400 days. */
  AUDIT_RETENTION_DAYS: number;
  /** Folder, relative to DATA_DIR, that receives the gzip'd NDJSON exports of pruned rows. */
  AUDIT_EXPORT_DIR: string;
}

export const auditConfigSchema: JSONSchemaType<AuditConfig> = {
  type: 'object',
  properties: {
    AUDIT_CHECKPOINT_EVERY_ROWS: { type: 'integer', minimum: 1, default: 1000 },
    AUDIT_CHECKPOINT_EVERY_MINUTES: { type: 'integer', minimum: 1, default: 60 },
    AUDIT_RETENTION_DAYS: { type: 'integer', minimum: 400, default: 400 },
    // Relative, and no ".." segment: exports stay under DATA_DIR.
    AUDIT_EXPORT_DIR: { type: 'string', pattern: '^(?![/\\\\])(?!.*(^|[/\\\\])\\.\\.([/\\\\]|$)).+$', default: 'audit-exports' },
  },
  required: ['AUDIT_CHECKPOINT_EVERY_ROWS', 'AUDIT_CHECKPOINT_EVERY_MINUTES', 'AUDIT_RETENTION_DAYS', 'AUDIT_EXPORT_DIR'],
  additionalProperties: false,
};

/** Injection token of the typed audit config. */
export const AUDIT_CONFIG = Symbol('AUDIT_CONFIG');

export function loadAuditConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  return loadConfig(auditConfigSchema, env);
}
