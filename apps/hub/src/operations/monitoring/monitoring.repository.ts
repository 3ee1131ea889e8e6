import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ConnectorFigures {
  connector: string;
  tenant: string;
  status: string;
  seen_seconds: number | null;
  sync_lag_seconds: number | null;
  unacked: number;
  oldest_unacked_seconds: number | null;
}

/**
 * The SQL behind the scrape-time gauges: each a single read of columns the platform keeps anyway
 * (the same ones the admin dashboard's connector panel shows), so a scrape costs a few index reads.
 */
@Injectable()
export class MonitoringRepository {
  constructor(private readonly db: DataSource) {}

  async connectors(): Promise<ConnectorFigures[]> {
    const rows = await this.db.query(
      `SELECT c.name AS connector, t.code AS tenant, c.status,
         EXTRACT(EPOCH FROM now() - c.last_seen_at)::float8 AS seen_seconds,
         EXTRACT(EPOCH FROM now() - c.last_revocation_sync_at)::float8 AS sync_lag_seconds,
         c.unacked_revocations::int AS unacked,
         EXTRACT(EPOCH FROM now() - c.oldest_unacked_revocation_at)::float8 AS oldest_unacked_seconds
       FROM connectors c JOIN tenants t ON t.id = c.tenant_id WHERE c.status IN ('approved', 'suspended')`);
    return rows.map((r: ConnectorFigures) => ({ ...r, unacked: Number(r.unacked) }));
  }

  /** Deliveries neither acknowledged nor given up, and the age of the oldest. */
  async pendingDeliveries(): Promise<{ pending: number; oldest_seconds: number | null }> {
    const [row] = await this.db.query(
      `SELECT count(*)::int AS pending, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest_seconds
       FROM revocation_deliveries WHERE acked_at IS NULL AND failed_at IS NULL`);
    return { pending: Number(row.pending), oldest_seconds: row.oldest_seconds === null ? null : Number(row.oldest_seconds) };
  }

  /** Seconds since the newest signed audit checkpoint, and the chain's length. */
  async auditChain(): Promise<{ checkpoint_age_seconds: number | null; rows: number; verification: { age_seconds: number; failed: boolean } | null }> {
    const [row] = await this.db.query(
      `SELECT (SELECT EXTRACT(EPOCH FROM now() - max(created_at))::float8 FROM audit_checkpoints) AS checkpoint_age_seconds,
              (SELECT coalesce(max(seq), 0)::bigint FROM audit_events) AS rows,
              v.age_seconds AS verification_age_seconds, v.outcome AS verification_outcome
         FROM (SELECT 1) AS one
         LEFT JOIN LATERAL (SELECT EXTRACT(EPOCH FROM now() - occurred_at)::float8 AS age_seconds, outcome FROM audit_events
                             WHERE type = 'audit.verified' ORDER BY seq DESC LIMIT 1) v ON true`);
    return {
      checkpoint_age_seconds: row.checkpoint_age_seconds === null ? null : Number(row.checkpoint_age_seconds), rows: Number(row.rows),
      verification: row.verification_outcome === null ? null : { age_seconds: Number(row.verification_age_seconds), failed: row.verification_outcome === 'failure' },
    };
  }

  /** The stored JPKI CRLs: the oldest's age, and the least time left before one's nextUpdate. */
  async crls(): Promise<{ count: number; oldest_age_seconds: number | null; min_seconds_to_next_update: number | null }> {
    const [row] = await this.db.query(
      `SELECT count(*)::int AS count, EXTRACT(EPOCH FROM now() - min(this_update))::float8 AS oldest_age_seconds,
              EXTRACT(EPOCH FROM min(next_update) - now())::float8 AS min_seconds_to_next_update FROM jpki_crls`);
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return { count: Number(row.count), oldest_age_seconds: num(row.oldest_age_seconds), min_seconds_to_next_update: num(row.min_seconds_to_next_update) };
  }
}
