import type { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_REASONS = `'terms_changed', 'agreement_suspended', 'agreement_retired', 'data_use_retired', 'offer_withdrawn', 'identity_certificate_revoked', 'identity_certificate_expired', 'identity_reverified'`;
const NEW_REASONS = `${OLD_REASONS}, 'tenant_left'`;

/**
 * A tenant leaving the platform (issue 17 part 5; docs/erasure.md "Tenants leaving"):
 *
 * - tenants.deleted_at: set once by the deletion (the row stays: the retained receipts, ledger
 *   and audit chain name it; the deletion is refused the second time).
 * - tenant_exports: one row per signed archive a system admin exported (who, when, recipient,
 *   contract, items with counts, SHA-256 of the JWS). The archive itself is not stored.
 * - tenant_exits: one per deleted tenant (unique), with the export it relied on or the reason
 *   none was wanted, the counts of what the hub erased, the OIDC clients and the residents whose
 *   grants the processor revokes after the commit (cleared when done), and the certificate, set once.
 * - erasure_request_outbox: a row belongs to a departure or to a tenant exit (exactly one); a
 *   tenant's row names the data uses and agreements whose copies are to be erased.
 * - consents.reason gains `tenant_left`.
 */
export class TenantExit1764580000000 implements MigrationInterface {
  name = 'TenantExit1764580000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants ADD COLUMN deleted_at timestamptz, ADD CONSTRAINT tenants_deleted_inactive CHECK (deleted_at IS NULL OR NOT active)`);
    await q.query(`CREATE TABLE tenant_exports (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL CONSTRAINT tenant_exports_tenant_fk REFERENCES tenants(id),
      exported_by uuid NOT NULL CONSTRAINT tenant_exports_admin_fk REFERENCES admin_accounts(id),
      exported_at timestamptz NOT NULL DEFAULT now(),
      recipient text NOT NULL CONSTRAINT tenant_exports_recipient_length CHECK (length(recipient) BETWEEN 1 AND 200),
      contract_name text NOT NULL CONSTRAINT tenant_exports_contract_length CHECK (length(contract_name) BETWEEN 1 AND 300),
      items jsonb NOT NULL,
      digest text NOT NULL CONSTRAINT tenant_exports_digest_format CHECK (digest ~ '^[0-9a-f]{64}$')
    )`);
    await q.query(`CREATE INDEX tenant_exports_tenant_idx ON tenant_exports (tenant_id, exported_at)`);
    await q.query(`CREATE TABLE tenant_exits (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL CONSTRAINT tenant_exits_tenant_key UNIQUE CONSTRAINT tenant_exits_tenant_fk REFERENCES tenants(id),
      confirmed_by uuid NOT NULL CONSTRAINT tenant_exits_admin_fk REFERENCES admin_accounts(id),
      export_id uuid CONSTRAINT tenant_exits_export_fk REFERENCES tenant_exports(id),
      no_export_reason text,
      committed_at timestamptz NOT NULL DEFAULT now(),
      hub_erased jsonb NOT NULL,
      oidc_clients text[] NOT NULL DEFAULT '{}',
      access_residents uuid[],
      certify_after timestamptz NOT NULL,
      access_revoked_at timestamptz,
      certificate_id uuid CONSTRAINT tenant_exits_certificate_key UNIQUE,
      certificate_jws text,
      certified_at timestamptz,
      CONSTRAINT tenant_exits_export_or_reason CHECK (export_id IS NOT NULL OR no_export_reason IS NOT NULL),
      CONSTRAINT tenant_exits_certificate_whole CHECK ((certificate_id IS NULL) = (certificate_jws IS NULL) AND (certificate_id IS NULL) = (certified_at IS NULL))
    )`);
    await q.query(`ALTER TABLE erasure_request_outbox ALTER COLUMN departure_id DROP NOT NULL,
      ADD COLUMN tenant_exit_id uuid CONSTRAINT erasure_request_outbox_tenant_exit_fk REFERENCES tenant_exits(id) ON DELETE CASCADE,
      ADD COLUMN data_use_codes text[],
      ADD COLUMN agreement_ids uuid[],
      ADD CONSTRAINT erasure_request_outbox_one_origin CHECK ((departure_id IS NULL) <> (tenant_exit_id IS NULL)),
      ADD CONSTRAINT erasure_request_outbox_tenant_exit_connector_key UNIQUE (tenant_exit_id, connector_id)`);
    await q.query(`ALTER TABLE consents DROP CONSTRAINT consents_reason_check`);
    await q.query(`ALTER TABLE consents ADD CONSTRAINT consents_reason_check CHECK (reason IS NULL OR reason IN (${NEW_REASONS}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE consents DROP CONSTRAINT consents_reason_check`);
    await q.query(`UPDATE consents SET reason = NULL WHERE reason = 'tenant_left'`);
    await q.query(`ALTER TABLE consents ADD CONSTRAINT consents_reason_check CHECK (reason IS NULL OR reason IN (${OLD_REASONS}))`);
    await q.query(`DELETE FROM erasure_request_outbox WHERE tenant_exit_id IS NOT NULL`);
    await q.query(`ALTER TABLE erasure_request_outbox DROP CONSTRAINT erasure_request_outbox_one_origin, DROP CONSTRAINT erasure_request_outbox_tenant_exit_connector_key,
      DROP COLUMN tenant_exit_id, DROP COLUMN data_use_codes, DROP COLUMN agreement_ids, ALTER COLUMN departure_id SET NOT NULL`);
    await q.query(`DROP TABLE tenant_exits`);
    await q.query(`DROP TABLE tenant_exports`);
    await q.query(`ALTER TABLE tenants DROP CONSTRAINT tenants_deleted_inactive, DROP COLUMN deleted_at`);
  }
}
