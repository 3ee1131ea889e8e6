import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '@tsunagu/common';

/** A live session with what every admin request needs to know about its admin. */
export interface AdminSessionRow {
  session_id: string;
  admin_id: string;
  login_id: string;
  display_name: string;
  /** The admin's own tenant; NULL for a system admin. */
  tenant_id: string | null;
  tenant_code: string | null;
  tenant_name_ja: string | null;
  tenant_name_en: string | null;
  tenant_allowed_cidrs: string[] | null;
  /** The tenant a system admin chose to look at on the tenant screens. */
  acting_tenant_id: string | null;
  acting_tenant_code: string | null;
  acting_tenant_name_ja: string | null;
  acting_tenant_name_en: string | null;
}

/**
 * Admin sessions live in PostgreSQL, so every hub replica sees the same ones and none holds
 * state. The browser keeps a random token; only its SHA-256 is stored. The database clock decides
 * idle and absolute expiry, the same for every replica.
 */
@Injectable()
export class AdminSessionsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(tokenHash: string, adminId: string, clientIp: string | undefined): Promise<string> {
    const rows = await this.db.query(
      `INSERT INTO admin_sessions (token_hash, admin_id, client_ip) VALUES ($1, $2, $3) RETURNING id`, [tokenHash, adminId, clientIp ?? null]);
    return rows[0].id;
  }

  /**
   * The session for a token if it is still alive (used within the idle period, younger than the
   * maximum, its admin and tenant active), touching it: one statement, one round trip.
   */
  async resume(tokenHash: string, idleMinutes: number, maxHours: number): Promise<AdminSessionRow | undefined> {
    const [rows] = await this.db.query(
      `UPDATE admin_sessions s SET last_seen_at = now()
       FROM admin_accounts a
       LEFT JOIN tenants t ON t.id = a.tenant_id
       WHERE s.token_hash = $1 AND a.id = s.admin_id AND a.active AND (a.tenant_id IS NULL OR t.active)
         AND s.last_seen_at > now() - make_interval(mins => $2) AND s.created_at > now() - make_interval(hours => $3)
       RETURNING s.id AS session_id, a.id AS admin_id, a.login_id, a.display_name, a.tenant_id,
         t.code AS tenant_code, t.name_ja AS tenant_name_ja, t.name_en AS tenant_name_en, t.admin_allowed_cidrs AS tenant_allowed_cidrs,
         s.acting_tenant_id,
         (SELECT code FROM tenants x WHERE x.id = s.acting_tenant_id) AS acting_tenant_code,
         (SELECT name_ja FROM tenants x WHERE x.id = s.acting_tenant_id) AS acting_tenant_name_ja,
         (SELECT name_en FROM tenants x WHERE x.id = s.acting_tenant_id) AS acting_tenant_name_en`,
      [tokenHash, idleMinutes, maxHours]);
    return rows[0];
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.db.query(`DELETE FROM admin_sessions WHERE token_hash = $1`, [tokenHash]);
  }

  async delete(sessionId: string): Promise<void> {
    await this.db.query(`DELETE FROM admin_sessions WHERE id = $1`, [sessionId]);
  }

  /** Ends every session of an admin (deactivated, credentials reset, password changed elsewhere). */
  async deleteForAdmin(q: Queryable, adminId: string, exceptSessionId?: string): Promise<void> {
    await q.query(`DELETE FROM admin_sessions WHERE admin_id = $1 AND id IS DISTINCT FROM $2::uuid`, [adminId, exceptSessionId ?? null]);
  }

  /** Which tenant a system admin is looking at (NULL: none). Only system admins' sessions may act. */
  async setActingTenant(sessionId: string, tenantId: string | null): Promise<void> {
    await this.db.query(
      `UPDATE admin_sessions s SET acting_tenant_id = $2 FROM admin_accounts a WHERE s.id = $1 AND a.id = s.admin_id AND a.tenant_id IS NULL`,
      [sessionId, tenantId]);
  }

  /** Drops sessions past either deadline (called at each sign-in; there are few). */
  async deleteExpired(idleMinutes: number, maxHours: number): Promise<void> {
    await this.db.query(
      `DELETE FROM admin_sessions WHERE last_seen_at <= now() - make_interval(mins => $1) OR created_at <= now() - make_interval(hours => $2)`,
      [idleMinutes, maxHours]);
  }
}
