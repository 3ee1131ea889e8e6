import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid, type Queryable } from '@tsunagu/common';
import type { IncidentReportStage } from '@tsunagu/contracts';

/**
 * Who reads and writes: a tenant (its own incidents only) or the platform (`tenantId: null`: the
 * system admin, who records platform-wide incidents and sees every tenant's).
 */
export interface IncidentScope {
  tenantId: string | null;
}

export interface IncidentRow {
  id: string;
  tenant_id: string | null;
  tenant_name_ja: string | null;
  title: string;
  discovered_at: Date;
  occurred_at: Date | null;
  summary: string;
  items: string;
  affected_count: number;
  cause: string;
  secondary_harm: string;
  resident_response: string;
  publication: string;
  prevention: string;
  other_notes: string;
  reporter: string;
  quick_days: number;
  final_days: number;
  data_use_code: string | null;
  affected_from: Date | null;
  affected_to: Date | null;
  residents_notified_at: Date | null;
  created_by_login: string | null;
  created_at: Date;
  reports: IncidentReportRow[];
}

export interface IncidentReportRow {
  stage: IncidentReportStage;
  sent_at: string;
  sent_to: string;
  sent_by_login: string | null;
}

export type NewIncident = Pick<IncidentRow, 'title' | 'discovered_at' | 'occurred_at' | 'summary' | 'items' | 'affected_count' | 'cause' | 'secondary_harm'
  | 'resident_response' | 'publication' | 'prevention' | 'other_notes' | 'reporter' | 'quick_days' | 'final_days' | 'data_use_code' | 'affected_from' | 'affected_to'>;

const SELECT = `SELECT i.*, t.name_ja AS tenant_name_ja, a.login_id AS created_by_login,
    COALESCE((SELECT jsonb_agg(jsonb_build_object('stage', r.stage, 'sent_at', r.sent_at, 'sent_to', r.sent_to, 'sent_by_login', ra.login_id) ORDER BY r.sent_at)
      FROM incident_reports r LEFT JOIN admin_accounts ra ON ra.id = r.sent_by WHERE r.incident_id = i.id), '[]'::jsonb) AS reports
  FROM incidents i LEFT JOIN tenants t ON t.id = i.tenant_id LEFT JOIN admin_accounts a ON a.id = i.created_by`;

/** A tenant sees its own rows; the platform scope every row (the system admin oversees all tenants). */
const SCOPED = `($1::uuid IS NULL OR i.tenant_id = $1)`;

/** SQL of incidents, their reports and the residents told, always scoped (IncidentScope). */
@Injectable()
export class IncidentsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(q: Queryable, scope: IncidentScope, n: NewIncident, adminId: string): Promise<string> {
    const rows = await q.query(
      `INSERT INTO incidents (tenant_id, title, discovered_at, occurred_at, summary, items, affected_count, cause, secondary_harm, resident_response,
         publication, prevention, other_notes, reporter, quick_days, final_days, data_use_code, affected_from, affected_to, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
      [scope.tenantId, n.title, n.discovered_at, n.occurred_at, n.summary, n.items, n.affected_count, n.cause, n.secondary_harm, n.resident_response,
        n.publication, n.prevention, n.other_notes, n.reporter, n.quick_days, n.final_days, n.data_use_code, n.affected_from, n.affected_to, adminId]);
    return rows[0].id;
  }

  /** The scope's incidents, newest discovery first. */
  list(scope: IncidentScope, limit = 100): Promise<IncidentRow[]> {
    return this.db.query(`${SELECT} WHERE ${SCOPED} ORDER BY i.discovered_at DESC LIMIT $2`, [scope.tenantId, limit]);
  }

  /** One incident of the scope; another tenant's is not found. */
  async find(scope: IncidentScope, id: string, q: Queryable = this.db): Promise<IncidentRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await q.query(`${SELECT} WHERE ${SCOPED} AND i.id = $2`, [scope.tenantId, id]))[0];
  }

  /** Records a report as sent; false when that report was already recorded. */
  async insertReport(q: Queryable, incidentId: string, r: { stage: IncidentReportStage; sentAt: Date; sentTo: string }, adminId: string): Promise<boolean> {
    const rows = await q.query(`INSERT INTO incident_reports (incident_id, stage, sent_at, sent_to, sent_by) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT ON CONSTRAINT incident_reports_pkey DO NOTHING RETURNING stage`, [incidentId, r.stage, r.sentAt, r.sentTo, adminId]);
    return rows.length > 0;
  }

  /**
   * The residents the incident concerns, from the provision ledger: those whose data the data use
   * received (or was refused) in the period, from this tenant's side (consumer or provider) or any
   * for a platform incident. Empty when the incident names no data use.
   */
  affectedResidents(incident: IncidentRow, limit = 1000): Promise<{ resident_id: string; common_id: string; provisions: number; last_at: Date }[]> {
    if (!incident.data_use_code) return Promise.resolve([]);
    return this.db.query(
      `SELECT p.resident_id, r.common_id, count(*)::int AS provisions, max(p.occurred_at) AS last_at
       FROM provision_records p JOIN data_uses u ON u.id = p.data_use_id JOIN residents r ON r.id = p.resident_id
       WHERE u.code = $1 AND ($2::uuid IS NULL OR p.tenant_id = $2 OR p.provider_tenant_id = $2)
         AND ($3::timestamptz IS NULL OR p.occurred_at >= $3) AND ($4::timestamptz IS NULL OR p.occurred_at < $4)
       GROUP BY p.resident_id, r.common_id ORDER BY max(p.occurred_at) DESC LIMIT $5`,
      [incident.data_use_code, incident.tenant_id, incident.affected_from, incident.affected_to, limit]);
  }

  /** Tells the residents (portal notice) once; the count told, or undefined when already told. */
  async notify(q: Queryable, incidentId: string, residentIds: string[]): Promise<number | undefined> {
    const [rows] = await q.query(`UPDATE incidents SET residents_notified_at = now() WHERE id = $1 AND residents_notified_at IS NULL RETURNING id`, [incidentId]);
    if (!rows.length) return undefined;
    if (!residentIds.length) return 0;
    const inserted = await q.query(`INSERT INTO incident_residents (incident_id, resident_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING resident_id`, [incidentId, residentIds]);
    return inserted.length;
  }

  /** What the resident was told of incidents (scoped by resident: the caller is the resident). */
  forResident(residentId: string): Promise<{ incident_id: string; title: string; summary: string; items: string; resident_response: string; discovered_at: Date; notified_at: Date }[]> {
    return this.db.query(`SELECT i.id AS incident_id, i.title, i.summary, i.items, i.resident_response, i.discovered_at, n.notified_at
      FROM incident_residents n JOIN incidents i ON i.id = n.incident_id WHERE n.resident_id = $1 ORDER BY n.notified_at DESC LIMIT 50`, [residentId]);
  }
}
