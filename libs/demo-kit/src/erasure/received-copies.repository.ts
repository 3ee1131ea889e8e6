import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DemoDatabase, SchemaOwningRepository } from '../database/demo-database';

const schema = [
  `CREATE TABLE IF NOT EXISTS received_copies (
    local_id text NOT NULL,
    item text NOT NULL,
    received_at timestamptz NOT NULL,
    payload jsonb NOT NULL,
    CONSTRAINT received_copies_pk PRIMARY KEY (local_id, item)
  )`,
  `CREATE TABLE IF NOT EXISTS erasures_done (
    erasure_id text CONSTRAINT erasures_done_pk PRIMARY KEY,
    erased jsonb NOT NULL,
    done_at timestamptz NOT NULL DEFAULT now()
  )`,
];

/**
 * The demo service's copy of what it received through its connector (the latest value of each
 * item per member), as a real service keeps one to show and compute with — and what an erasure
 * request (docs/manuals/vendor.md) deletes. `erasures_done` answers a repeated request the same.
 */
@Injectable()
export class ReceivedCopiesRepository extends SchemaOwningRepository implements OnModuleInit {
  constructor(db: DemoDatabase) {
    super(db, schema);
  }

  /** Keeps the latest value of each received item. */
  async keep(localId: string, items: Record<string, unknown>, at: Date): Promise<void> {
    for (const [item, value] of Object.entries(items)) {
      if (value === undefined) continue;
      await this.db.query(
        `INSERT INTO received_copies (local_id, item, received_at, payload) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (local_id, item) DO UPDATE SET received_at = EXCLUDED.received_at, payload = EXCLUDED.payload`,
        [localId, item, at, JSON.stringify(value)]);
    }
  }

  async count(localId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM received_copies WHERE local_id = $1`, [localId]);
    return rows[0].n;
  }

  /** Deletes every copy about the member in one transaction, once per erasure ID; returns the counts per item (the first call's, when repeated). */
  async eraseOnce(erasureId: string, localId: string, items: string[]): Promise<{ item: string; count: number }[]> {
    return this.db.transaction(async (tx) => {
      const { rows: done } = await tx.query<{ erased: { item: string; count: number }[] }>(`SELECT erased FROM erasures_done WHERE erasure_id = $1`, [erasureId]);
      if (done[0]) return done[0].erased;
      const { rows } = await tx.query<{ item: string }>(`DELETE FROM received_copies WHERE local_id = $1 RETURNING item`, [localId]);
      const counts = new Map(items.map((i) => [i, 0]));
      for (const r of rows) counts.set(r.item, (counts.get(r.item) ?? 0) + 1);
      const erased = [...counts].map(([item, count]) => ({ item, count }));
      await tx.query(`INSERT INTO erasures_done (erasure_id, erased) VALUES ($1, $2::jsonb)`, [erasureId, JSON.stringify(erased)]);
      return erased;
    });
  }

  /**
   * A tenant left the platform: deletes every member's copy of these items (what was received
   * under its data uses and agreements), once per erasure ID; returns the counts per item.
   */
  async eraseItemsOnce(erasureId: string, items: string[]): Promise<{ item: string; count: number }[]> {
    return this.db.transaction(async (tx) => {
      const { rows: done } = await tx.query<{ erased: { item: string; count: number }[] }>(`SELECT erased FROM erasures_done WHERE erasure_id = $1`, [erasureId]);
      if (done[0]) return done[0].erased;
      const { rows } = await tx.query<{ item: string }>(`DELETE FROM received_copies WHERE item = ANY($1::text[]) RETURNING item`, [items]);
      const counts = new Map(items.map((i) => [i, 0]));
      for (const r of rows) counts.set(r.item, (counts.get(r.item) ?? 0) + 1);
      const erased = [...counts].map(([item, count]) => ({ item, count }));
      await tx.query(`INSERT INTO erasures_done (erasure_id, erased) VALUES ($1, $2::jsonb)`, [erasureId, JSON.stringify(erased)]);
      return erased;
    });
  }
}
