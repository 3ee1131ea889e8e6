import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type KeyStatus = 'next' | 'active' | 'retired';

export interface SigningKeyRow {
  kid: string;
  alg: string;
  public_jwk: Record<string, unknown>;
  private_jwk_enc: string;
  status: KeyStatus;
  created_at: Date;
  activated_at: Date | null;
  retired_at: Date | null;
}

/** SQL for signing keys and hub secrets (platform-wide rows, not tenant-owned). */
@Injectable()
export class KeysRepository {
  constructor(private readonly db: DataSource) {}

  listSigningKeys(): Promise<SigningKeyRow[]> {
    return this.db.query(`SELECT * FROM signing_keys ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'next' THEN 1 ELSE 2 END, created_at DESC`);
  }

  async insertSigningKey(row: Pick<SigningKeyRow, 'kid' | 'alg' | 'public_jwk' | 'private_jwk_enc' | 'status'>): Promise<void> {
    await this.db.query(
      `INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk_enc, status, activated_at)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = 'active' THEN now() END)`,
      [row.kid, row.alg, JSON.stringify(row.public_jwk), row.private_jwk_enc, row.status]);
  }

  /** Promotes the staged key and retires the active one, atomically. */
  async activateNext(alg: string): Promise<string | undefined> {
    return this.db.transaction(async (tx) => {
      const next = await tx.query(`SELECT kid FROM signing_keys WHERE alg = $1 AND status = 'next' ORDER BY created_at LIMIT 1 FOR UPDATE`, [alg]);
      if (!next.length) return undefined;
      await tx.query(`UPDATE signing_keys SET status = 'retired', retired_at = now() WHERE alg = $1 AND status = 'active'`, [alg]);
      await tx.query(`UPDATE signing_keys SET status = 'active', activated_at = now() WHERE kid = $1`, [next[0].kid]);
      return next[0].kid as string;
    });
  }

  /** Removes retired keys older than the cutoff from JWKS (tokens signed with them have expired). */
  async purgeRetired(before: Date): Promise<number> {
    const [, count] = await this.db.query(`DELETE FROM signing_keys WHERE status = 'retired' AND retired_at < $1`, [before]);
    return count as number;
  }

  async findSecret(name: string): Promise<string | undefined> {
    const rows = await this.db.query(`SELECT value_enc FROM hub_secrets WHERE name = $1`, [name]);
    return rows[0]?.value_enc;
  }

  /** Inserts unless another replica won the race; returns the stored value either way. */
  async insertSecretIfAbsent(name: string, valueEnc: string): Promise<string> {
    await this.db.query(`INSERT INTO hub_secrets (name, value_enc) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [name, valueEnc]);
    return (await this.findSecret(name)) as string;
  }
}
