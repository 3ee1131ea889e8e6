import { Injectable } from '@nestjs/common';
import { DomainException } from '@tsunagu/common';
import { type AuditSearchQuery, ErrorReason } from '@tsunagu/contracts';
import { AuditService } from '../../../audit/audit.service';
import { AdminException } from '../../../platform/access/admin.exception';
import type { AdminPrincipal } from '../../../platform/access/admin-principal';
import { type TenantRow, TenantsRepository } from '../../../tenancy/tenants/tenants.repository';
import { type AuditFilter, type AuditRow, AuditSearchRepository } from './audit-search.repository';

export const PAGE_SIZE = 50;
const EXPORT_PAGE = 1000;

/** A Japan-time calendar day as the instant it starts (Japan has no DST: UTC+9 all year). */
function jstDay(value: string, plusDays = 0): Date {
  const [y, m, d] = value.split('-').map(Number);
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    throw new DomainException('invalid_request', ErrorReason.BadRequest, { ja: '日付が正しくありません。', en: 'The date is not valid.' }, [{ field: 'from/to', problem: `${value} is not a date` }]);
  }
  return new Date(Date.UTC(y, m - 1, d + plusDays, -9));
}

function blank(value: string | undefined): string | undefined {
  return value?.trim() ? value.trim() : undefined;
}

/** Audit search and export for the system admin; exports are themselves audit-logged. */
@Injectable()
export class AuditSearchService {
  constructor(private readonly repo: AuditSearchRepository, private readonly tenants: TenantsRepository, private readonly audit: AuditService) {}

  async filter(q: AuditSearchQuery): Promise<AuditFilter> {
    let tenantId: string | undefined;
    const code = blank(q.tenant);
    if (code) {
      const tenant = await this.tenants.findByCode(code);
      if (!tenant) throw new AdminException('tenant_not_found');
      tenantId = tenant.id;
    }
    return {
      from: blank(q.from) ? jstDay(q.from!) : undefined,
      to: blank(q.to) ? jstDay(q.to!, 1) : undefined,
      type: blank(q.type), tenantId, actorKind: blank(q.actorKind), actorId: blank(q.actorId), subject: blank(q.subject), outcome: blank(q.outcome),
    };
  }

  async search(q: AuditSearchQuery): Promise<{ rows: AuditRow[]; next?: number; tenants: TenantRow[] }> {
    const [filter, tenants] = await Promise.all([this.filter(q), this.tenants.list()]);
    const before = blank(q.before) ? Number(q.before) : undefined;
    const rows = await this.repo.search(filter, PAGE_SIZE + 1, before);
    const more = rows.length > PAGE_SIZE;
    const page = rows.slice(0, PAGE_SIZE);
    return { rows: page, next: more ? Number(page[page.length - 1].seq) : undefined, tenants };
  }

  /** Records who exported what, then walks the selection in seq order, page by page. */
  async *export(principal: AdminPrincipal, q: AuditSearchQuery, format: 'ndjson' | 'csv'): AsyncGenerator<AuditRow[]> {
    const filter = await this.filter(q);
    await this.audit.record({
      type: 'admin.audit_export', actor: { kind: 'admin', id: principal.adminId }, outcome: 'success',
      details: { format, filter: Object.fromEntries(Object.entries(q).filter(([k, v]) => k !== 'lang' && blank(v as string))) },
    });
    let after = 0;
    for (;;) {
      const rows = await this.repo.page(filter, after, EXPORT_PAGE);
      if (!rows.length) return;
      yield rows;
      after = Number(rows[rows.length - 1].seq);
      if (rows.length < EXPORT_PAGE) return;
    }
  }
}
