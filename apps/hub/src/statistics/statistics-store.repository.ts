import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StatisticsEntry, StatisticsTableSpec } from '@tsunagu/statistics';

/** A checked table to keep: what produced it and its entries (coordinates, counts, values; nothing else). */
export interface NewRelease {
  dataUseCode: string;
  period: { from: string; to: string };
  spec: StatisticsTableSpec;
  providerServiceId: string;
  entries: readonly StatisticsEntry[];
}

export interface StoredRelease {
  id: string;
  dataUseCode: string;
  period: { from: string; to: string };
  aggregate: StatisticsTableSpec['aggregate'];
  dimensions: StatisticsTableSpec['dimensions'];
  k: number;
  epsilon: number | null;
  entries: number;
  suppressed: number;
  providerServiceId: string;
  releasedAt: Date;
}

interface ReleaseRow {
  id: string; data_use_code: string; period_from: string; period_to: string; aggregate: StoredRelease['aggregate'];
  dimensions: StoredRelease['dimensions']; k: number; epsilon: number | null; entries: number; suppressed: number;
  provider_service_id: string; released_at: Date;
}

const toRelease = (r: ReleaseRow): StoredRelease => ({
  id: r.id, dataUseCode: r.data_use_code, period: { from: r.period_from, to: r.period_to }, aggregate: r.aggregate, dimensions: r.dimensions,
  k: r.k, epsilon: r.epsilon, entries: r.entries, suppressed: r.suppressed, providerServiceId: r.provider_service_id, releasedAt: new Date(r.released_at),
});

/** `statistics.release_<32 hex digits>`: the entries' table of one release (its id without dashes: nothing else reaches the DDL). */
function entriesTable(id: string): string {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error('a release id is a uuid');
  return `statistics.release_${hex}`;
}

/**
 * The accumulation store of statistics (migration StatisticsStore1764600000000): the only code that
 * reads or writes the `statistics` schema, so that a warehouse can replace it behind this class.
 */
@Injectable()
export class StatisticsStoreRepository {
  constructor(private readonly db: DataSource) {}

  /** Keeps a release and its entries in one transaction; `duplicate` when the period was already released by that provider. */
  async save(release: NewRelease): Promise<{ status: 'stored'; release: StoredRelease } | { status: 'duplicate' }> {
    return this.db.transaction(async (m) => {
      const rows: ReleaseRow[] = await m.query(
        `INSERT INTO statistics.releases (data_use_code, period_from, period_to, aggregate, dimensions, k, epsilon, entries, suppressed, provider_service_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT ON CONSTRAINT releases_one_per_period DO NOTHING RETURNING *`,
        [release.dataUseCode, release.period.from, release.period.to, release.spec.aggregate, JSON.stringify(release.spec.dimensions), release.spec.k,
          release.spec.epsilon ?? null, release.entries.length, release.entries.filter((e) => e.contributors === null).length, release.providerServiceId]);
      if (!rows.length) return { status: 'duplicate' as const };
      const table = entriesTable(rows[0].id);
      await m.query(`CREATE TABLE ${table} (ord integer PRIMARY KEY, key text[] NOT NULL, contributors integer, value double precision)`);
      await m.query(
        `INSERT INTO ${table} (ord, key, contributors, value)
         SELECT e.ord, ARRAY(SELECT jsonb_array_elements_text(e.key)), e.contributors, e.value
         FROM jsonb_to_recordset($1::jsonb) AS e(ord integer, key jsonb, contributors integer, value double precision)`,
        [JSON.stringify(release.entries.map((e, ord) => ({ ord, key: e.key, contributors: e.contributors, value: e.value ?? null })))]);
      return { status: 'stored' as const, release: toRelease(rows[0]) };
    });
  }

  async list(dataUseCode: string): Promise<StoredRelease[]> {
    const rows: ReleaseRow[] = await this.db.query(`SELECT * FROM statistics.releases WHERE data_use_code = $1 ORDER BY period_from, released_at`, [dataUseCode]);
    return rows.map(toRelease);
  }

  async find(id: string): Promise<StoredRelease | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const [row]: ReleaseRow[] = await this.db.query(`SELECT * FROM statistics.releases WHERE id = $1`, [id]);
    return row ? toRelease(row) : undefined;
  }

  /** The entries of a release in grid order. */
  async entries(id: string): Promise<StatisticsEntry[]> {
    const rows: { key: string[]; contributors: number | null; value: number | null }[] = await this.db.query(`SELECT key, contributors, value FROM ${entriesTable(id)} ORDER BY ord`);
    return rows.map((r) => ({ key: r.key, contributors: r.contributors, value: r.value }));
  }
}
