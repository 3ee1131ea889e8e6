import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DemoDatabase, SchemaOwningRepository } from '../database/demo-database';

const schema = [
  `CREATE TABLE IF NOT EXISTS web_sessions (
    sid text CONSTRAINT web_sessions_pk PRIMARY KEY,
    data jsonb NOT NULL,
    expires_at timestamptz NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS web_sessions_expires_at_ix ON web_sessions (expires_at)`,
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
  }
}
