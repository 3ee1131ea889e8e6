import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface ChallengeRow {
  id: string;
  resident_id: string;
  session_uid: string;
  challenge: string;
  expires_at: Date;
  used_at: Date | null;
  expired: boolean;
}

export interface CrlRow {
  issuer: string;
  /** Signer key and partition (CrlInfo.signerSpkiSha256 + '/' + CrlInfo.scope): one row per current CRL. */
  scope: string;
  der: Buffer;
  this_update: Date;
  next_update: Date;
  revoked_count: number;
  source: string;
  fetched_at: Date;
}

/** SQL for JPKI challenges, CRLs and identity verifications (platform-wide, not tenant-owned). */
@Injectable()
export class JpkiRepository {
  constructor(private readonly db: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async insertChallenge(residentId: string, sessionUid: string, challenge: string, ttlSeconds: number): Promise<ChallengeRow> {
    const rows = await this.db.query(
      `INSERT INTO jpki_challenges (resident_id, session_uid, challenge, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING *, false AS expired`,
      [residentId, sessionUid, challenge, ttlSeconds]);
    return rows[0];
  }

  /** Locks the challenge row so two answers to one challenge cannot both succeed. */
  async lockChallenge(tx: EntityManager, id: string, residentId: string): Promise<ChallengeRow | undefined> {
    const rows = await tx.query(
      `SELECT *, expires_at <= now() AS expired FROM jpki_challenges WHERE id = $1 AND resident_id = $2 FOR UPDATE`, [id, residentId]);
    return rows[0];
  }

  async markChallengeUsed(tx: EntityManager, id: string): Promise<void> {
    await tx.query(`UPDATE jpki_challenges SET used_at = now() WHERE id = $1`, [id]);
  }

  async deleteExpiredChallenges(): Promise<number> {
    const [, count] = await this.db.query(`DELETE FROM jpki_challenges WHERE expires_at < now() - interval '1 day'`);
    return count as number;
  }

  /**
   * Records the verification. The card key is unique: if another resident already verified with
   * this card, nothing is written and the owner is returned.
   */
  async recordVerification(tx: EntityManager, residentId: string, cardKey: string, notAfter: Date): Promise<{ verifiedAt: Date } | { otherResident: true }> {
    const rows = await tx.query(
      `INSERT INTO identity_verifications (resident_id, method, card_key, certificate_not_after)
       VALUES ($1, 'jpki_signature', $2, $3)
       ON CONFLICT (card_key) DO UPDATE SET verified_at = now(), certificate_not_after = EXCLUDED.certificate_not_after
         WHERE identity_verifications.resident_id = EXCLUDED.resident_id
       RETURNING verified_at`, [residentId, cardKey, notAfter]);
    if (!rows[0]) return { otherResident: true };
    await tx.query(`UPDATE residents SET identity_verified_at = $2, updated_at = now() WHERE id = $1`, [residentId, rows[0].verified_at]);
    return { verifiedAt: rows[0].verified_at };
  }

  listCrls(): Promise<CrlRow[]> {
    return this.db.query(`SELECT * FROM jpki_crls ORDER BY issuer, scope`);
  }

  /** A cheap fingerprint of the stored CRLs: replicas reload only when it changes. */
  async crlVersion(): Promise<string> {
    const rows = await this.db.query(`SELECT coalesce(max(fetched_at)::text, '') || ':' || count(*) AS version FROM jpki_crls`);
    return rows[0].version;
  }

  /** Stores a CRL unless a newer one for the same issuer, signer key and partition is already there. */
  async upsertCrl(row: Omit<CrlRow, 'fetched_at'>): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO jpki_crls (issuer, scope, der, this_update, next_update, revoked_count, source) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (issuer, scope) DO UPDATE SET der = EXCLUDED.der, this_update = EXCLUDED.this_update, next_update = EXCLUDED.next_update,
         revoked_count = EXCLUDED.revoked_count, source = EXCLUDED.source, fetched_at = now()
         WHERE jpki_crls.this_update < EXCLUDED.this_update
       RETURNING issuer`, [row.issuer, row.scope, row.der, row.this_update, row.next_update, row.revoked_count, row.source]);
    if (rows.length > 0 && row.scope !== '') {
      // A row of the same issuer stored before partitions were told apart is superseded.
      await this.db.query(`DELETE FROM jpki_crls WHERE issuer = $1 AND scope = ''`, [row.issuer]);
    }
    return rows.length > 0;
  }
}
