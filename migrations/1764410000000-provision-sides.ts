import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * provision_records remember which side of an exchange reported it (docs/connector.md §8): the
 * provider (`provider_reported_at`) and the consumer (`consumer_reported_at`), each the hub's time
 * of the first report of that side for the row's outcome. A provision the provider reported as
 * provided, of which the consumer never confirmed receipt, is shown to the resident as such.
 *
 * Rows from before were recorded from whichever report came first, and the portal showed them as
 * complete; which side that was is not known, so both sides count as reported at `recorded_at`
 * (nothing a resident saw changes).
 */
export class ProvisionSides1764410000000 implements MigrationInterface {
  name = 'ProvisionSides1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provision_records ADD COLUMN provider_reported_at timestamptz, ADD COLUMN consumer_reported_at timestamptz`);
    await q.query(`UPDATE provision_records SET provider_reported_at = recorded_at, consumer_reported_at = recorded_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provision_records DROP COLUMN provider_reported_at, DROP COLUMN consumer_reported_at`);
  }
}
