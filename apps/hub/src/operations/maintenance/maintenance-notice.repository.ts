import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid, type Queryable } from '@tsunagu/common';

export interface MaintenanceNoticeRow {
  id: string;
  starts_at: Date;
  ends_at: Date;
  title_ja: string;
  title_en: string;
  body_ja: string;
  body_en: string;
  urgent: boolean;
  kind: 'maintenance' | 'domain_end';
  created_by_login: string | null;
  created_at: Date;
  cancelled_at: Date | null;
}

const SELECT = `SELECT n.*, a.login_id AS created_by_login FROM maintenance_notices n LEFT JOIN admin_accounts a ON a.id = n.created_by`;

/** SQL of planned-maintenance notices (platform-wide: one platform, one maintenance calendar). */
@Injectable()
export class MaintenanceNoticeRepository {
  constructor(private readonly db: DataSource) {}

  async insert(q: Queryable, n: Omit<MaintenanceNoticeRow, 'id' | 'created_by_login' | 'created_at' | 'cancelled_at'>, adminId: string): Promise<string> {
    const rows = await q.query(
      `INSERT INTO maintenance_notices (starts_at, ends_at, title_ja, title_en, body_ja, body_en, urgent, kind, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [n.starts_at, n.ends_at, n.title_ja, n.title_en, n.body_ja, n.body_en, n.urgent, n.kind, adminId]);
    return rows[0].id;
  }

  /** The newest notices first (past and cancelled ones included), for the system admin's list. */
  recent(limit = 50): Promise<MaintenanceNoticeRow[]> {
    return this.db.query(`${SELECT} ORDER BY n.starts_at DESC LIMIT $1`, [limit]);
  }

  /** Notices residents see now: not cancelled, not over. Soonest first. */
  current(): Promise<MaintenanceNoticeRow[]> {
    return this.db.query(`${SELECT} WHERE n.cancelled_at IS NULL AND n.ends_at > now() ORDER BY n.starts_at`);
  }

  /**
   * Announced planned stops overlapping [from, to) that were published before they started (so
   * that the availability record can leave them out), not cancelled before they started.
   */
  plannedStopsBetween(from: Date, to: Date): Promise<MaintenanceNoticeRow[]> {
    return this.db.query(`${SELECT} WHERE n.kind = 'maintenance' AND NOT n.urgent AND n.starts_at < $2 AND n.ends_at > $1
      AND (n.cancelled_at IS NULL OR n.cancelled_at > n.starts_at) ORDER BY n.starts_at`, [from, to]);
  }

  /** One notice, whatever its state. */
  async find(id: string): Promise<MaintenanceNoticeRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query(`${SELECT} WHERE n.id = $1`, [id]))[0];
  }

  /** Cancels a notice that is not cancelled or over yet; returns it, or undefined. */
  async cancel(q: Queryable, id: string): Promise<MaintenanceNoticeRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [rows] = await q.query(`UPDATE maintenance_notices SET cancelled_at = now() WHERE id = $1 AND cancelled_at IS NULL AND ends_at > now() RETURNING *`, [id]);
    return rows[0];
  }
}
