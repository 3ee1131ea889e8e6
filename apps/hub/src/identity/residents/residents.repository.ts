import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@tsunagu/common';

export interface ResidentRow {
  id: string;
  common_id: string;
  login_id: string;
  password_hash: string;
  display_name: string;
  failed_logins: number;
  locked_until: Date | null;
  identity_verified_at: Date | null;
  created_at: Date;
}

/** SQL for residents. Residents are platform-wide (not tenant-owned): one common ID per person. */
@Injectable()
export class ResidentsRepository {
  constructor(private readonly db: DataSource) {}

  /** @returns the new row, or undefined when the login ID or common ID is already taken. */
  async insert(values: { commonId: string; loginId: string; passwordHash: string; displayName: string }): Promise<ResidentRow | 'login_id_taken' | 'common_id_taken'> {
    try {
      const rows = await this.db.query(
        `INSERT INTO residents (common_id, login_id, password_hash, display_name) VALUES ($1, $2, $3, $4) RETURNING *`,
        [values.commonId, values.loginId, values.passwordHash, values.displayName]);
      return rows[0];
    } catch (error) {
      const constraint = (error as { constraint?: string }).constraint;
      if (constraint === 'residents_login_id_key') return 'login_id_taken';
      if (constraint === 'residents_common_id_key') return 'common_id_taken';
      throw error;
    }
  }

  async findByLoginId(loginId: string): Promise<ResidentRow | undefined> {
    return (await this.db.query(`SELECT * FROM residents WHERE login_id = $1`, [loginId]))[0];
  }

  async findById(id: string): Promise<ResidentRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query(`SELECT * FROM residents WHERE id = $1`, [id]))[0];
  }

  /**
   * Counts a failed sign-in atomically (replicas may race). On reaching the limit the account is
   * locked for the given period and the counter starts again.
   */
  async recordFailure(id: string, maxFailures: number, lockoutMinutes: number): Promise<{ locked: boolean }> {
    // TypeORM returns [rows, affectedCount] for UPDATE … RETURNING.
    const [updated] = await this.db.query(
      `UPDATE residents SET
         failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
         locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END,
         updated_at = now()
       WHERE id = $1 RETURNING locked_until > now() AS locked`, [id, maxFailures, lockoutMinutes]);
    return { locked: updated[0]?.locked === true };
  }

  async recordSuccess(id: string): Promise<void> {
    await this.db.query(`UPDATE residents SET failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1 AND (failed_logins <> 0 OR locked_until IS NOT NULL)`, [id]);
  }

  /** True while the account is locked (the database clock decides, the same for every replica). */
  async isLocked(id: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT locked_until IS NOT NULL AND locked_until > now() AS locked FROM residents WHERE id = $1`, [id]);
    return rows[0]?.locked === true;
  }
}
