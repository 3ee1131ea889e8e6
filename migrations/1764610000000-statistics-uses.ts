import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics data uses (issue #20; docs/adr/2026-12-04-statistics-disclosure.md):
 * - an offer (and each of its versions) may declare what it lets a statistics use do with it
 *   (`statistics`: numeric or not, the largest monthly figure, the coarse dimensions the provider
 *   can group by); NULL: the offer is not offered for statistics;
 * - a data use has a kind: `exchange` (row-level data peer to peer, as before) or `statistics`
 *   (only aggregate cells computed at the provider), with the statistics definition beside it. The
 *   kind is fixed when the data use is written: a CHECK keeps the definition and the kind together.
 */
export class StatisticsUses1764610000000 implements MigrationInterface {
  name = 'StatisticsUses1764610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE data_offers ADD COLUMN statistics jsonb`);
    await q.query(`ALTER TABLE data_offer_versions ADD COLUMN statistics jsonb`);
    await q.query(`ALTER TABLE data_uses
      ADD COLUMN kind text NOT NULL DEFAULT 'exchange' CONSTRAINT data_uses_kind_check CHECK (kind IN ('exchange', 'statistics')),
      ADD COLUMN statistics jsonb,
      ADD CONSTRAINT data_uses_statistics_of_kind CHECK ((kind = 'statistics') = (statistics IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE data_uses DROP CONSTRAINT data_uses_statistics_of_kind, DROP COLUMN statistics, DROP COLUMN kind`);
    await q.query(`ALTER TABLE data_offer_versions DROP COLUMN statistics`);
    await q.query(`ALTER TABLE data_offers DROP COLUMN statistics`);
  }
}
