import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leaving the platform (退会), erasure down to every connector and the erasure certificate
 * (issue 17 parts 3, 4 and 6; docs/erasure.md):
 *
 * - residents: the person's own columns become nullable; a departure clears them (credentials,
 *   login ID, name, common ID) and sets `departed_at`. The row itself stays as the pseudonym the
 *   retained records (receipts, provision ledger, audit chain) point at: its random `id`.
 * - departures: one per resident who left or was recorded as deceased (a second one is refused
 *   by the unique key). The same transaction withdraws every consent, removes the links and
 *   writes the erasure outbox rows; `hub_erased` holds the counts of what it erased in the hub.
 *   `local_ids` keeps the resident's local IDs per service only until the certificate is issued
 *   (a provision reported late still reaches its service). `access_revoked_at` marks the services'
 *   OIDC grants (Redis) revoked, `sessions_ended_at` the resident's hub sessions ended (after the
 *   grace in which the certificate can be downloaded); the certificate columns are set once, when it is issued.
 *   A deceased resident's departure records the documented request (requester, document, date)
 *   and the system admin who confirmed it.
 * - erasure_request_outbox: one row per connector whose service received (or served) data about
 *   the resident under a consent, from the provision ledger. Its `seq` comes from the consent
 *   outbox's sequence like the connector revocation outbox, so that a delivery's `outbox_seq`
 *   names one row of one outbox; deliveries are revocation_deliveries of kind `erasure` (the same
 *   push, retries, signed acknowledgements and "acks overdue" on the admin screens).
 */
export class Departures1764560000000 implements MigrationInterface {
  name = 'Departures1764560000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE residents ALTER COLUMN common_id DROP NOT NULL, ALTER COLUMN login_id DROP NOT NULL,
      ALTER COLUMN password_hash DROP NOT NULL, ALTER COLUMN display_name DROP NOT NULL, ADD COLUMN departed_at timestamptz`);
    await q.query(`ALTER TABLE residents ADD CONSTRAINT residents_departed_erased CHECK (departed_at IS NOT NULL
      OR (common_id IS NOT NULL AND login_id IS NOT NULL AND password_hash IS NOT NULL AND display_name IS NOT NULL))`);

    await q.query(`CREATE TABLE departures (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      resident_id uuid NOT NULL CONSTRAINT departures_resident_key UNIQUE CONSTRAINT departures_resident_fk REFERENCES residents(id),
      reason text NOT NULL CONSTRAINT departures_reason_check CHECK (reason IN ('departure', 'deceased')),
      committed_at timestamptz NOT NULL DEFAULT now(),
      hub_erased jsonb NOT NULL,
      local_ids jsonb,
      certify_after timestamptz NOT NULL,
      access_revoked_at timestamptz,
      sessions_ended_at timestamptz,
      certificate_id uuid CONSTRAINT departures_certificate_key UNIQUE,
      certificate_jws text,
      certified_at timestamptz,
      confirmed_by uuid CONSTRAINT departures_confirmed_by_fk REFERENCES admin_accounts(id),
      requester text,
      request_document text,
      request_received_on date,
      CONSTRAINT departures_deceased_request CHECK (reason <> 'deceased'
        OR (confirmed_by IS NOT NULL AND requester IS NOT NULL AND request_document IS NOT NULL AND request_received_on IS NOT NULL)),
      CONSTRAINT departures_certificate_whole CHECK ((certificate_id IS NULL) = (certificate_jws IS NULL) AND (certificate_id IS NULL) = (certified_at IS NULL))
    )`);
    await q.query(`CREATE INDEX departures_open_idx ON departures (certify_after) WHERE certified_at IS NULL`);

    await q.query(`CREATE TABLE erasure_request_outbox (
      seq bigint NOT NULL DEFAULT nextval('consent_change_outbox_seq_seq') CONSTRAINT erasure_request_outbox_pkey PRIMARY KEY,
      departure_id uuid NOT NULL CONSTRAINT erasure_request_outbox_departure_fk REFERENCES departures(id) ON DELETE CASCADE,
      connector_id uuid NOT NULL CONSTRAINT erasure_request_outbox_connector_fk REFERENCES connectors(id) ON DELETE CASCADE,
      tenant_id uuid NOT NULL CONSTRAINT erasure_request_outbox_tenant_fk REFERENCES tenants(id),
      roles text[] NOT NULL CONSTRAINT erasure_request_outbox_roles_check CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['consumer', 'provider']),
      subject text,
      items text[] NOT NULL,
      consent_ids uuid[] NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      dispatched_at timestamptz,
      enforced_at timestamptz,
      CONSTRAINT erasure_request_outbox_connector_key UNIQUE (departure_id, connector_id)
    )`);
    await q.query(`CREATE INDEX erasure_request_outbox_undispatched_idx ON erasure_request_outbox (seq) WHERE dispatched_at IS NULL`);
    await q.query(`CREATE INDEX erasure_request_outbox_tenant_idx ON erasure_request_outbox (tenant_id, departure_id)`);
    await q.query(`CREATE TRIGGER erasure_request_outbox_notify AFTER INSERT ON erasure_request_outbox
      FOR EACH STATEMENT EXECUTE FUNCTION tsunagu_notify_outbox()`);

    await q.query(`ALTER TABLE revocation_deliveries DROP CONSTRAINT revocation_deliveries_kind_check`);
    await q.query(`ALTER TABLE revocation_deliveries ADD CONSTRAINT revocation_deliveries_kind_check CHECK (kind IN ('consent', 'connector', 'erasure'))`);
    await q.query(`ALTER TABLE revocation_deliveries
      ADD COLUMN erasure_outbox_seq bigint GENERATED ALWAYS AS (CASE WHEN kind = 'erasure' THEN outbox_seq END) STORED
        CONSTRAINT revocation_deliveries_erasure_outbox_fk REFERENCES erasure_request_outbox(seq) ON DELETE CASCADE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM revocation_deliveries WHERE kind = 'erasure'`);
    await q.query(`ALTER TABLE revocation_deliveries DROP COLUMN erasure_outbox_seq`);
    await q.query(`ALTER TABLE revocation_deliveries DROP CONSTRAINT revocation_deliveries_kind_check`);
    await q.query(`ALTER TABLE revocation_deliveries ADD CONSTRAINT revocation_deliveries_kind_check CHECK (kind IN ('consent', 'connector'))`);
    await q.query(`DROP TABLE erasure_request_outbox`);
    await q.query(`DROP TABLE departures`);
    await q.query(`ALTER TABLE residents DROP CONSTRAINT residents_departed_erased`);
    await q.query(`ALTER TABLE residents DROP COLUMN departed_at`);
  }
}
