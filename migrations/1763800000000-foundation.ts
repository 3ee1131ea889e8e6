import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenants, services (OIDC clients), residents, ID links, signing keys and hub secrets. */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE tenants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL CONSTRAINT tenants_code_key UNIQUE,
      name_ja text NOT NULL,
      name_en text NOT NULL,
      kind text NOT NULL CONSTRAINT tenants_kind_check CHECK (kind IN ('prefecture', 'municipality')),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE services (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL CONSTRAINT services_tenant_fk REFERENCES tenants(id),
      client_id text NOT NULL CONSTRAINT services_client_id_key UNIQUE,
      name_ja text NOT NULL,
      name_en text NOT NULL,
      sector_identifier text NOT NULL,
      subject_type text NOT NULL DEFAULT 'pairwise' CONSTRAINT services_subject_type_check CHECK (subject_type IN ('pairwise', 'public')),
      first_party boolean NOT NULL DEFAULT false,
      redirect_uris text[] NOT NULL,
      post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
      token_endpoint_auth_method text NOT NULL DEFAULT 'client_secret_basic',
      client_secret_enc text,
      grant_types text[] NOT NULL DEFAULT '{authorization_code,refresh_token}',
      scopes text[] NOT NULL DEFAULT '{openid,profile,offline_access}',
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX services_tenant_idx ON services (tenant_id)`);
    await q.query(`CREATE TABLE residents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      common_id char(16) NOT NULL CONSTRAINT residents_common_id_key UNIQUE,
      login_id text NOT NULL CONSTRAINT residents_login_id_key UNIQUE,
      password_hash text NOT NULL,
      display_name text NOT NULL,
      failed_logins integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      identity_verified_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT residents_login_id_lower CHECK (login_id = lower(login_id))
    )`);
    await q.query(`CREATE TABLE service_links (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL CONSTRAINT service_links_tenant_fk REFERENCES tenants(id),
      service_id uuid NOT NULL CONSTRAINT service_links_service_fk REFERENCES services(id) ON DELETE CASCADE,
      resident_id uuid NOT NULL CONSTRAINT service_links_resident_fk REFERENCES residents(id) ON DELETE CASCADE,
      local_id text NOT NULL,
      linked_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT service_links_local_id_key UNIQUE (service_id, local_id),
      CONSTRAINT service_links_resident_key UNIQUE (service_id, resident_id)
    )`);
    await q.query(`CREATE INDEX service_links_resident_idx ON service_links (resident_id)`);
    await q.query(`CREATE TABLE signing_keys (
      kid text PRIMARY KEY,
      alg text NOT NULL,
      public_jwk jsonb NOT NULL,
      private_jwk_enc text NOT NULL,
      status text NOT NULL CONSTRAINT signing_keys_status_check CHECK (status IN ('next', 'active', 'retired')),
      created_at timestamptz NOT NULL DEFAULT now(),
      activated_at timestamptz,
      retired_at timestamptz
    )`);
    await q.query(`CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (alg) WHERE status = 'active'`);
    await q.query(`CREATE TABLE hub_secrets (
      name text PRIMARY KEY,
      value_enc text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`INSERT INTO tenants (code, name_ja, name_en, kind) VALUES
      ('tottori-pref', '鳥取県', 'Tottori Prefecture', 'prefecture'),
      ('misasa', '三朝町', 'Misasa Town', 'municipality'),
      ('tottori-city', '鳥取市', 'Tottori City', 'municipality'),
      ('kurayoshi', '倉吉市', 'Kurayoshi City', 'municipality')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE hub_secrets');
    await q.query('DROP TABLE signing_keys');
    await q.query('DROP TABLE service_links');
    await q.query('DROP TABLE residents');
    await q.query('DROP TABLE services');
    await q.query('DROP TABLE tenants');
  }
}
