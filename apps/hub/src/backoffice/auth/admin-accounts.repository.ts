import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid, type Queryable } from '@tsunagu/common';
import { pgConstraint } from '../../platform/database/sql';

export interface AdminAccountRow {
  id: string;
  /** NULL for system admins. */
  tenant_id: string | null;
  login_id: string;
  display_name: string;
  password_hash: string;
  totp_secret_enc: string;
  totp_last_step: string | null;
  failed_logins: number;
  locked_until: Date | null;
  last_login_at: Date | null;
  password_changed_at: Date;
  active: boolean;
  created_at: Date;
}

/** An account as sign-in needs it: the row, whether it is locked now, and its tenant's state. */
export interface SignInCandidate extends AdminAccountRow {
  locked: boolean;
  tenant_active: boolean | null;
  tenant_allowed_cidrs: string[] | null;
}

/** What the screens list (no hashes, no secrets). */
export interface AdminAccountSummary {
  id: string;
  tenant_id: string | null;
  login_id: string;
  display_name: string;
  active: boolean;
  locked: boolean;
  last_login_at: Date | null;
  created_at: Date;
}

const SUMMARY = `id, tenant_id, login_id, display_name, active, (locked_until IS NOT NULL AND locked_until > now()) AS locked, last_login_at, created_at`;

/**
 * SQL of admin accounts. Accounts of a tenant are read and changed through methods that take the
 * tenant ID; system admins (tenant_id NULL) through the `System` ones. Sign-in looks an account up
 * by login ID alone: the tenant is what the account says.
 */
@Injectable()
export class AdminAccountsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(q: Queryable, a: { tenantId: string | null; loginId: string; displayName: string; passwordHash: string; totpSecretEnc: string }): Promise<AdminAccountSummary | 'login_id_taken'> {
    try {
      const rows = await q.query(
        `INSERT INTO admin_accounts (tenant_id, login_id, display_name, password_hash, totp_secret_enc) VALUES ($1, $2, $3, $4, $5) RETURNING ${SUMMARY}`,
        [a.tenantId, a.loginId, a.displayName, a.passwordHash, a.totpSecretEnc]);
      return rows[0];
    } catch (error) {
      if (pgConstraint(error) === 'admin_accounts_login_id_key') return 'login_id_taken';
      throw error;
    }
  }

  /** Unscoped on purpose: at sign-in the login ID is all there is; the row names its tenant. */
  async findForSignIn(loginId: string): Promise<SignInCandidate | undefined> {
    return (await this.db.query(
      `SELECT a.*, (a.locked_until IS NOT NULL AND a.locked_until > now()) AS locked, t.active AS tenant_active, t.admin_allowed_cidrs AS tenant_allowed_cidrs
       FROM admin_accounts a LEFT JOIN tenants t ON t.id = a.tenant_id WHERE a.login_id = $1`, [loginId]))[0];
  }

  /** The signed-in admin's own row (for password changes). */
  async findById(id: string): Promise<AdminAccountRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query(`SELECT * FROM admin_accounts WHERE id = $1`, [id]))[0];
  }

  listForTenant(tenantId: string): Promise<AdminAccountSummary[]> {
    return this.db.query(`SELECT ${SUMMARY} FROM admin_accounts WHERE tenant_id = $1 ORDER BY login_id`, [tenantId]);
  }

  listSystem(): Promise<AdminAccountSummary[]> {
    return this.db.query(`SELECT ${SUMMARY} FROM admin_accounts WHERE tenant_id IS NULL ORDER BY login_id`);
  }

  /** An account of `tenantId` (or a system admin when `tenantId` is null), for the system admin's screens. */
  async findInScope(q: Queryable, tenantId: string | null, id: string): Promise<AdminAccountSummary | undefined> {
    if (!isUuid(id)) return undefined;
    return (await q.query(
      `SELECT ${SUMMARY} FROM admin_accounts WHERE id = $1 AND tenant_id IS NOT DISTINCT FROM $2::uuid FOR UPDATE`, [id, tenantId]))[0];
  }

  async countActiveSystemAdmins(q: Queryable): Promise<number> {
    const [row] = await q.query(`SELECT count(*)::int AS n FROM admin_accounts WHERE tenant_id IS NULL AND active`);
    return row.n;
  }

  /**
   * Records a successful sign-in and consumes the TOTP step, only if no later or equal step was
   * used before: two requests with the same code race here, and one of them loses (false).
   */
  async recordSuccess(id: string, totpStep: number): Promise<boolean> {
    const [rows] = await this.db.query(
      `UPDATE admin_accounts SET failed_logins = 0, locked_until = NULL, last_login_at = now(), totp_last_step = $2, updated_at = now()
       WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`, [id, totpStep]);
    return rows.length === 1;
  }

  async updatePassword(q: Queryable, id: string, passwordHash: string): Promise<void> {
    await q.query(`UPDATE admin_accounts SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1`, [id, passwordHash]);
  }

  async unlock(q: Queryable, id: string): Promise<void> {
    await q.query(`UPDATE admin_accounts SET failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1`, [id]);
  }

  async setActive(q: Queryable, id: string, active: boolean): Promise<void> {
    await q.query(`UPDATE admin_accounts SET active = $2, updated_at = now() WHERE id = $1`, [id, active]);
  }

  /** A new second factor (and optionally password): the old code and every session stop working. */
  async resetCredentials(q: Queryable, id: string, values: { totpSecretEnc: string; passwordHash?: string }): Promise<void> {
    await q.query(
      `UPDATE admin_accounts SET totp_secret_enc = $2, totp_last_step = NULL, password_hash = COALESCE($3, password_hash),
         password_changed_at = CASE WHEN $3::text IS NULL THEN password_changed_at ELSE now() END,
         failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1`,
      [id, values.totpSecretEnc, values.passwordHash ?? null]);
  }

  /** Development seeding: an account keyed by login ID, created once. */
  async insertSeedIfAbsent(a: { tenantId: string | null; loginId: string; displayName: string; passwordHash: string; totpSecretEnc: string }): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO admin_accounts (tenant_id, login_id, display_name, password_hash, totp_secret_enc) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (login_id) DO NOTHING RETURNING id`, [a.tenantId, a.loginId, a.displayName, a.passwordHash, a.totpSecretEnc]);
    return rows.length === 1;
  }

  async exists(loginId: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM admin_accounts WHERE login_id = $1`, [loginId])).length === 1;
  }
}
