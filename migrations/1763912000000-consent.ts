import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent: data offers, data uses, consent versions, signed receipts (a hash chain per resident),
 * the public keys that signed receipts, and the provision ledger (提供記録).
 *
 * Consent versions and receipts are append-only: a trigger refuses any UPDATE except marking a
 * version as superseded once, so history cannot be rewritten even by a bug in the hub.
 */
export class Consent1763912000000 implements MigrationInterface {
  name = 'Consent1763912000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE data_offers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL CONSTRAINT data_offers_tenant_fk REFERENCES tenants(id),
      service_id uuid NOT NULL CONSTRAINT data_offers_service_fk REFERENCES services(id),
      code text NOT NULL CONSTRAINT data_offers_code_key UNIQUE
        CONSTRAINT data_offers_code_format CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*$'),
      name_ja text NOT NULL,
      name_en text NOT NULL,
      description_ja text NOT NULL,
      description_en text NOT NULL,
      special_care boolean NOT NULL DEFAULT false,
      schema jsonb NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX data_offers_service_idx ON data_offers (service_id)`);

    await q.query(`CREATE TABLE data_uses (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL CONSTRAINT data_uses_tenant_fk REFERENCES tenants(id),
      service_id uuid NOT NULL CONSTRAINT data_uses_service_fk REFERENCES services(id),
      code text NOT NULL CONSTRAINT data_uses_code_key UNIQUE
        CONSTRAINT data_uses_code_format CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*$'),
      revision integer NOT NULL DEFAULT 1 CONSTRAINT data_uses_revision_check CHECK (revision >= 1),
      title_ja text NOT NULL,
      title_en text NOT NULL,
      purpose_code text NOT NULL CONSTRAINT data_uses_purpose_code_format CHECK (purpose_code ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      purpose_ja text NOT NULL,
      purpose_en text NOT NULL,
      items text[] NOT NULL CONSTRAINT data_uses_items_check CHECK (cardinality(items) > 0),
      retention_days integer NOT NULL CONSTRAINT data_uses_retention_check CHECK (retention_days > 0),
      consent_valid_days integer CONSTRAINT data_uses_consent_valid_check CHECK (consent_valid_days IS NULL OR consent_valid_days > 0),
      controller_name_ja text NOT NULL,
      controller_name_en text NOT NULL,
      controller_contact text NOT NULL,
      privacy_notice_url text NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX data_uses_tenant_idx ON data_uses (tenant_id)`);

    // One row per consent version. consent_id is stable across the versions of one resident's
    // decisions on one data use; superseded_at is set (once) when the next version is written.
    await q.query(`CREATE TABLE consents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      consent_id uuid NOT NULL,
      version integer NOT NULL CONSTRAINT consents_version_check CHECK (version >= 1),
      tenant_id uuid NOT NULL CONSTRAINT consents_tenant_fk REFERENCES tenants(id),
      resident_id uuid NOT NULL CONSTRAINT consents_resident_fk REFERENCES residents(id) ON DELETE CASCADE,
      data_use_id uuid NOT NULL CONSTRAINT consents_data_use_fk REFERENCES data_uses(id),
      data_use_revision integer NOT NULL,
      state text NOT NULL CONSTRAINT consents_state_check CHECK (state IN ('active', 'withdrawn', 'expired', 'paused')),
      event text NOT NULL CONSTRAINT consents_event_check CHECK (event IN ('given', 'withdrawn', 'expired', 'paused')),
      items text[] NOT NULL CONSTRAINT consents_items_check CHECK (cardinality(items) > 0),
      purpose_code text NOT NULL,
      valid_from timestamptz NOT NULL,
      valid_until timestamptz,
      collection_method text NOT NULL CONSTRAINT consents_collection_method_check CHECK (collection_method IN ('portal-form', 'portal-api', 'system')),
      language text NOT NULL CONSTRAINT consents_language_check CHECK (language IN ('ja', 'en')),
      created_at timestamptz NOT NULL,
      superseded_at timestamptz,
      CONSTRAINT consents_version_key UNIQUE (consent_id, version),
      CONSTRAINT consents_validity_check CHECK (valid_until IS NULL OR valid_until >= valid_from)
    )`);
    // The structural guarantee: one current version per (resident, data use), hence at most one
    // active one. Two concurrent first opt-ins collide here and one of them fails.
    await q.query(`CREATE UNIQUE INDEX consents_one_current ON consents (resident_id, data_use_id) WHERE superseded_at IS NULL`);
    // The set the grant path asks about ("is there an active consent covering …"): small and exact.
    await q.query(`CREATE UNIQUE INDEX consents_one_active ON consents (resident_id, data_use_id) WHERE superseded_at IS NULL AND state = 'active'`);
    await q.query(`CREATE INDEX consents_resident_idx ON consents (resident_id, created_at)`);
    await q.query(`CREATE INDEX consents_data_use_active_idx ON consents (data_use_id, data_use_revision) WHERE superseded_at IS NULL AND state = 'active'`);
    await q.query(`CREATE INDEX consents_expiry_idx ON consents (valid_until) WHERE superseded_at IS NULL AND state = 'active' AND valid_until IS NOT NULL`);
    await q.query(`CREATE FUNCTION consents_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.superseded_at IS NULL AND NEW.superseded_at IS NOT NULL
           AND (to_jsonb(NEW) - 'superseded_at') = (to_jsonb(OLD) - 'superseded_at') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'consent versions are append-only' USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'consents_append_only';
      END $$`);
    await q.query(`CREATE TRIGGER consents_append_only BEFORE UPDATE ON consents FOR EACH ROW EXECUTE FUNCTION consents_append_only()`);

    // One receipt per consent version; per resident they form a hash chain (seq 1, 2, …, each
    // naming the hash of the one before).
    await q.query(`CREATE TABLE consent_receipts (
      id uuid PRIMARY KEY,
      resident_id uuid NOT NULL CONSTRAINT consent_receipts_resident_fk REFERENCES residents(id) ON DELETE CASCADE,
      consent_version_id uuid NOT NULL CONSTRAINT consent_receipts_version_key UNIQUE
        CONSTRAINT consent_receipts_version_fk REFERENCES consents(id) ON DELETE CASCADE,
      seq integer NOT NULL CONSTRAINT consent_receipts_seq_check CHECK (seq >= 1),
      kid text NOT NULL,
      jws text NOT NULL,
      hash text NOT NULL,
      prev_hash text,
      created_at timestamptz NOT NULL,
      CONSTRAINT consent_receipts_seq_key UNIQUE (resident_id, seq),
      CONSTRAINT consent_receipts_chain_check CHECK ((seq = 1) = (prev_hash IS NULL))
    )`);
    await q.query(`CREATE FUNCTION consent_receipts_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'consent receipts are immutable' USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'consent_receipts_immutable';
      END $$`);
    await q.query(`CREATE TRIGGER consent_receipts_immutable BEFORE UPDATE ON consent_receipts FOR EACH ROW EXECUTE FUNCTION consent_receipts_immutable()`);

    // Public keys that signed receipts, kept after the key leaves the OIDC JWKS (rotation purges
    // retired keys), so that a receipt stays verifiable for as long as the resident keeps it.
    await q.query(`CREATE TABLE receipt_signing_keys (
      kid text PRIMARY KEY,
      public_jwk jsonb NOT NULL,
      first_used_at timestamptz NOT NULL DEFAULT now()
    )`);

    // The provision ledger: metadata of every exchange under a consent (written by the connector
    // issue; read by residents in the portal). Never the data itself.
    await q.query(`CREATE TABLE provision_records (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid NOT NULL CONSTRAINT provision_records_tenant_fk REFERENCES tenants(id),
      provider_tenant_id uuid NOT NULL CONSTRAINT provision_records_provider_tenant_fk REFERENCES tenants(id),
      resident_id uuid NOT NULL CONSTRAINT provision_records_resident_fk REFERENCES residents(id) ON DELETE CASCADE,
      consent_version_id uuid NOT NULL CONSTRAINT provision_records_consent_fk REFERENCES consents(id) ON DELETE CASCADE,
      data_use_id uuid NOT NULL CONSTRAINT provision_records_data_use_fk REFERENCES data_uses(id),
      provider_service_id uuid NOT NULL CONSTRAINT provision_records_provider_fk REFERENCES services(id),
      consumer_service_id uuid NOT NULL CONSTRAINT provision_records_consumer_fk REFERENCES services(id),
      items text[] NOT NULL CONSTRAINT provision_records_items_check CHECK (cardinality(items) > 0),
      purpose_code text NOT NULL,
      outcome text NOT NULL CONSTRAINT provision_records_outcome_check CHECK (outcome IN ('provided', 'refused')),
      grant_id text,
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT provision_records_grant_key UNIQUE (grant_id, provider_service_id)
    )`);
    await q.query(`CREATE INDEX provision_records_resident_idx ON provision_records (resident_id, occurred_at DESC)`);
    await q.query(`CREATE INDEX provision_records_tenant_idx ON provision_records (tenant_id, occurred_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE provision_records');
    await q.query('DROP TABLE receipt_signing_keys');
    await q.query('DROP TABLE consent_receipts');
    await q.query('DROP FUNCTION consent_receipts_immutable');
    await q.query('DROP TABLE consents');
    await q.query('DROP FUNCTION consents_append_only');
    await q.query('DROP TABLE data_uses');
    await q.query('DROP TABLE data_offers');
  }
}
