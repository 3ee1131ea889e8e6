import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '@tsunagu/common';
import type { AuditRecord } from './audit-event';

/** Advisory lock keys (any constants, distinct from the migration lock 7 361 001). */
export const AUDIT_APPEND_LOCK = 7_361_010;
export const AUDIT_CHECKPOINT_LOCK = 7_361_011;
export const AUDIT_PRUNE_LOCK = 7_361_012;

export type CheckpointKind = 'periodic' | 'cut';

export interface CheckpointRow {
  id: string;
  seq: number;
  hash: string;
  kind: CheckpointKind;
  kid: string;
  jws: string;
  createdAt: Date;
}

interface AuditEventRow {
  seq: string;
  occurred_at: Date;
  type: string;
  actor_kind: AuditRecord['actor']['kind'];
  actor_id: string | null;
  tenant_id: string | null;
  subject: string | null;
  outcome: AuditRecord['outcome'];
  reason: string | null;
  details: Record<string, unknown>;
  correlation_id: string | null;
  prev_hash: string;
  hash: string;
}

function toRecord(row: AuditEventRow): AuditRecord {
  return {
    seq: Number(row.seq),
    time: new Date(row.occurred_at).toISOString(),
    type: row.type,
    actor: { kind: row.actor_kind, id: row.actor_id },
    tenantId: row.tenant_id,
    subject: row.subject,
    outcome: row.outcome,
    reason: row.reason,
    details: row.details ?? {},
    correlationId: row.correlation_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function toCheckpoint(row: { id: string; seq: string; hash: string; kind: CheckpointKind; kid: string; jws: string; created_at: Date }): CheckpointRow {
  return { id: String(row.id), seq: Number(row.seq), hash: row.hash, kind: row.kind, kid: row.kid, jws: row.jws, createdAt: new Date(row.created_at) };
}

/**
 * SQL of the audit chain. The chain is platform-wide (one chain across tenants, so one order and
 * one head): its queries are not tenant-scoped by design; tenant_id is a column to filter on.
 */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `fn` in a transaction of its own. */
  transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => fn(manager));
  }

  /**
   * Serializes appends across connections and replicas until the surrounding transaction ends.
   * Must be its own statement: the head is read by the next one, with a snapshot taken after the
   * lock was granted (READ COMMITTED), so it sees every append committed before.
   */
  async lockForAppend(q: Queryable): Promise<void> {
    await q.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_APPEND_LOCK]);
  }

  /**
   * The database time (ms precision, taken under the lock so it grows with seq) and the chain's
   * head: the newest row, else the newest cut checkpoint (everything pruned), else nothing.
   */
  async head(q: Queryable): Promise<{ now: Date; seq: number; hash: string | null }> {
    const [row] = await q.query(
      `SELECT date_trunc('milliseconds', clock_timestamp()) AS now, h.seq, h.hash
       FROM (SELECT 1) one LEFT JOIN LATERAL (
         SELECT seq, hash FROM (
           (SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1)
           UNION ALL
           (SELECT seq, hash FROM audit_checkpoints WHERE kind = 'cut' ORDER BY seq DESC LIMIT 1)
         ) candidates ORDER BY seq DESC LIMIT 1
       ) h ON true`);
    return { now: new Date(row.now), seq: row.seq === null ? 0 : Number(row.seq), hash: row.hash ?? null };
  }

  async insert(q: Queryable, r: AuditRecord): Promise<void> {
    await q.query(
      `INSERT INTO audit_events (seq, occurred_at, type, actor_kind, actor_id, tenant_id, subject, outcome, reason, details, correlation_id, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [r.seq, r.time, r.type, r.actor.kind, r.actor.id, r.tenantId, r.subject, r.outcome, r.reason, JSON.stringify(r.details), r.correlationId, r.prevHash, r.hash]);
  }

  /** The newest committed row. */
  async lastEvent(q: Queryable = this.dataSource): Promise<{ seq: number; hash: string; time: Date } | undefined> {
    const [row] = await q.query(`SELECT seq, hash, occurred_at FROM audit_events ORDER BY seq DESC LIMIT 1`);
    return row && { seq: Number(row.seq), hash: row.hash, time: new Date(row.occurred_at) };
  }

  async findEvent(seq: number, q: Queryable = this.dataSource): Promise<AuditRecord | undefined> {
    const [row] = await q.query(`SELECT * FROM audit_events WHERE seq = $1`, [seq]);
    return row && toRecord(row);
  }

  /** Up to `limit` rows after `afterSeq` (and up to `toSeq`), in chain order: keyset pages for walking the chain. */
  async page(afterSeq: number, limit: number, toSeq?: number, q: Queryable = this.dataSource): Promise<AuditRecord[]> {
    const rows: AuditEventRow[] = toSeq === undefined
      ? await q.query(`SELECT * FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`, [afterSeq, limit])
      : await q.query(`SELECT * FROM audit_events WHERE seq > $1 AND seq <= $3 ORDER BY seq LIMIT $2`, [afterSeq, limit, toSeq]);
    return rows.map(toRecord);
  }

  async countEvents(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::bigint AS n FROM audit_events`);
    return Number(row.n);
  }

  async latestCheckpoint(q: Queryable = this.dataSource): Promise<CheckpointRow | undefined> {
    const [row] = await q.query(`SELECT * FROM audit_checkpoints ORDER BY seq DESC, id DESC LIMIT 1`);
    return row && toCheckpoint(row);
  }

  async latestCut(q: Queryable = this.dataSource): Promise<CheckpointRow | undefined> {
    const [row] = await q.query(`SELECT * FROM audit_checkpoints WHERE kind = 'cut' ORDER BY seq DESC, id DESC LIMIT 1`);
    return row && toCheckpoint(row);
  }

  async listCheckpoints(): Promise<CheckpointRow[]> {
    return (await this.dataSource.query(`SELECT * FROM audit_checkpoints ORDER BY seq, id`)).map(toCheckpoint);
  }

  async insertCheckpoint(q: Queryable, c: { seq: number; hash: string; kind: CheckpointKind; kid: string; jws: string }): Promise<void> {
    await q.query(`INSERT INTO audit_checkpoints (seq, hash, kind, kid, jws) VALUES ($1, $2, $3, $4, $5)`, [c.seq, c.hash, c.kind, c.kid, c.jws]);
  }

  /** Holds the retention job's lock until the transaction ends; false when another run holds it. */
  async tryLockForPrune(q: Queryable): Promise<boolean> {
    const [row] = await q.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [AUDIT_PRUNE_LOCK]);
    return row.locked === true;
  }

  async lockForCheckpoint(q: Queryable): Promise<void> {
    await q.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHECKPOINT_LOCK]);
  }

  /** The newest row older than `before`, and the oldest row still kept: the range the retention job would cut. */
  async prunableRange(before: Date, q: Queryable = this.dataSource): Promise<{ fromSeq: number; toSeq: number } | undefined> {
    const [row] = await q.query(
      `SELECT (SELECT min(seq) FROM audit_events) AS from_seq,
              (SELECT max(seq) FROM audit_events WHERE occurred_at < $1) AS to_seq`, [before]);
    if (row.to_seq === null) return undefined;
    return { fromSeq: Number(row.from_seq), toSeq: Number(row.to_seq) };
  }

  /** Deletes every row up to `toSeq`. Only the retention job calls this, after export and the cut checkpoint. */
  async deleteUpTo(q: Queryable, toSeq: number): Promise<number> {
    // The append-only trigger lets a DELETE through only with this transaction-local setting.
    await q.query(`SELECT set_config('tsunagu.audit_prune', 'on', true)`);
    const [, count] = await q.query(`DELETE FROM audit_events WHERE seq <= $1`, [toSeq]);
    await q.query(`SELECT set_config('tsunagu.audit_prune', 'off', true)`);
    return Number(count);
  }
}
