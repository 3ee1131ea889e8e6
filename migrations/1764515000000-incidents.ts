import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incidents (事故報告, 特記事項): what a tenant admin or a system admin records of a leak or its risk,
 * in the fields of the PPC leak-report form, with the deadlines of its three reports computed from
 * `discovered_at` (一先報告 at once, 速報 after `quick_days`, 確報 after `final_days`: the
 * contract's, 3 and 21 by default).
 *
 * - incidents: `tenant_id` NULL for a platform-wide incident (system admins only).
 * - incident_reports: one row per report marked sent (who, when, to whom); never changed.
 * - incident_residents: the residents told in the portal (本人への通知), listed from the ledger.
 */
export class Incidents1764515000000 implements MigrationInterface {
  name = 'Incidents1764515000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE incidents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id uuid CONSTRAINT incidents_tenant_fk REFERENCES tenants(id),
      title text NOT NULL,
      discovered_at timestamptz NOT NULL,
      occurred_at timestamptz,
      summary text NOT NULL,
      items text NOT NULL,
      affected_count integer NOT NULL CONSTRAINT incidents_affected_count_check CHECK (affected_count >= 0),
      cause text NOT NULL DEFAULT '',
      secondary_harm text NOT NULL DEFAULT '',
      resident_response text NOT NULL DEFAULT '',
      publication text NOT NULL DEFAULT '',
      prevention text NOT NULL DEFAULT '',
      other_notes text NOT NULL DEFAULT '',
      reporter text NOT NULL,
      quick_days integer NOT NULL DEFAULT 3 CONSTRAINT incidents_quick_days_check CHECK (quick_days BETWEEN 1 AND 60),
      final_days integer NOT NULL DEFAULT 21 CONSTRAINT incidents_final_days_check CHECK (final_days BETWEEN 1 AND 365),
      data_use_code text,
      affected_from timestamptz,
      affected_to timestamptz,
      residents_notified_at timestamptz,
      created_by uuid CONSTRAINT incidents_created_by_fk REFERENCES admin_accounts(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT incidents_occurred_check CHECK (occurred_at IS NULL OR occurred_at <= discovered_at),
      CONSTRAINT incidents_days_check CHECK (final_days >= quick_days)
    )`);
    await q.query(`CREATE INDEX incidents_tenant_idx ON incidents (tenant_id, discovered_at DESC)`);
    await q.query(`CREATE TABLE incident_reports (
      incident_id uuid NOT NULL CONSTRAINT incident_reports_incident_fk REFERENCES incidents(id) ON DELETE CASCADE,
      stage text NOT NULL CONSTRAINT incident_reports_stage_check CHECK (stage IN ('initial', 'quick', 'final')),
      sent_at timestamptz NOT NULL,
      sent_to text NOT NULL,
      sent_by uuid CONSTRAINT incident_reports_sent_by_fk REFERENCES admin_accounts(id) ON DELETE SET NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT incident_reports_pkey PRIMARY KEY (incident_id, stage)
    )`);
    await q.query(`CREATE TABLE incident_residents (
      incident_id uuid NOT NULL CONSTRAINT incident_residents_incident_fk REFERENCES incidents(id) ON DELETE CASCADE,
      resident_id uuid NOT NULL CONSTRAINT incident_residents_resident_fk REFERENCES residents(id) ON DELETE CASCADE,
      notified_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT incident_residents_pkey PRIMARY KEY (incident_id, resident_id)
    )`);
    await q.query(`CREATE INDEX incident_residents_resident_idx ON incident_residents (resident_id, notified_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE incident_residents');
    await q.query('DROP TABLE incident_reports');
    await q.query('DROP TABLE incidents');
  }
}
