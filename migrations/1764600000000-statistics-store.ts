import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The accumulation store of statistics (issue #20; docs/adr/2026-12-04-statistics-disclosure.md):
 * a schema of its own, `statistics`, so that a warehouse can take it over whole and so that no
 * table of it can be mistaken for personal data. `statistics.releases` lists each released table
 * (data use, period, the parameters that produced it, the ε it spent, who checked it when); each
 * release's entries go into a table of their own, `statistics.release_<id>`, created with the
 * release (one table per data use and period, as the issue asks): only coordinates, counts and
 * values — no resident, no local ID.
 */
export class StatisticsStore1764600000000 implements MigrationInterface {
  name = 'StatisticsStore1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA statistics`);
    await q.query(`CREATE TABLE statistics.releases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      data_use_code text NOT NULL CONSTRAINT releases_data_use_code_length CHECK (length(data_use_code) BETWEEN 1 AND 200),
      period_from text NOT NULL CONSTRAINT releases_period_from_format CHECK (period_from ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      period_to text NOT NULL CONSTRAINT releases_period_to_format CHECK (period_to ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      aggregate text NOT NULL CONSTRAINT releases_aggregate_check CHECK (aggregate IN ('count', 'sum', 'mean', 'histogram')),
      dimensions jsonb NOT NULL,
      k integer NOT NULL CONSTRAINT releases_k_check CHECK (k >= 10),
      epsilon double precision CONSTRAINT releases_epsilon_check CHECK (epsilon IS NULL OR (epsilon > 0 AND epsilon <= 10)),
      entries integer NOT NULL CONSTRAINT releases_entries_check CHECK (entries >= 1),
      suppressed integer NOT NULL CONSTRAINT releases_suppressed_check CHECK (suppressed >= 0 AND suppressed <= entries),
      provider_service_id uuid NOT NULL,
      released_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT releases_period_order CHECK (period_from <= period_to),
      CONSTRAINT releases_one_per_period UNIQUE (data_use_code, period_from, period_to, provider_service_id)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA statistics CASCADE`);
  }
}
