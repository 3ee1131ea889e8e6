import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A revoked connector is enforced before the admin is told (docs/connector.md §7, "A revoked
 * connector"):
 *
 * - connector_revocation_outbox: one row per revoked connector, written by the statement that
 *   revokes it (ConnectorsRepository.revoke). Its `seq` comes from the consent outbox's sequence,
 *   so that both outboxes share one commit-ordered position: the revocation feed's cursor
 *   (`s:<seq>`) and its settle rule cover both unchanged, and a delivery's `outbox_seq` names one
 *   row of one of them. `revoked_at` is the moment grants issued to the connector until then are
 *   refused; committed_at / enforce_by / enforced_at are what the admin was told, as for consents.
 * - revocation_deliveries.kind: which outbox a delivery pushes (`consent` or `connector`). The
 *   foreign key to the consent outbox moves to a generated column set for consent deliveries only,
 *   and a second one references the connector outbox: each delivery still goes with its row.
 * - connectors.feed_extensions: the feed entries beyond consent changes that the connector asked
 *   for on its last pull (REVOCATION_FEED_EXTENSIONS_HEADER). Only a connector that asks for
 *   revoked connectors can learn one from the feed, so only for it does the staleness rule bound
 *   how long it may serve a revoked connector's grant without acknowledging the push.
 * - grant_records (consumer_connector_id, expires_at): the grants a revoked connector holds.
 */
export class ConnectorRevocationOutbox1764420000000 implements MigrationInterface {
  name = 'ConnectorRevocationOutbox1764420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE connector_revocation_outbox (
      seq bigint NOT NULL DEFAULT nextval('consent_change_outbox_seq_seq') CONSTRAINT connector_revocation_outbox_pkey PRIMARY KEY,
      connector_id uuid NOT NULL CONSTRAINT connector_revocation_outbox_connector_key UNIQUE
        CONSTRAINT connector_revocation_outbox_connector_fk REFERENCES connectors(id) ON DELETE CASCADE,
      tenant_id uuid NOT NULL CONSTRAINT connector_revocation_outbox_tenant_fk REFERENCES tenants(id),
      revoked_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      dispatched_at timestamptz,
      committed_at timestamptz,
      enforce_by timestamptz,
      enforced_at timestamptz
    )`);
    await q.query(`CREATE INDEX connector_revocation_outbox_undispatched_idx ON connector_revocation_outbox (seq) WHERE dispatched_at IS NULL`);
    await q.query(`CREATE INDEX connector_revocation_outbox_created_idx ON connector_revocation_outbox (created_at)`);
    // The dispatcher of every replica wakes on the consent outbox's channel (migration 1764400000000).
    await q.query(`CREATE TRIGGER connector_revocation_outbox_notify AFTER INSERT ON connector_revocation_outbox
      FOR EACH STATEMENT EXECUTE FUNCTION tsunagu_notify_outbox()`);

    await q.query(`ALTER TABLE revocation_deliveries ADD COLUMN kind text NOT NULL DEFAULT 'consent'
      CONSTRAINT revocation_deliveries_kind_check CHECK (kind IN ('consent', 'connector'))`);
    await q.query(`ALTER TABLE revocation_deliveries DROP CONSTRAINT revocation_deliveries_outbox_fk`);
    await q.query(`ALTER TABLE revocation_deliveries
      ADD COLUMN consent_outbox_seq bigint GENERATED ALWAYS AS (CASE WHEN kind = 'consent' THEN outbox_seq END) STORED
        CONSTRAINT revocation_deliveries_outbox_fk REFERENCES consent_change_outbox(seq) ON DELETE CASCADE,
      ADD COLUMN connector_outbox_seq bigint GENERATED ALWAYS AS (CASE WHEN kind = 'connector' THEN outbox_seq END) STORED
        CONSTRAINT revocation_deliveries_connector_outbox_fk REFERENCES connector_revocation_outbox(seq) ON DELETE CASCADE`);

    await q.query(`ALTER TABLE connectors ADD COLUMN feed_extensions text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX grant_records_consumer_idx ON grant_records (consumer_connector_id, expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX grant_records_consumer_idx`);
    await q.query(`ALTER TABLE connectors DROP COLUMN feed_extensions`);
    await q.query(`DELETE FROM revocation_deliveries WHERE kind <> 'consent'`);
    await q.query(`ALTER TABLE revocation_deliveries DROP COLUMN connector_outbox_seq, DROP COLUMN consent_outbox_seq, DROP COLUMN kind`);
    await q.query(`ALTER TABLE revocation_deliveries ADD CONSTRAINT revocation_deliveries_outbox_fk FOREIGN KEY (outbox_seq) REFERENCES consent_change_outbox(seq) ON DELETE CASCADE`);
    await q.query(`DROP TABLE connector_revocation_outbox`);
  }
}
