import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Withdrawal enforced before the resident is told (ARCHITECTURE.md §6, docs/connector.md §7.6):
 *
 * - grant_audiences.role: the consumer connector that received a grant is now an audience too
 *   (its cached grant is dropped by the same pushed event), beside the provider that serves it.
 * - revocation_deliveries.role: what the connector was to the consent when the change was
 *   dispatched (only a provider can still serve data; a consumer only holds a grant).
 * - consent_change_outbox.committed_at / enforce_by / enforced_at: when the hub knew the change
 *   was committed, the moment the resident was told it is enforced everywhere at the latest, and
 *   when every connector had acknowledged (the moment of full enforcement); enforcement_jws, the
 *   hub's signed statement of those moments given with the answer (ENFORCEMENT_JWS_TYPE).
 * - Notifications: an inserted outbox row and an acknowledged delivery each notify
 *   (`pg_notify`, delivered at commit), so that every replica's dispatcher claims a change at
 *   once and a replica waiting for acknowledgements hears of one recorded by another.
 */
export class WithdrawalEnforcement1764400000000 implements MigrationInterface {
  name = 'WithdrawalEnforcement1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE grant_audiences ADD COLUMN role text NOT NULL DEFAULT 'provider'
      CONSTRAINT grant_audiences_role_check CHECK (role IN ('provider', 'consumer'))`);
    await q.query(`ALTER TABLE revocation_deliveries ADD COLUMN role text NOT NULL DEFAULT 'provider'
      CONSTRAINT revocation_deliveries_role_check CHECK (role IN ('provider', 'consumer'))`);
    await q.query(`ALTER TABLE consent_change_outbox ADD COLUMN committed_at timestamptz, ADD COLUMN enforce_by timestamptz, ADD COLUMN enforced_at timestamptz,
      ADD COLUMN enforcement_jws text`);
    await q.query(`CREATE FUNCTION tsunagu_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('tsunagu_consent_outbox', ''); RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER consent_change_outbox_notify AFTER INSERT ON consent_change_outbox
      FOR EACH STATEMENT EXECUTE FUNCTION tsunagu_notify_outbox()`);
    await q.query(`CREATE FUNCTION tsunagu_notify_ack() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('tsunagu_revocation_acks', NEW.outbox_seq::text); RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER revocation_deliveries_ack_notify AFTER UPDATE OF acked_at ON revocation_deliveries
      FOR EACH ROW WHEN (OLD.acked_at IS NULL AND NEW.acked_at IS NOT NULL) EXECUTE FUNCTION tsunagu_notify_ack()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER revocation_deliveries_ack_notify ON revocation_deliveries`);
    await q.query(`DROP FUNCTION tsunagu_notify_ack()`);
    await q.query(`DROP TRIGGER consent_change_outbox_notify ON consent_change_outbox`);
    await q.query(`DROP FUNCTION tsunagu_notify_outbox()`);
    await q.query(`ALTER TABLE consent_change_outbox DROP COLUMN committed_at, DROP COLUMN enforce_by, DROP COLUMN enforced_at, DROP COLUMN enforcement_jws`);
    await q.query(`ALTER TABLE revocation_deliveries DROP COLUMN role`);
    await q.query(`ALTER TABLE grant_audiences DROP COLUMN role`);
  }
}
