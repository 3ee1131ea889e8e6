import { QueueName } from './queue-name';

// One `…JobData` type per job. Job data is stored as JSON (in Redis for bull, cloned through JSON
// in process), so it holds identifiers and small settings only: never tokens or personal data,
// and no Date/Map/class instances (they would not survive the round trip).

/** Writes a database backup when the newest one is old enough (docs/backup.md). No data: the rules are in config. */
export type BackUpDatabaseJobData = Record<string, never>;

/** Walks the whole audit chain and records the result (the TsunaguAuditVerificationFailed alert reads it). */
export type VerifyAuditChainJobData = Record<string, never>;

/** Deletes signing keys retired for longer than the given number of days. */
export interface PurgeRetiredKeysJobData {
  olderThanDays: number;
}

/**
 * Exports, checkpoints and prunes audit-chain rows older than the retention (docs/audit.md).
 * The service keeps at least 400 days whatever this says.
 */
export interface PruneAuditJobData {
  retentionDays: number;
}

/** Downloads and verifies the JPKI CRLs again. Carries nothing: the CRL sources are configuration. */
export type RefreshCrlsJobData = Record<string, never>;

/** Checks every current identity verification again (verification for life). Carries nothing. */
export type RecheckVerificationsJobData = Record<string, never>;

/** Delivers one revocation outbox row to one connector (ARCHITECTURE.md §6). IDs only. */
export interface DeliverRevocationJobData {
  outboxId: string;
  connectorId: string;
}

/** Jobs of the maintenance queue: job name → data. */
export interface MaintenanceJobs {
  'purge-retired-keys': PurgeRetiredKeysJobData;
  'prune-audit': PruneAuditJobData;
  'back-up-database': BackUpDatabaseJobData;
  'verify-audit-chain': VerifyAuditChainJobData;
}

/** Jobs of the JPKI queue: job name → data. */
export interface JpkiJobs {
  'refresh-crls': RefreshCrlsJobData;
  'recheck-verifications': RecheckVerificationsJobData;
}

/** Jobs of the revocations queue: job name → data. */
export interface RevocationsJobs {
  'deliver-revocation': DeliverRevocationJobData;
}

/** Which jobs each queue carries; `createJobQueue(QueueName.Jpki, …)` accepts only the JPKI jobs. */
export interface QueueJobMap {
  [QueueName.Maintenance]: MaintenanceJobs;
  [QueueName.Jpki]: JpkiJobs;
  [QueueName.Revocations]: RevocationsJobs;
}

/** Every job name → its data type. Job names are unique across queues. */
export type JobDataMap = MaintenanceJobs & JpkiJobs & RevocationsJobs;

/** Any job name. */
export type JobName = keyof JobDataMap;
