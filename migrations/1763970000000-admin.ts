import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Administration (docs/adr/2026-11-22-admin-security.md, docs/manuals/tenant-admin.md):
 *
 * - tenants: the admin networks (CIDR list) each tenant's admins may work from; names unique.
 * - services: logical deletion (`deleted_at`; the row stays because consent history, receipts and
 *   the provision ledger name it), public keys for `private_key_jwt`, names unique per tenant.
 * - admin_accounts / admin_sessions: tenant and system administrators, separate from residents;
 *   password (argon2id) + TOTP; server-side sessions with an idle deadline (replica-safe).
 * - connectors: one row per installed connector. Rows are registered by the connector issue
 *   (`status` = pending) and approved, suspended or revoked by the tenant admin. Columns:
 *     id, tenant_id, service_id      the service it is installed beside (same tenant, enforced by FK)
 *     name                           unique within the tenant
 *     public_jwk                     the key the connector signs its client assertions with
 *     status                         pending | approved | suspended | revoked (revoked is final)
 *     base_url                       where peers reach it
 *     version                        the connector software version it last reported
 *     last_seen_at                   its last authenticated call to the hub
 *     last_revocation_sync_at        its last successful pull of the revocation feed
 *     unacked_revocations            revocation events delivered but not yet acknowledged
 *     oldest_unacked_revocation_at   when the oldest of those was sent (overdue after a threshold)
 *     status_changed_at/_by          the admin decision behind the current status
 * - api_permissions: which consumer service may request which data offer (default deny: no row,
 *   no grant). Kept by the consumer's tenant; history is in the audit chain.
 * - platform_settings: runtime settings the system admin edits (typed in the hub).
 * - maintenance_notices: planned stops the resident portal announces.
 */
export class Admin1763970000000 implements MigrationInterface {
  name = 'Admin1763970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants
      ADD COLUMN admin_allowed_cidrs text[] NOT NULL DEFAULT '{}',
      ADD CONSTRAINT tenants_name_ja_key UNIQUE (name_ja),
      ADD CONSTRAINT tenants_name_en_key UNIQUE (name_en),
      ADD CONSTRAINT tenants_code_format CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(code) <= 32)`);

    await q.query(`ALTER TABLE services
      ADD COLUMN jwks jsonb,
      ADD COLUMN deleted_at timestamptz,
      ADD CONSTRAINT services_id_tenant_key UNIQUE (id, tenant_id),
      ADD CONSTRAINT services_deleted_inactive CHECK (deleted_at IS NULL OR NOT active)`);
    await q.query(`CREATE UNIQUE INDEX services_tenant_name_ja_key ON services (tenant_id, name_ja) WHERE deleted_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX services_tenant_name_en_key ON services (tenant_id, name_en) WHERE deleted_at IS NULL`);

    await q.query(`CREATE TABLE admin_accounts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid CONSTRAINT admin_accounts_tenant_fk REFERENCES tenants(id),
      login_id text NOT NULL CONSTRAINT admin_accounts_login_id_key UNIQUE
        CONSTRAINT admin_accounts_login_id_format CHECK (login_id ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
      display_name text NOT NULL CONSTRAINT admin_accounts_display_name_length CHECK (length(display_name) BETWEEN 1 AND 100),
      password_hash text NOT NULL,
      totp_secret_enc text NOT NULL,
      totp_last_step bigint,
      failed_logins integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      last_login_at timestamptz,
      password_changed_at timestamptz NOT NULL DEFAULT now(),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX admin_accounts_tenant_idx ON admin_accounts (tenant_id)`);

    await q.query(`CREATE TABLE admin_sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      token_hash text NOT NULL CONSTRAINT admin_sessions_token_hash_key UNIQUE,
      admin_id uuid NOT NULL CONSTRAINT admin_sessions_admin_fk REFERENCES admin_accounts(id) ON DELETE CASCADE,
      acting_tenant_id uuid CONSTRAINT admin_sessions_acting_tenant_fk REFERENCES tenants(id) ON DELETE SET NULL,
      client_ip text,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX admin_sessions_admin_idx ON admin_sessions (admin_id)`);
    await q.query(`CREATE INDEX admin_sessions_last_seen_idx ON admin_sessions (last_seen_at)`);

    await q.query(`CREATE TABLE connectors (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL CONSTRAINT connectors_tenant_fk REFERENCES tenants(id),
      service_id uuid NOT NULL,
      name text NOT NULL CONSTRAINT connectors_name_length CHECK (length(name) BETWEEN 1 AND 100),
      public_jwk jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending' CONSTRAINT connectors_status_check CHECK (status IN ('pending', 'approved', 'suspended', 'revoked')),
      base_url text NOT NULL,
      version text,
      last_seen_at timestamptz,
      last_revocation_sync_at timestamptz,
      unacked_revocations integer NOT NULL DEFAULT 0 CONSTRAINT connectors_unacked_check CHECK (unacked_revocations >= 0),
      oldest_unacked_revocation_at timestamptz,
      status_changed_at timestamptz,
      status_changed_by uuid CONSTRAINT connectors_status_changed_by_fk REFERENCES admin_accounts(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT connectors_service_fk FOREIGN KEY (service_id, tenant_id) REFERENCES services (id, tenant_id),
      CONSTRAINT connectors_tenant_name_key UNIQUE (tenant_id, name)
    )`);
    await q.query(`CREATE INDEX connectors_service_idx ON connectors (service_id)`);

    await q.query(`CREATE TABLE api_permissions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL CONSTRAINT api_permissions_tenant_fk REFERENCES tenants(id),
      consumer_service_id uuid NOT NULL,
      offer_id uuid NOT NULL CONSTRAINT api_permissions_offer_fk REFERENCES data_offers(id),
      granted_by uuid CONSTRAINT api_permissions_granted_by_fk REFERENCES admin_accounts(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT api_permissions_consumer_fk FOREIGN KEY (consumer_service_id, tenant_id) REFERENCES services (id, tenant_id),
      CONSTRAINT api_permissions_consumer_offer_key UNIQUE (consumer_service_id, offer_id)
    )`);
    await q.query(`CREATE INDEX api_permissions_tenant_idx ON api_permissions (tenant_id)`);
    await q.query(`CREATE INDEX api_permissions_offer_idx ON api_permissions (offer_id)`);

    await q.query(`CREATE TABLE platform_settings (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_by uuid CONSTRAINT platform_settings_updated_by_fk REFERENCES admin_accounts(id) ON DELETE SET NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);

    await q.query(`CREATE TABLE maintenance_notices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      title_ja text NOT NULL,
      title_en text NOT NULL,
      body_ja text NOT NULL,
      body_en text NOT NULL,
      urgent boolean NOT NULL DEFAULT false,
      created_by uuid CONSTRAINT maintenance_notices_created_by_fk REFERENCES admin_accounts(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      cancelled_at timestamptz,
      CONSTRAINT maintenance_notices_window_check CHECK (ends_at > starts_at)
    )`);
    await q.query(`CREATE INDEX maintenance_notices_ends_idx ON maintenance_notices (ends_at) WHERE cancelled_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE maintenance_notices');
    await q.query('DROP TABLE platform_settings');
    await q.query('DROP TABLE api_permissions');
    await q.query('DROP TABLE connectors');
    await q.query('DROP TABLE admin_sessions');
    await q.query('DROP TABLE admin_accounts');
    await q.query('DROP INDEX services_tenant_name_en_key');
    await q.query('DROP INDEX services_tenant_name_ja_key');
    await q.query(`ALTER TABLE services DROP CONSTRAINT services_deleted_inactive, DROP CONSTRAINT services_id_tenant_key,
      DROP COLUMN deleted_at, DROP COLUMN jwks`);
    await q.query(`ALTER TABLE tenants DROP CONSTRAINT tenants_code_format, DROP CONSTRAINT tenants_name_en_key,
      DROP CONSTRAINT tenants_name_ja_key, DROP COLUMN admin_allowed_cidrs`);
  }
}
