import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hub's connector API (docs/connector.md §7, docs/adr/2026-11-22-revocation-set.md):
 *
 * - connectors.encryption_jwk: the connector's public encryption key (ECDH-ES, P-256); grants for
 *   it are encrypted to it. Nullable only for rows registered before this migration (such a
 *   connector gets no grants until it registers its keys again with a rotation).
 * - consent_change_outbox: one row per consent version that can stop a grant (withdrawn, expired,
 *   paused, or a later active version), written by the same statement that writes the version
 *   (ConsentRepository.writeDecision). `seq` is the position of the revocation feed; the
 *   dispatcher marks `dispatched_at` once it queued one delivery per connector concerned.
 * - revocation_deliveries: one pushed event per (outbox row, connector): the SET's `jti`, tries,
 *   and the connector's signed acknowledgement. connectors.unacked_revocations and
 *   oldest_unacked_revocation_at are kept from it.
 */
export class Connect1763980000000 implements MigrationInterface {
  name = 'Connect1763980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connectors ADD COLUMN encryption_jwk jsonb`);

    await q.query(`CREATE TABLE consent_change_outbox (
      seq bigserial PRIMARY KEY,
      consent_version_id uuid NOT NULL CONSTRAINT consent_change_outbox_version_key UNIQUE
        CONSTRAINT consent_change_outbox_version_fk REFERENCES consents(id) ON DELETE CASCADE,
      consent_id uuid NOT NULL,
      version integer NOT NULL,
      state text NOT NULL CONSTRAINT consent_change_outbox_state_check CHECK (state IN ('active', 'withdrawn', 'expired', 'paused')),
      data_use_id uuid NOT NULL CONSTRAINT consent_change_outbox_data_use_fk REFERENCES data_uses(id),
      items text[] NOT NULL,
      changed_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      dispatched_at timestamptz
    )`);
    await q.query(`CREATE INDEX consent_change_outbox_undispatched_idx ON consent_change_outbox (seq) WHERE dispatched_at IS NULL`);
    await q.query(`CREATE INDEX consent_change_outbox_created_idx ON consent_change_outbox (created_at)`);

    await q.query(`CREATE TABLE revocation_deliveries (
      outbox_seq bigint NOT NULL CONSTRAINT revocation_deliveries_outbox_fk REFERENCES consent_change_outbox(seq) ON DELETE CASCADE,
      connector_id uuid NOT NULL CONSTRAINT revocation_deliveries_connector_fk REFERENCES connectors(id) ON DELETE CASCADE,
      event_jti uuid NOT NULL CONSTRAINT revocation_deliveries_jti_key UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      attempts integer NOT NULL DEFAULT 0,
      last_attempt_at timestamptz,
      last_error text,
      acked_at timestamptz,
      ack_jws text,
      failed_at timestamptz,
      PRIMARY KEY (outbox_seq, connector_id)
    )`);
    await q.query(`CREATE INDEX revocation_deliveries_unacked_idx ON revocation_deliveries (connector_id, created_at) WHERE acked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE revocation_deliveries');
    await q.query('DROP TABLE consent_change_outbox');
    await q.query('ALTER TABLE connectors DROP COLUMN encryption_jwk');
  }
}
