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

export interface VerificationRow {
  id: string;
  resident_id: string;
  card_key: string;
  certificate_ref_sealed: string | null;
  certificate_not_after: Date;
}

export interface LapseRow {
  lapsed_at: Date;
  lapse_reason: 'revoked' | 'expired';
  revocation_reason: string | null;
}

export interface TransferRow {
  id: string;
  token_hash: string;
  resident_id: string;
  session_uid: string;
  challenge_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  outcome: string | null;
  finished_at: Date | null;
  expired: boolean;
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
   * this card, nothing is written and the owner is returned. The resident's other current
   * verifications (an older card) become `replaced`: only the newest card is re-checked.
   */
  async recordVerification(tx: EntityManager, residentId: string, cardKey: string, notAfter: Date, sealedRef: string): Promise<{ verifiedAt: Date; id: string } | { otherResident: true }> {
    const rows = await tx.query(
      `INSERT INTO identity_verifications (resident_id, method, card_key, certificate_not_after, certificate_ref_sealed)
       VALUES ($1, 'jpki_signature', $2, $3, $4)
       ON CONFLICT (card_key) DO UPDATE SET verified_at = now(), certificate_not_after = EXCLUDED.certificate_not_after,
         certificate_ref_sealed = EXCLUDED.certificate_ref_sealed, status = 'verified', checked_at = NULL, lapsed_at = NULL, lapse_reason = NULL, revocation_reason = NULL
         WHERE identity_verifications.resident_id = EXCLUDED.resident_id
       RETURNING id, verified_at`, [residentId, cardKey, notAfter, sealedRef]);
    if (!rows[0]) return { otherResident: true };
    await tx.query(`UPDATE identity_verifications SET status = 'replaced' WHERE resident_id = $1 AND id <> $2 AND status = 'verified'`, [residentId, rows[0].id]);
    await tx.query(`UPDATE residents SET identity_verified_at = $2, updated_at = now() WHERE id = $1`, [residentId, rows[0].verified_at]);
    return { verifiedAt: rows[0].verified_at, id: rows[0].id };
  }

  /** Current verifications after `afterId` in ID order (keyset pages). Platform-wide: the re-check covers every resident. */
  listVerified(afterId: string, limit: number): Promise<VerificationRow[]> {
    return this.db.query(
      `SELECT id, resident_id, card_key, certificate_ref_sealed, certificate_not_after FROM identity_verifications
       WHERE status = 'verified' AND id > $1 ORDER BY id LIMIT $2`, [afterId, limit]);
  }

  async markChecked(ids: string[]): Promise<void> {
    if (ids.length) await this.db.query(`UPDATE identity_verifications SET checked_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * Lapses one verification (if still current) and, when the resident has no other current one,
   * clears `residents.identity_verified_at` (so the next sign-in's acr is the password level).
   * Undefined when another replica lapsed it first.
   */
  async lapseVerification(tx: EntityManager, id: string, reason: 'revoked' | 'expired', revocationReason: string | null): Promise<{ residentId: string; stillVerified: boolean } | undefined> {
    const [rows] = await tx.query(
      `UPDATE identity_verifications SET status = 'lapsed', lapsed_at = now(), checked_at = now(), lapse_reason = $2, revocation_reason = $3
       WHERE id = $1 AND status = 'verified' RETURNING resident_id`, [id, reason, revocationReason]);
    const residentId = rows?.[0]?.resident_id as string | undefined;
    if (!residentId) return undefined;
    const other = await tx.query(`SELECT 1 FROM identity_verifications WHERE resident_id = $1 AND status = 'verified' LIMIT 1`, [residentId]);
    if (!other.length) await tx.query(`UPDATE residents SET identity_verified_at = NULL, updated_at = now() WHERE id = $1`, [residentId]);
    return { residentId, stillVerified: other.length > 0 };
  }

  /** The resident's latest lapse, when no current verification is left (what the portal tells them). */
  async currentLapse(residentId: string): Promise<LapseRow | undefined> {
    const rows = await this.db.query(
      `SELECT v.lapsed_at, v.lapse_reason, v.revocation_reason FROM identity_verifications v
       WHERE v.resident_id = $1 AND v.status = 'lapsed'
         AND NOT EXISTS (SELECT 1 FROM identity_verifications o WHERE o.resident_id = $1 AND o.status = 'verified')
       ORDER BY v.lapsed_at DESC LIMIT 1`, [residentId]);
    return rows[0];
  }

  /**
   * Residents whose verification lapsed (none current) and who still have an active consent to a
   * data use that requires a verified identity: a crash between the lapse and the pause left them.
   * Unscoped: a platform-wide sweep.
   */
  async listLapsedWithActiveRequiringConsents(limit: number): Promise<{ resident_id: string; lapse_reason: 'revoked' | 'expired' }[]> {
    return this.db.query(
      `SELECT DISTINCT ON (r.id) r.id AS resident_id, v.lapse_reason FROM residents r
       JOIN identity_verifications v ON v.resident_id = r.id AND v.status = 'lapsed'
       WHERE r.identity_verified_at IS NULL
         AND EXISTS (SELECT 1 FROM consents c JOIN data_uses u ON u.id = c.data_use_id
           WHERE c.resident_id = r.id AND c.superseded_at IS NULL AND c.state = 'active' AND u.requires_verified_identity)
       ORDER BY r.id, v.lapsed_at DESC LIMIT $1`, [limit]);
  }

  /** Verified residents with a consent still paused for a lapse (a crash after their new verification left it). Unscoped sweep. */
  async listVerifiedWithLapsePausedConsents(limit: number): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT r.id FROM residents r WHERE r.identity_verified_at IS NOT NULL
         AND EXISTS (SELECT 1 FROM consents c WHERE c.resident_id = r.id AND c.superseded_at IS NULL AND c.state = 'paused'
           AND c.reason IN ('identity_certificate_revoked', 'identity_certificate_expired') AND c.created_at < r.identity_verified_at)
       LIMIT $1`, [limit]);
    return rows.map((r: { id: string }) => r.id);
  }

  // --- Hand-overs to a card app on another device ---------------------------------------------

  async insertTransfer(residentId: string, sessionUid: string, challengeId: string, tokenHash: string, expiresAt: Date): Promise<TransferRow> {
    const rows = await this.db.query(
      `INSERT INTO jpki_transfers (resident_id, session_uid, challenge_id, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)
       RETURNING *, false AS expired`, [residentId, sessionUid, challengeId, tokenHash, expiresAt]);
    return rows[0];
  }

  async findTransferByToken(tokenHash: string): Promise<TransferRow | undefined> {
    return (await this.db.query(`SELECT *, expires_at <= now() AS expired FROM jpki_transfers WHERE token_hash = $1`, [tokenHash]))[0];
  }

  /** The atomic check-and-set of a token's single use: only one caller gets the row back. */
  async useTransfer(id: string): Promise<boolean> {
    const [rows] = await this.db.query(`UPDATE jpki_transfers SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now() RETURNING id`, [id]);
    return (rows?.length ?? 0) === 1;
  }

  async finishTransfer(id: string, outcome: string): Promise<void> {
    await this.db.query(`UPDATE jpki_transfers SET outcome = $2, finished_at = now() WHERE id = $1`, [id, outcome]);
  }

  async findTransfer(id: string, residentId: string, sessionUid: string): Promise<TransferRow | undefined> {
    return (await this.db.query(
      `SELECT *, expires_at <= now() AS expired FROM jpki_transfers WHERE id = $1 AND resident_id = $2 AND session_uid = $3`, [id, residentId, sessionUid]))[0];
  }

  /** The session's newest hand-over (the verify page shows its state after a plain refresh). */
  async latestTransfer(residentId: string, sessionUid: string): Promise<TransferRow | undefined> {
    return (await this.db.query(
      `SELECT *, expires_at <= now() AS expired FROM jpki_transfers WHERE resident_id = $1 AND session_uid = $2 ORDER BY created_at DESC LIMIT 1`,
      [residentId, sessionUid]))[0];
  }

  async findChallenge(id: string): Promise<ChallengeRow | undefined> {
    return (await this.db.query(`SELECT *, expires_at <= now() AS expired FROM jpki_challenges WHERE id = $1`, [id]))[0];
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
