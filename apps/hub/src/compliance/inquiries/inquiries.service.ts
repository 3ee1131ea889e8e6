import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@tsunagu/common';
import type { InquiryForm, InquiryLookupForm, InquiryReplyForm } from '@tsunagu/contracts';
import { AuditService } from '../../audit/audit.service';
import { inTransaction } from '../../platform/database/sql';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { ThrottleService } from '../../platform/throttle/throttle.service';
import { ComplianceException } from '../compliance.exception';
import { plainFields } from '../plain-text';
import { businessMsBetween, RESPONSE_TARGET_MS } from './business-hours';
import { type InquiryRow, type InquiryScope, InquiriesRepository } from './inquiries.repository';

const RECEIPT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A receipt number people can read out on the phone: `Q-20261202-7K3M9P` (the Japan-time date, six characters). */
export function newReceiptNo(now: Date): string {
  const date = new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
  const bytes = randomBytes(6);
  return `Q-${date}-${[...bytes].map((b) => RECEIPT_ALPHABET[b % RECEIPT_ALPHABET.length]).join('')}`;
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** An inquiry with its response clock (handling hours, weekdays 9:00–17:00 Japan time). */
export interface InquiryView {
  row: InquiryRow;
  /** Handling time from receipt to the first answer, or to now while unanswered. */
  handlingMs: number;
  /** True while unanswered past the target (one business day). */
  overdue: boolean;
}

/**
 * Inquiries (問い合わせ): residents ask through the portal (signed in or not), tenant staff through
 * the back office; each gets a receipt number (and, for a resident not signed in, a key to read
 * the replies). Admins work the inbox: status, assignee, replies; the response clock counts
 * weekday handling hours. Sending is throttled per address before any work; text is plain
 * (no HTML); everything is audited.
 */
@Injectable()
export class InquiriesService {
  constructor(
    private readonly db: DataSource,
    private readonly repo: InquiriesRepository,
    private readonly audit: AuditService,
    private readonly throttle: ThrottleService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A resident's inquiry; `residentId` attaches the account when signed in. The key is shown once. */
  async submitFromResident(form: InquiryForm, residentId: string | undefined, address: string | undefined): Promise<{ receiptNo: string; key: string }> {
    await this.throttle.inquiryAttempt(address);
    const t = plainFields(form, { required: ['message'], optional: ['contact', 'name'] });
    const tenantId = form.tenant ? await this.repo.tenantByCode(form.tenant) : null;
    if (tenantId === undefined) throw new ComplianceException('compliance_field_invalid', [{ field: 'tenant', problem: 'unknown tenant' }]);
    return this.store({ ...t, category: form.category, tenantId, source: 'resident', residentId: residentId ?? null, staffAdminId: null },
      { kind: 'resident', id: residentId });
  }

  /** A tenant's staff asking the platform (the inquiry shows in the tenant's inbox and the system's). */
  async submitFromStaff(principal: AdminPrincipal, scope: InquiryScope, form: InquiryForm, address: string | undefined): Promise<{ receiptNo: string; key: string }> {
    await this.throttle.inquiryAttempt(address);
    const t = plainFields(form, { required: ['message'], optional: ['contact', 'name'] });
    return this.store({ ...t, category: form.category, tenantId: scope.tenantId, source: 'staff', residentId: null, staffAdminId: principal.adminId },
      { kind: 'admin', id: principal.adminId });
  }

  /** The desks (tenants) a resident may address. */
  desks(): ReturnType<InquiriesRepository['desks']> {
    return this.repo.desks();
  }

  async list(scope: InquiryScope): Promise<InquiryView[]> {
    const now = this.clock.now();
    return (await this.repo.list(scope)).map((row) => this.view(row, now));
  }

  /**
   * One inquiry for the inbox. An admin opening it reads a resident's message and contact: that
   * read is audited (`admin.read`) and shows in the handling ledger as 利用.
   */
  async get(scope: InquiryScope, id: string, reader?: AdminPrincipal): Promise<InquiryView> {
    const row = await this.repo.find(scope, id);
    if (!row) throw new ComplianceException('inquiry_not_found');
    if (reader) {
      await this.audit.record({
        type: 'admin.read', actor: { kind: 'admin', id: reader.adminId }, tenantId: row.tenant_id ?? undefined, subject: id, outcome: 'success',
        details: { action: 'inquiry.view', residents: 1, purpose: 'inquiry_handling' },
      });
    }
    return this.view(row, this.clock.now());
  }

  /** Replies (shown in the portal), and/or changes the status or the assignee. A closed inquiry takes nothing. */
  async answer(principal: AdminPrincipal, scope: InquiryScope, id: string, form: InquiryReplyForm): Promise<void> {
    const { reply } = plainFields(form, { required: [], optional: ['reply'] });
    if (!reply && !form.status && !form.assignee) throw new ComplianceException('compliance_field_invalid', [{ field: 'reply', problem: 'a reply, a status or an assignee' }]);
    const assigneeId = form.assignee ? (form.assignee === 'me' ? principal.adminId : await this.repo.assignable(scope, form.assignee)) : undefined;
    if (form.assignee && !assigneeId) throw new ComplianceException('compliance_field_invalid', [{ field: 'assignee', problem: 'no such admin for this inbox' }]);
    await inTransaction(this.db, async (tx) => {
      const row = await this.repo.find(scope, id, tx);
      if (!row) throw new ComplianceException('inquiry_not_found');
      if (row.status === 'closed') throw new ComplianceException('inquiry_closed');
      if (reply) await this.repo.addReply(tx, id, principal.adminId, reply, this.clock.now());
      if (form.status || assigneeId) await this.repo.update(tx, id, { status: form.status || undefined, assigneeId }, this.clock.now());
      await this.audit.record({
        type: 'admin.change', actor: { kind: 'admin', id: principal.adminId }, tenantId: row.tenant_id ?? undefined, subject: id, outcome: 'success',
        details: { action: 'inquiry.answer', replied: Boolean(reply), status: form.status ?? null, assigned: Boolean(assigneeId) },
      }, tx);
    });
  }

  /** A resident's inquiry by its receipt number and key (no sign-in). */
  async lookup(form: InquiryLookupForm, address: string | undefined): Promise<InquiryView> {
    // Guessing keys is counted like sending: the same allowance per address.
    const row = await this.repo.byReceipt(form.receipt, hashKey(form.key));
    if (!row) {
      await this.throttle.inquiryAttempt(address);
      throw new ComplianceException('inquiry_not_found');
    }
    return this.view(row, this.clock.now());
  }

  async forResident(residentId: string): Promise<InquiryView[]> {
    const now = this.clock.now();
    return (await this.repo.forResident(residentId)).map((row) => this.view(row, now));
  }

  private async store(i: Omit<Parameters<InquiriesRepository['insert']>[1], 'receiptNo' | 'keyHash' | 'at'>, actor: { kind: 'resident' | 'admin'; id?: string }): Promise<{ receiptNo: string; key: string }> {
    const key = randomBytes(16).toString('hex');
    const receiptNo = newReceiptNo(this.clock.now());
    await inTransaction(this.db, async (tx) => {
      const id = await this.repo.insert(tx, { ...i, receiptNo, keyHash: hashKey(key), at: this.clock.now() });
      await this.audit.record({
        type: 'inquiry.received', actor, tenantId: i.tenantId ?? undefined, subject: id, outcome: 'success',
        details: { receiptNo, source: i.source, category: i.category, signedIn: Boolean(i.residentId) },
      }, tx);
    });
    return { receiptNo, key };
  }

  private view(row: InquiryRow, now: Date): InquiryView {
    const end = row.first_response_at ? new Date(row.first_response_at) : now;
    const handlingMs = businessMsBetween(new Date(row.created_at), end);
    return { row, handlingMs, overdue: !row.first_response_at && handlingMs > RESPONSE_TARGET_MS };
  }
}
