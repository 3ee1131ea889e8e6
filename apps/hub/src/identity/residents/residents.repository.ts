import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@tsunagu/common';

export interface ResidentRow {
  id: string;
  common_id: string;
  login_id: string;
  password_hash: string;
  display_name: string;
  /** Unused since sign-in is throttled instead of locked (docs/security.md); kept for old rows. */
  failed_logins: number;
  /** Unused, as `failed_logins`. */
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
}
