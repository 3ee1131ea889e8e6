import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain (docs/audit.md): append-only events, each holding the SHA-256 of its content and
 * of the previous row, and signed checkpoints over the chain. Triggers refuse UPDATE, DELETE and
 * TRUNCATE so that a bug cannot rewrite history; only the retention job deletes, after it has
 * exported the rows and signed a checkpoint at the cut (it sets `tsunagu.audit_prune` locally).
 * The triggers stop mistakes, not a database superuser: tampering is caught by `npm run audit:verify`.
 */
export class AuditChain1763960000000 implements MigrationInterface {
  name = 'AuditChain1763960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE audit_events (
      seq bigint NOT NULL CONSTRAINT audit_events_pkey PRIMARY KEY CONSTRAINT audit_events_seq_check CHECK (seq > 0),
      occurred_at timestamptz NOT NULL,
      type text NOT NULL,
      actor_kind text NOT NULL CONSTRAINT audit_events_actor_kind_check CHECK (actor_kind IN ('resident', 'admin', 'service', 'connector', 'system')),
      actor_id text,
      tenant_id text,
      subject text,
      outcome text NOT NULL CONSTRAINT audit_events_outcome_check CHECK (outcome IN ('success', 'failure')),
      reason text,
      details jsonb NOT NULL DEFAULT '{}',
      correlation_id text,
      prev_hash text NOT NULL,
      hash text NOT NULL
    )`);
    await q.query(`CREATE INDEX audit_events_occurred_at_idx ON audit_events (occurred_at)`);
    await q.query(`CREATE INDEX audit_events_tenant_idx ON audit_events (tenant_id, seq) WHERE tenant_id IS NOT NULL`);
    await q.query(`CREATE INDEX audit_events_type_idx ON audit_events (type, seq)`);
    await q.query(`CREATE TABLE audit_checkpoints (
      id bigserial CONSTRAINT audit_checkpoints_pkey PRIMARY KEY,
      seq bigint NOT NULL,
      hash text NOT NULL,
      kind text NOT NULL CONSTRAINT audit_checkpoints_kind_check CHECK (kind IN ('periodic', 'cut')),
      kid text NOT NULL,
      jws text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX audit_checkpoints_seq_idx ON audit_checkpoints (seq)`);
    await q.query(`CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_events' AND current_setting('tsunagu.audit_prune', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit tables are append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END
    $$`);
    for (const table of ['audit_events', 'audit_checkpoints']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_checkpoints`);
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_append_only()`);
  }
}
