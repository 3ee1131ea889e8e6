import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Filters of the audit search, resolved (dates as instants, tenant as its ID). */
export interface AuditFilter {
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
  /** Exact type, or an area prefix ending with a dot. */
  type?: string;
  tenantId?: string;
  actorKind?: string;
  actorId?: string;
  subject?: string;
  outcome?: string;
}

/** One row of the audit chain as stored. */
export interface AuditRow {
  seq: string;
  occurred_at: Date;
  type: string;
  actor_kind: string;
  actor_id: string | null;
  tenant_id: string | null;
  subject: string | null;
  outcome: string;
  reason: string | null;
  details: Record<string, unknown>;
  correlation_id: string | null;
  prev_hash: string;
  hash: string;
}

function where(f: AuditFilter, params: unknown[]): string {
  const clauses: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace('?', `$${params.length}`));
  };
  if (f.from) add('occurred_at >= ?', f.from);
  if (f.to) add('occurred_at < ?', f.to);
  if (f.type) {
    if (f.type.endsWith('.')) add(`type LIKE ? ESCAPE '\\'`, `${f.type.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    else add('type = ?', f.type);
  }
  if (f.tenantId) add('tenant_id = ?', f.tenantId);
  if (f.actorKind) add('actor_kind = ?', f.actorKind);
  if (f.actorId) add('actor_id = ?', f.actorId);
  if (f.subject) add('subject = ?', f.subject);
  if (f.outcome) add('outcome = ?', f.outcome);
  return clauses.length ? clauses.join(' AND ') : 'true';
}

/**
 * Read-only queries on the audit chain (the audit module's table) for the system admin's search
 * and export. Platform-wide by design: the system admin sees every tenant's events; `tenant_id`
 * is a filter, not a scope.
 */
@Injectable()
export class AuditSearchRepository {
  constructor(private readonly db: DataSource) {}

  /** Newest first, `limit` rows with a seq below `beforeSeq`. */
  search(f: AuditFilter, limit: number, beforeSeq?: number): Promise<AuditRow[]> {
    const params: unknown[] = [];
    let sql = `SELECT * FROM audit_events WHERE ${where(f, params)}`;
    if (beforeSeq !== undefined) {
      params.push(beforeSeq);
      sql += ` AND seq < $${params.length}`;
    }
    params.push(limit);
    return this.db.query(`${sql} ORDER BY seq DESC LIMIT $${params.length}`, params);
  }

  /** Oldest first, the page after `afterSeq` (exports walk the whole selection this way). */
  page(f: AuditFilter, afterSeq: number, limit: number): Promise<AuditRow[]> {
    const params: unknown[] = [];
    const sql = `SELECT * FROM audit_events WHERE ${where(f, params)}`;
    params.push(afterSeq, limit);
    return this.db.query(`${sql} AND seq > $${params.length - 1} ORDER BY seq LIMIT $${params.length}`, params);
  }
}
