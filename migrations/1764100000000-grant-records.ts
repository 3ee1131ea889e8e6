import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * grant_records: one row per grant the hub issued (docs/connector.md §7.4), written in the
 * transaction of its `grant.issued` audit row. Provision reports (§8) are checked against it; the
 * audit chain is the tamper-evident log only, never read back as a store.
 *
 * The resident is the hub's resident ID (the grant itself carries only the provider's local ID);
 * `data_use` and `purpose` are the codes as the grant carries them. Deleting a resident, a
 * connector or (with the resident) a consent version deletes their grant records.
 */
export class GrantRecords1764100000000 implements MigrationInterface {
  name = 'GrantRecords1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE grant_records (
      grant_id uuid NOT NULL CONSTRAINT grant_records_pkey PRIMARY KEY,
      consent_id uuid NOT NULL,
      consent_version integer NOT NULL,
      consumer_connector_id uuid NOT NULL CONSTRAINT grant_records_consumer_fk REFERENCES connectors(id) ON DELETE CASCADE,
      provider_connector_id uuid NOT NULL CONSTRAINT grant_records_provider_fk REFERENCES connectors(id) ON DELETE CASCADE,
      resident_id uuid NOT NULL CONSTRAINT grant_records_resident_fk REFERENCES residents(id) ON DELETE CASCADE,
      items text[] NOT NULL CONSTRAINT grant_records_items_check CHECK (cardinality(items) > 0),
      data_use text NOT NULL,
      purpose text NOT NULL,
      issued_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      CONSTRAINT grant_records_consent_fk FOREIGN KEY (consent_id, consent_version) REFERENCES consents (consent_id, version) ON DELETE CASCADE,
      CONSTRAINT grant_records_lifetime_check CHECK (expires_at > issued_at)
    )`);
    // The retention cut-off (reports are accepted for grants issued since then) and erasure of a resident.
    await q.query(`CREATE INDEX grant_records_issued_idx ON grant_records (issued_at)`);
    await q.query(`CREATE INDEX grant_records_resident_idx ON grant_records (resident_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE grant_records`);
  }
}
