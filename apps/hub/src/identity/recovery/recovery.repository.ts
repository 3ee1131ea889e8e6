import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isUuid } from '@tsunagu/common';

export interface ResidentEmailRow {
  address: string;
  verified_at: Date | null;
}

/** A one-time link's row as found by its token's hash (to tell a used link from an expired one). */
export interface LinkRow {
  resident_id: string;
  login_id: string;
  used_at: Date | null;
  expires_at: Date;
}

export type ResetMethod = 'email' | 'card';

/**
 * SQL of password reset and e-mail verification. Residents are platform-wide (no tenant). Every
 * one-time thing — reset link, verification link, card challenge — is consumed by one conditional
 * UPDATE … RETURNING: of any number of concurrent uses, exactly one gets the row.
 */
@Injectable()
export class RecoveryRepository {
  constructor(private readonly db: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async findEmail(residentId: string): Promise<ResidentEmailRow | undefined> {
    return (await this.db.query(`SELECT address, verified_at FROM resident_emails WHERE resident_id = $1`, [residentId]))[0];
  }

  /** The address waiting for its verification link to be opened (the newest unused, unexpired one). */
  async pendingEmail(residentId: string, now: Date): Promise<string | undefined> {
    const rows = await this.db.query(
      `SELECT address FROM email_verifications WHERE resident_id = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY created_at DESC LIMIT 1`, [residentId, now]);
    return rows[0]?.address;
  }

  async insertEmailVerification(residentId: string, address: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.db.query(`INSERT INTO email_verifications (resident_id, address, token_hash, expires_at) VALUES ($1, $2, $3, $4)`, [residentId, address, tokenHash, expiresAt]);
  }

  /** Consumes a verification link and makes its address the resident's verified one (earlier pending links die with it). */
  async consumeEmailVerification(tx: EntityManager, tokenHash: string, now: Date): Promise<{ resident_id: string; address: string } | undefined> {
    const [rows] = await tx.query(
      `UPDATE email_verifications SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING resident_id, address`, [tokenHash, now]);
    const row = rows[0] as { resident_id: string; address: string } | undefined;
    if (!row) return undefined;
    await tx.query(
      `INSERT INTO resident_emails (resident_id, address, verified_at) VALUES ($1, $2, $3)
       ON CONFLICT (resident_id) DO UPDATE SET address = EXCLUDED.address, verified_at = EXCLUDED.verified_at, updated_at = now()`,
      [row.resident_id, row.address, now]);
    await tx.query(`UPDATE email_verifications SET used_at = $2 WHERE resident_id = $1 AND used_at IS NULL`, [row.resident_id, now]);
    return row;
  }

  async findEmailVerification(tokenHash: string): Promise<LinkRow | undefined> {
    return (await this.db.query(
      `SELECT v.resident_id, r.login_id, v.used_at, v.expires_at FROM email_verifications v JOIN residents r ON r.id = v.resident_id WHERE v.token_hash = $1`, [tokenHash]))[0];
  }

  /** Removes the resident's address and every pending verification of theirs. */
  async removeEmail(residentId: string): Promise<boolean> {
    await this.db.query(`DELETE FROM email_verifications WHERE resident_id = $1 AND used_at IS NULL`, [residentId]);
    const [, count] = await this.db.query(`DELETE FROM resident_emails WHERE resident_id = $1`, [residentId]);
    return Number(count) > 0;
  }

  /** The resident with this login ID whose verified address is this one (addresses compared case-insensitively). */
  async findByLoginIdAndVerifiedEmail(loginId: string, address: string): Promise<{ id: string; address: string } | undefined> {
    return (await this.db.query(
      `SELECT r.id, e.address FROM residents r JOIN resident_emails e ON e.resident_id = r.id
        WHERE r.login_id = $1 AND lower(e.address) = lower($2) AND e.verified_at IS NOT NULL`, [loginId, address]))[0];
  }

  async insertReset(residentId: string, method: ResetMethod, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.db.query(`INSERT INTO password_resets (resident_id, method, token_hash, expires_at) VALUES ($1, $2, $3, $4)`, [residentId, method, tokenHash, expiresAt]);
  }

  /**
   * Consumes a reset link, only for the resident whose login ID was typed with it, only once,
   * only before it expires; every other unused link of the resident dies with it.
   */
  async consumeReset(tx: EntityManager, tokenHash: string, loginId: string, now: Date): Promise<{ resident_id: string; method: ResetMethod } | undefined> {
    const [rows] = await tx.query(
      `UPDATE password_resets p SET used_at = $3 FROM residents r
        WHERE p.token_hash = $1 AND r.id = p.resident_id AND r.login_id = $2 AND p.used_at IS NULL AND p.expires_at > $3
        RETURNING p.resident_id, p.method`, [tokenHash, loginId, now]);
    const row = rows[0] as { resident_id: string; method: ResetMethod } | undefined;
    if (row) await tx.query(`UPDATE password_resets SET used_at = $2 WHERE resident_id = $1 AND used_at IS NULL`, [row.resident_id, now]);
    return row;
  }

  async findReset(tokenHash: string): Promise<LinkRow | undefined> {
    return (await this.db.query(
      `SELECT p.resident_id, r.login_id, p.used_at, p.expires_at FROM password_resets p JOIN residents r ON r.id = p.resident_id WHERE p.token_hash = $1`, [tokenHash]))[0];
  }

  async setPassword(tx: EntityManager, residentId: string, passwordHash: string): Promise<void> {
    await tx.query(`UPDATE residents SET password_hash = $2, updated_at = now() WHERE id = $1`, [residentId, passwordHash]);
  }

  async insertCardChallenge(loginId: string, challenge: string, expiresAt: Date): Promise<{ id: string }> {
    return (await this.db.query(`INSERT INTO card_reset_challenges (login_id, challenge, expires_at) VALUES ($1, $2, $3) RETURNING id`, [loginId, challenge, expiresAt]))[0];
  }

  /** Uses up a card challenge whatever the card's answer turns out to be. */
  async consumeCardChallenge(id: string, now: Date): Promise<{ login_id: string; challenge: string } | undefined> {
    if (!isUuid(id)) return undefined;
    const [rows] = await this.db.query(
      `UPDATE card_reset_challenges SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2 RETURNING login_id, challenge`, [id, now]);
    return rows[0];
  }

  /** The card challenges of one login ID that wait for their answer (the development test card answers one). */
  async findOpenCardChallenge(id: string, now: Date): Promise<{ login_id: string; challenge: string } | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query(`SELECT login_id, challenge FROM card_reset_challenges WHERE id = $1 AND used_at IS NULL AND expires_at > $2`, [id, now]))[0];
  }

  /** The resident with this login ID whose current identity verification is this card's. */
  async findByLoginIdAndCard(loginId: string, cardKey: string): Promise<{ id: string } | undefined> {
    return (await this.db.query(
      `SELECT r.id FROM residents r JOIN identity_verifications v ON v.resident_id = r.id
        WHERE r.login_id = $1 AND v.card_key = $2 AND v.status = 'verified' AND r.identity_verified_at IS NOT NULL`, [loginId, cardKey]))[0];
  }

  /** Drops challenges and links a day past their expiry (used or not): they can never work again. */
  async deleteExpired(now: Date): Promise<void> {
    for (const table of ['card_reset_challenges', 'password_resets', 'email_verifications']) {
      await this.db.query(`DELETE FROM ${table} WHERE expires_at < $1::timestamptz - interval '1 day'`, [now]);
    }
  }
}
