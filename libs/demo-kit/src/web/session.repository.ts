import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DemoDatabase, SchemaOwningRepository } from '../database/demo-database';

const schema = [
  `CREATE TABLE IF NOT EXISTS web_sessions (
    sid text CONSTRAINT web_sessions_pk PRIMARY KEY,
    data jsonb NOT NULL,
    expires_at timestamptz NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS web_sessions_expires_at_ix ON web_sessions (expires_at)`,
  // Back-channel logout finds sessions by the hub's sid or the resident's subject (session-state.ts: data.demo.resident).
  `CREATE INDEX IF NOT EXISTS web_sessions_hub_sid_ix ON web_sessions ((data #>> '{demo,resident,sid}'))`,
  `CREATE INDEX IF NOT EXISTS web_sessions_hub_sub_ix ON web_sessions ((data #>> '{demo,resident,sub}'))`,
  `CREATE TABLE IF NOT EXISTS logout_token_jtis (
    jti text CONSTRAINT logout_token_jtis_pk PRIMARY KEY,
    expires_at timestamptz NOT NULL
  )`,
];

/** Every query on browser sessions. */
@Injectable()
export class SessionRepository extends SchemaOwningRepository implements OnModuleInit {
  constructor(db: DemoDatabase) {
    super(db, schema);
  }

  async find(sid: string, now: Date): Promise<unknown> {
    const { rows } = await this.db.query<{ data: unknown }>(`SELECT data FROM web_sessions WHERE sid = $1 AND expires_at > $2`, [sid, now]);
    return rows[0]?.data;
  }

  async save(sid: string, data: unknown, expiresAt: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO web_sessions (sid, data, expires_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT ON CONSTRAINT web_sessions_pk DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
      [sid, JSON.stringify(data), expiresAt],
    );
  }

  async touch(sid: string, expiresAt: Date): Promise<void> {
    await this.db.query(`UPDATE web_sessions SET expires_at = $2 WHERE sid = $1`, [sid, expiresAt]);
  }

  async delete(sid: string): Promise<void> {
    await this.db.query(`DELETE FROM web_sessions WHERE sid = $1`, [sid]);
  }

  async deleteExpired(now: Date): Promise<void> {
    await this.db.query(`DELETE FROM web_sessions WHERE expires_at <= $1`, [now]);
    await this.db.query(`DELETE FROM logout_token_jtis WHERE expires_at <= $1`, [now]);
  }

  /**
   * Ends the sessions a back-channel logout token names: the one signed in with the hub session
   * `sid` (of that `sub`, when given), or, without `sid`, every session of `sub`. Answers how many.
   */
  async deleteSignedInWithHub(target: { sub?: string; sid?: string }): Promise<number> {
    const { rows } = target.sid
      ? await this.db.query<{ sid: string }>(
        `DELETE FROM web_sessions WHERE data #>> '{demo,resident,sid}' = $1 AND ($2::text IS NULL OR data #>> '{demo,resident,sub}' = $2) RETURNING sid`,
        [target.sid, target.sub ?? null])
      : await this.db.query<{ sid: string }>(`DELETE FROM web_sessions WHERE data #>> '{demo,resident,sub}' = $1 RETURNING sid`, [target.sub]);
    return rows.length;
  }

  /** Records a logout token's `jti` once: false when it was already recorded (a replay). */
  async recordLogoutJti(jti: string, expiresAt: Date): Promise<boolean> {
    const { rows } = await this.db.query<{ jti: string }>(
      `INSERT INTO logout_token_jtis (jti, expires_at) VALUES ($1, $2) ON CONFLICT ON CONSTRAINT logout_token_jtis_pk DO NOTHING RETURNING jti`, [jti, expiresAt]);
    return rows.length === 1;
  }
}
