import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * availability_probes: the hub's own health probe, once a minute (any replica; one row per minute,
 * `ok` when a probe in that minute found the database and Redis up). A minute without a row is a
 * minute nobody could probe: down. The monthly availability record (24/365 promise, fee reduction)
 * is computed from these rows minus announced planned stops.
 */
export class AvailabilityProbes1764530000000 implements MigrationInterface {
  name = 'AvailabilityProbes1764530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE availability_probes (
      minute timestamptz NOT NULL CONSTRAINT availability_probes_pkey PRIMARY KEY,
      ok boolean NOT NULL,
      CONSTRAINT availability_probes_minute_check CHECK (date_trunc('minute', minute) = minute)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE availability_probes');
  }
}
