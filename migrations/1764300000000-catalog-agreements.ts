import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tenant-owned catalog and provider-approved agreements (docs/adr/2026-12-02-catalog-and-agreements.md).
 *
 * - data_offers gain a lifecycle (draft → active → withdrawn), a current version, a maximum
 *   window and the connector that serves them; `active` becomes a generated column so every
 *   reader keeps its meaning ("published now").
 * - data_offer_versions: every version of an offer (texts, schema, special care, window); a
 *   schema change makes a new version, at most one draft per offer, old versions stay readable.
 * - data_uses gain a status (active, retired), the purpose category (a closed list aligned with
 *   W3C DPV), the controller type (private / public, from which the lawful basis follows) and
 *   consent_revision: the newest revision whose change needs the residents' consent again
 *   (narrowing items makes a revision that does not).
 * - data_use_revisions: the terms of every revision (what residents see as a diff).
 * - data_agreements: one per (data use, providing tenant): the provider's approval of the items
 *   it provides; data_agreement_events: its history. api_permissions rows become agreements.
 * - consents gain `reason` (why the system paused or ended one) and the state `ended` (the data
 *   use or its agreement was retired: neither the resident's withdrawal nor an expiry).
 */
export class CatalogAgreements1764300000000 implements MigrationInterface {
  name = 'CatalogAgreements1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE data_offers
      ADD COLUMN status text NOT NULL DEFAULT 'draft' CONSTRAINT data_offers_status_check CHECK (status IN ('draft', 'active', 'withdrawn')),
      ADD COLUMN version integer NOT NULL DEFAULT 1 CONSTRAINT data_offers_version_check CHECK (version >= 1),
      ADD COLUMN max_window_days integer CONSTRAINT data_offers_window_check CHECK (max_window_days IS NULL OR max_window_days BETWEEN 1 AND 3660),
      ADD COLUMN connector_id uuid CONSTRAINT data_offers_connector_fk REFERENCES connectors(id) ON DELETE SET NULL`);
    await q.query(`UPDATE data_offers SET status = CASE WHEN active THEN 'active' ELSE 'withdrawn' END`);
    await q.query(`ALTER TABLE data_offers DROP COLUMN active`);
    await q.query(`ALTER TABLE data_offers ADD COLUMN active boolean GENERATED ALWAYS AS (status = 'active') STORED`);
    await q.query(`CREATE INDEX data_offers_tenant_idx ON data_offers (tenant_id)`);

    await q.query(`CREATE TABLE data_offer_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      offer_id uuid NOT NULL CONSTRAINT data_offer_versions_offer_fk REFERENCES data_offers(id),
      version integer NOT NULL CONSTRAINT data_offer_versions_version_check CHECK (version >= 1),
      state text NOT NULL CONSTRAINT data_offer_versions_state_check CHECK (state IN ('draft', 'active', 'superseded', 'discarded')),
      name_ja text NOT NULL,
      name_en text NOT NULL,
      description_ja text NOT NULL,
      description_en text NOT NULL,
      special_care boolean NOT NULL,
      schema jsonb NOT NULL,
      max_window_days integer CONSTRAINT data_offer_versions_window_check CHECK (max_window_days IS NULL OR max_window_days BETWEEN 1 AND 3660),
      source text NOT NULL CONSTRAINT data_offer_versions_source_check CHECK (source IN ('connector', 'admin', 'seed', 'migration')),
      created_by uuid CONSTRAINT data_offer_versions_created_by_fk REFERENCES admin_accounts(id) ON DELETE SET NULL,
      connector_id uuid CONSTRAINT data_offer_versions_connector_fk REFERENCES connectors(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      activated_at timestamptz,
      activated_by uuid CONSTRAINT data_offer_versions_activated_by_fk REFERENCES admin_accounts(id) ON DELETE SET NULL,
      CONSTRAINT data_offer_versions_key UNIQUE (offer_id, version)
    )`);
    // One draft at a time: a connector publishing again edits its pending draft rather than piling drafts up.
    await q.query(`CREATE UNIQUE INDEX data_offer_versions_one_draft ON data_offer_versions (offer_id) WHERE state = 'draft'`);
    await q.query(`INSERT INTO data_offer_versions (offer_id, version, state, name_ja, name_en, description_ja, description_en, special_care, schema, source, created_at, activated_at)
      SELECT id, 1, 'active', name_ja, name_en, description_ja, description_en, special_care, schema, 'migration', created_at, created_at FROM data_offers`);

    await q.query(`ALTER TABLE data_uses
      ADD COLUMN status text NOT NULL DEFAULT 'active' CONSTRAINT data_uses_status_check CHECK (status IN ('active', 'retired')),
      ADD COLUMN purpose_category text NOT NULL DEFAULT 'ServiceProvision',
      ADD COLUMN controller_type text NOT NULL DEFAULT 'private' CONSTRAINT data_uses_controller_type_check CHECK (controller_type IN ('private', 'public')),
      ADD COLUMN consent_revision integer NOT NULL DEFAULT 1,
      ADD COLUMN retired_at timestamptz`);
    await q.query(`UPDATE data_uses SET status = CASE WHEN active THEN 'active' ELSE 'retired' END, consent_revision = revision,
      retired_at = CASE WHEN active THEN NULL ELSE updated_at END`);
    await q.query(`ALTER TABLE data_uses DROP COLUMN active`);
    await q.query(`ALTER TABLE data_uses ADD COLUMN active boolean GENERATED ALWAYS AS (status = 'active') STORED`);
    await q.query(`ALTER TABLE data_uses ADD CONSTRAINT data_uses_consent_revision_check CHECK (consent_revision BETWEEN 1 AND revision)`);

    await q.query(`CREATE TABLE data_use_revisions (
      data_use_id uuid NOT NULL CONSTRAINT data_use_revisions_use_fk REFERENCES data_uses(id),
      revision integer NOT NULL,
      terms jsonb NOT NULL,
      needs_consent boolean NOT NULL,
      changed_by uuid CONSTRAINT data_use_revisions_changed_by_fk REFERENCES admin_accounts(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (data_use_id, revision)
    )`);
    await q.query(`INSERT INTO data_use_revisions (data_use_id, revision, terms, needs_consent, created_at)
      SELECT id, revision, jsonb_build_object(
        'titleJa', title_ja, 'titleEn', title_en, 'purposeCode', purpose_code, 'purposeCategory', purpose_category,
        'purposeJa', purpose_ja, 'purposeEn', purpose_en, 'items', to_jsonb(items), 'retentionDays', retention_days,
        'consentValidDays', consent_valid_days, 'controllerNameJa', controller_name_ja, 'controllerNameEn', controller_name_en,
        'controllerContact', controller_contact, 'controllerType', controller_type, 'privacyNoticeUrl', privacy_notice_url),
        true, updated_at FROM data_uses`);

    await q.query(`CREATE TABLE data_agreements (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      data_use_id uuid NOT NULL CONSTRAINT data_agreements_use_fk REFERENCES data_uses(id),
      consumer_tenant_id uuid NOT NULL CONSTRAINT data_agreements_consumer_tenant_fk REFERENCES tenants(id),
      provider_tenant_id uuid NOT NULL CONSTRAINT data_agreements_provider_tenant_fk REFERENCES tenants(id),
      state text NOT NULL CONSTRAINT data_agreements_state_check CHECK (state IN ('pending', 'approved', 'rejected', 'suspended', 'retired')),
      items text[] NOT NULL DEFAULT '{}',
      requested_items text[] NOT NULL CONSTRAINT data_agreements_requested_check CHECK (cardinality(requested_items) > 0),
      requested_revision integer NOT NULL,
      reason text,
      decided_by uuid CONSTRAINT data_agreements_decided_by_fk REFERENCES admin_accounts(id) ON DELETE SET NULL,
      decided_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT data_agreements_use_provider_key UNIQUE (data_use_id, provider_tenant_id)
    )`);
    await q.query(`CREATE INDEX data_agreements_provider_idx ON data_agreements (provider_tenant_id, state)`);
    await q.query(`CREATE INDEX data_agreements_consumer_idx ON data_agreements (consumer_tenant_id)`);
    await q.query(`CREATE TABLE data_agreement_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      agreement_id uuid NOT NULL CONSTRAINT data_agreement_events_agreement_fk REFERENCES data_agreements(id),
      action text NOT NULL CONSTRAINT data_agreement_events_action_check CHECK (action IN ('requested', 'approved', 'rejected', 'suspended', 'resumed', 'retired', 'migrated')),
      items text[] NOT NULL,
      revision integer NOT NULL,
      reason text,
      actor_admin_id uuid CONSTRAINT data_agreement_events_actor_fk REFERENCES admin_accounts(id) ON DELETE SET NULL,
      actor_tenant_id uuid CONSTRAINT data_agreement_events_tenant_fk REFERENCES tenants(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX data_agreement_events_agreement_idx ON data_agreement_events (agreement_id, created_at)`);

    // Each API permission the consumer's tenant gave becomes the provider's approval of the items
    // it covered, per data use of that consumer service: what worked before keeps working.
    await q.query(`INSERT INTO data_agreements (data_use_id, consumer_tenant_id, provider_tenant_id, state, items, requested_items, requested_revision, reason, decided_at)
      SELECT u.id, u.tenant_id, o.tenant_id,
        CASE WHEN bool_and(p.id IS NOT NULL) THEN 'approved' ELSE 'pending' END,
        COALESCE(array_agg(o.code ORDER BY o.code) FILTER (WHERE p.id IS NOT NULL), '{}'),
        array_agg(o.code ORDER BY o.code), u.revision, 'migrated from API permissions',
        CASE WHEN bool_and(p.id IS NOT NULL) THEN now() END
      FROM data_uses u CROSS JOIN LATERAL unnest(u.items) AS item(code)
      JOIN data_offers o ON o.code = item.code
      LEFT JOIN api_permissions p ON p.consumer_service_id = u.service_id AND p.offer_id = o.id
      GROUP BY u.id, u.tenant_id, o.tenant_id, u.revision`);
    await q.query(`INSERT INTO data_agreement_events (agreement_id, action, items, revision, reason, created_at)
      SELECT id, 'migrated', items, requested_revision, reason, now() FROM data_agreements`);
    await q.query(`DROP TABLE api_permissions`);

    for (const table of ['consents', 'consent_change_outbox']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_state_check`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_state_check CHECK (state IN ('active', 'withdrawn', 'expired', 'paused', 'ended'))`);
    }
    await q.query(`ALTER TABLE consents DROP CONSTRAINT consents_event_check`);
    await q.query(`ALTER TABLE consents ADD CONSTRAINT consents_event_check CHECK (event IN ('given', 'withdrawn', 'expired', 'paused', 'ended'))`);
    await q.query(`ALTER TABLE consents ADD COLUMN reason text CONSTRAINT consents_reason_check
      CHECK (reason IS NULL OR reason IN ('terms_changed', 'agreement_suspended', 'agreement_retired', 'data_use_retired', 'offer_withdrawn'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE consents DROP COLUMN reason`);
    await q.query(`ALTER TABLE consents DROP CONSTRAINT consents_event_check`);
    await q.query(`ALTER TABLE consents ADD CONSTRAINT consents_event_check CHECK (event IN ('given', 'withdrawn', 'expired', 'paused'))`);
    for (const table of ['consents', 'consent_change_outbox']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_state_check`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_state_check CHECK (state IN ('active', 'withdrawn', 'expired', 'paused'))`);
    }
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
    await q.query(`INSERT INTO api_permissions (tenant_id, consumer_service_id, offer_id)
      SELECT DISTINCT u.tenant_id, u.service_id, o.id FROM data_agreements a JOIN data_uses u ON u.id = a.data_use_id
      CROSS JOIN LATERAL unnest(a.items) AS item(code) JOIN data_offers o ON o.code = item.code
      WHERE a.state = 'approved' ON CONFLICT DO NOTHING`);
    await q.query(`DROP TABLE data_agreement_events`);
    await q.query(`DROP TABLE data_agreements`);
    await q.query(`DROP TABLE data_use_revisions`);
    await q.query(`ALTER TABLE data_uses DROP CONSTRAINT data_uses_consent_revision_check`);
    await q.query(`ALTER TABLE data_uses DROP COLUMN active`);
    await q.query(`ALTER TABLE data_uses ADD COLUMN active boolean NOT NULL DEFAULT true`);
    await q.query(`UPDATE data_uses SET active = (status = 'active')`);
    await q.query(`ALTER TABLE data_uses DROP COLUMN status, DROP COLUMN purpose_category, DROP COLUMN controller_type, DROP COLUMN consent_revision, DROP COLUMN retired_at`);
    await q.query(`DROP TABLE data_offer_versions`);
    await q.query(`DROP INDEX data_offers_tenant_idx`);
    await q.query(`ALTER TABLE data_offers DROP COLUMN active`);
    await q.query(`ALTER TABLE data_offers ADD COLUMN active boolean NOT NULL DEFAULT true`);
    await q.query(`UPDATE data_offers SET active = (status = 'active')`);
    await q.query(`ALTER TABLE data_offers DROP COLUMN status, DROP COLUMN version, DROP COLUMN max_window_days, DROP COLUMN connector_id`);
  }
}
