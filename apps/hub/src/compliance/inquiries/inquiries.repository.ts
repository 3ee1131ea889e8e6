import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid, type Queryable } from '@tsunagu/common';
import type { InquiryCategory, InquiryStatus } from '@tsunagu/contracts';

/** Whose inbox: a tenant's (its own inquiries only) or the platform's (`null`: every inbox). */
export interface InquiryScope {
  tenantId: string | null;
}

export interface InquiryReplyRow {
  body: string;
  created_at: string;
  admin_login: string | null;
}

export interface InquiryRow {
  id: string;
  receipt_no: string;
  tenant_id: string | null;
  tenant_name_ja: string | null;
  source: 'resident' | 'staff';
  resident_id: string | null;
  staff_login: string | null;
  category: InquiryCategory;
  message: string;
  contact: string;
  name: string;
  status: InquiryStatus;
  assignee_login: string | null;
  created_at: Date;
  first_response_at: Date | null;
  closed_at: Date | null;
  replies: InquiryReplyRow[];
}

const SELECT = `SELECT q.id, q.receipt_no, q.tenant_id, t.name_ja AS tenant_name_ja, q.source, q.resident_id, s.login_id AS staff_login, q.category, q.message,
    q.contact, q.name, q.status, a.login_id AS assignee_login, q.created_at, q.first_response_at, q.closed_at,
    COALESCE((SELECT jsonb_agg(jsonb_build_object('body', r.body, 'created_at', r.created_at, 'admin_login', ra.login_id) ORDER BY r.created_at)
      FROM inquiry_replies r LEFT JOIN admin_accounts ra ON ra.id = r.admin_id WHERE r.inquiry_id = q.id), '[]'::jsonb) AS replies
  FROM inquiries q LEFT JOIN tenants t ON t.id = q.tenant_id LEFT JOIN admin_accounts s ON s.id = q.staff_admin_id LEFT JOIN admin_accounts a ON a.id = q.assignee_id`;

/** SQL of inquiries and their replies, scoped by inbox, by resident, or by receipt number and key. */
@Injectable()
export class InquiriesRepository {
  constructor(private readonly db: DataSource) {}

  async insert(q: Queryable, i: { receiptNo: string; keyHash: string; tenantId: string | null; source: 'resident' | 'staff'; residentId: string | null; staffAdminId: string | null;
    category: InquiryCategory; message: string; contact: string; name: string; at: Date }): Promise<string> {
    const rows = await q.query(`INSERT INTO inquiries (receipt_no, access_key_hash, tenant_id, source, resident_id, staff_admin_id, category, message, contact, name, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [i.receiptNo, i.keyHash, i.tenantId, i.source, i.residentId, i.staffAdminId, i.category, i.message, i.contact, i.name, i.at]);
    return rows[0].id;
  }

  /** An active tenant's ID by its code (the resident's choice of desk). */
  async tenantByCode(code: string): Promise<string | undefined> {
    return (await this.db.query(`SELECT id FROM tenants WHERE code = $1 AND active`, [code]))[0]?.id;
  }

  /** The desks a resident can choose: the active tenants (public names only). */
  desks(): Promise<{ code: string; name_ja: string; name_en: string }[]> {
    return this.db.query(`SELECT code, name_ja, name_en FROM tenants WHERE active ORDER BY code`);
  }

  /** The inbox, open ones first, then newest. */
  list(scope: InquiryScope, limit = 200): Promise<InquiryRow[]> {
    return this.db.query(`${SELECT} WHERE ($1::uuid IS NULL OR q.tenant_id = $1) ORDER BY (q.status = 'closed'), q.created_at DESC LIMIT $2`, [scope.tenantId, limit]);
  }

  async find(scope: InquiryScope, id: string, q: Queryable = this.db): Promise<InquiryRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await q.query(`${SELECT} WHERE ($1::uuid IS NULL OR q.tenant_id = $1) AND q.id = $2`, [scope.tenantId, id]))[0];
  }

  /** The resident's own inquiries (the caller is the resident). */
  forResident(residentId: string): Promise<InquiryRow[]> {
    return this.db.query(`${SELECT} WHERE q.resident_id = $1 ORDER BY q.created_at DESC LIMIT 50`, [residentId]);
  }

  /** One inquiry by its receipt number and the key's hash (both must match). */
  async byReceipt(receiptNo: string, keyHash: string): Promise<InquiryRow | undefined> {
    return (await this.db.query(`${SELECT} WHERE q.receipt_no = $1 AND q.access_key_hash = $2`, [receiptNo, keyHash]))[0];
  }

  /** An admin's ID by login, if the admin may work on the scope's inbox (a tenant's admin, or a system admin). */
  async assignable(scope: InquiryScope, loginId: string): Promise<string | undefined> {
    return (await this.db.query(`SELECT id FROM admin_accounts WHERE login_id = $1 AND active AND (tenant_id IS NULL OR tenant_id = $2)`, [loginId, scope.tenantId]))[0]?.id;
  }

  /** A reply (the first one stops the response clock and moves 受付 to 対応中). */
  async addReply(q: Queryable, inquiryId: string, adminId: string, body: string, at: Date): Promise<void> {
    await q.query(`INSERT INTO inquiry_replies (inquiry_id, admin_id, body, created_at) VALUES ($1, $2, $3, $4)`, [inquiryId, adminId, body, at]);
    await q.query(`UPDATE inquiries SET first_response_at = COALESCE(first_response_at, $2), status = CASE WHEN status = 'received' THEN 'in_progress' ELSE status END WHERE id = $1`, [inquiryId, at]);
  }

  async update(q: Queryable, inquiryId: string, change: { status?: InquiryStatus; assigneeId?: string }, at: Date): Promise<void> {
    await q.query(`UPDATE inquiries SET status = COALESCE($2, status), assignee_id = COALESCE($3, assignee_id),
      closed_at = CASE WHEN $2 = 'closed' THEN $4 ELSE closed_at END,
      first_response_at = CASE WHEN $2 IS NOT NULL AND $2 <> 'received' THEN COALESCE(first_response_at, $4) ELSE first_response_at END WHERE id = $1`,
    [inquiryId, change.status ?? null, change.assigneeId ?? null, at]);
  }
}
