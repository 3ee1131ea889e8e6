import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inquiries (問い合わせ): from residents (the portal's form, signed in or not) and from tenant staff
 * (the back office), with a typed receipt number, status 受付 / 対応中 / 完了, an assignee and
 * replies the resident reads in the portal. A resident who was not signed in reads them with the
 * receipt number and the key shown once (kept as its SHA-256 only).
 *
 * `tenant_id` is the tenant whose inbox holds the inquiry (the one the resident chose, or the
 * staff's own); NULL: the platform's inbox (system admins). System admins see every inbox.
 */
export class Inquiries1764520000000 implements MigrationInterface {
  name = 'Inquiries1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE inquiries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      receipt_no text NOT NULL CONSTRAINT inquiries_receipt_no_key UNIQUE CONSTRAINT inquiries_receipt_no_format CHECK (receipt_no ~ '^Q-[0-9]{8}-[0-9A-Z]{6}$'),
      access_key_hash text NOT NULL,
      tenant_id uuid CONSTRAINT inquiries_tenant_fk REFERENCES tenants(id),
      source text NOT NULL CONSTRAINT inquiries_source_check CHECK (source IN ('resident', 'staff')),
      resident_id uuid CONSTRAINT inquiries_resident_fk REFERENCES residents(id) ON DELETE SET NULL,
      staff_admin_id uuid CONSTRAINT inquiries_staff_fk REFERENCES admin_accounts(id) ON DELETE SET NULL,
      category text NOT NULL,
      message text NOT NULL CONSTRAINT inquiries_message_length CHECK (length(message) BETWEEN 1 AND 2000),
      contact text NOT NULL DEFAULT '',
      name text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'received' CONSTRAINT inquiries_status_check CHECK (status IN ('received', 'in_progress', 'closed')),
      assignee_id uuid CONSTRAINT inquiries_assignee_fk REFERENCES admin_accounts(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      first_response_at timestamptz,
      closed_at timestamptz
    )`);
    await q.query(`CREATE INDEX inquiries_tenant_idx ON inquiries (tenant_id, created_at DESC)`);
    await q.query(`CREATE INDEX inquiries_resident_idx ON inquiries (resident_id, created_at DESC) WHERE resident_id IS NOT NULL`);
    await q.query(`CREATE TABLE inquiry_replies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      inquiry_id uuid NOT NULL CONSTRAINT inquiry_replies_inquiry_fk REFERENCES inquiries(id) ON DELETE CASCADE,
      admin_id uuid CONSTRAINT inquiry_replies_admin_fk REFERENCES admin_accounts(id) ON DELETE SET NULL,
      body text NOT NULL CONSTRAINT inquiry_replies_body_length CHECK (length(body) BETWEEN 1 AND 2000),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX inquiry_replies_inquiry_idx ON inquiry_replies (inquiry_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE inquiry_replies');
    await q.query('DROP TABLE inquiries');
  }
}
