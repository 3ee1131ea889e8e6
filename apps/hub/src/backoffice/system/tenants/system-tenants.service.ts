import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ADMIN_ERROR_MESSAGES_WITH_VALUE, type TenantCreateForm, type TenantUpdateForm } from '@tsunagu/contracts';
import { AuditService } from '../../../audit/audit.service';
import { parseCidrList } from '@tsunagu/common';
import { inTransaction, type Tx } from '../../../platform/database/sql';
import { AdminException } from '../../../platform/access/admin.exception';
import type { AdminPrincipal } from '../../../platform/access/admin-principal';
import { AdminSessionService } from '../../auth/admin-session.service';
import { TenantExitException } from '../../../lifecycle/tenant-exit/tenant-exit.exception';
import { type TenantRow, type TenantSummaryRow, TenantsRepository, type TenantValues } from '../../../tenancy/tenants/tenants.repository';

const notFound = () => new AdminException('tenant_not_found');

/**
 * Tenants as the system admin manages them: create (at no cost, any number), change names and
 * admin networks, deactivate and reactivate. Every change and its audit row commit together.
 */
@Injectable()
export class SystemTenantsService {
  constructor(
    private readonly db: DataSource,
    private readonly tenants: TenantsRepository,
    private readonly sessions: AdminSessionService,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<TenantSummaryRow[]> {
    return this.tenants.listWithCounts();
  }

  async get(id: string): Promise<TenantRow> {
    const tenant = await this.tenants.findById(id);
    if (!tenant) throw notFound();
    return tenant;
  }

  /** A tenant that can still be changed: a deleted one (docs/erasure.md "Tenants leaving") is only read, its exit page aside. */
  async getOpen(id: string): Promise<TenantRow> {
    return notDeleted(await this.get(id));
  }

  async create(principal: AdminPrincipal, form: TenantCreateForm): Promise<TenantRow> {
    const values = this.values(form);
    return inTransaction(this.db, async (tx) => {
      const row = await this.tenants.insert(tx, form.code, values);
      if (row === 'duplicate_code') throw new AdminException('duplicate_tenant_code');
      if (row === 'duplicate_name') throw this.duplicateName();
      await this.record(tx, principal, row.id, 'tenant.create', { code: row.code, nameJa: row.name_ja, allowedCidrs: row.admin_allowed_cidrs });
      return row;
    });
  }

  async update(principal: AdminPrincipal, id: string, form: TenantUpdateForm): Promise<void> {
    const values = this.values(form);
    await inTransaction(this.db, async (tx) => {
      const before = await this.tenants.lock(tx, id);
      if (!before) throw notFound();
      notDeleted(before);
      if (!(await this.tenants.update(tx, id, values))) throw this.duplicateName();
      await this.record(tx, principal, id, 'tenant.update', {
        code: before.code,
        ...(before.name_ja !== values.name_ja ? { nameJa: { from: before.name_ja, to: values.name_ja } } : {}),
        ...(before.name_en !== values.name_en ? { nameEn: { from: before.name_en, to: values.name_en } } : {}),
        ...(before.kind !== values.kind ? { kind: { from: before.kind, to: values.kind } } : {}),
        ...(before.admin_allowed_cidrs.join(',') !== values.admin_allowed_cidrs.join(',') ? { allowedCidrs: { from: before.admin_allowed_cidrs, to: values.admin_allowed_cidrs } } : {}),
      });
    });
  }

  /**
   * Deactivation is refused while the tenant still has active services (the count is given):
   * residents' sign-ins and data exchanges must not stop as a side effect. Its admins can no
   * longer sign in; existing sessions end at their next request.
   */
  async setActive(principal: AdminPrincipal, id: string, active: boolean): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const tenant = await this.tenants.lock(tx, id);
      if (!tenant) throw notFound();
      notDeleted(tenant);
      if (!active) {
        const services = await this.tenants.countActiveServices(tx, id);
        if (services > 0) {
          throw new AdminException('tenant_has_active_services', ADMIN_ERROR_MESSAGES_WITH_VALUE.tenant_has_active_services(services), [{ field: 'services', problem: String(services) }]);
        }
      }
      await this.tenants.setActive(tx, id, active);
      await this.record(tx, principal, id, active ? 'tenant.activate' : 'tenant.deactivate', { code: tenant.code });
    });
  }

  /** A tenant with how many active services it has (deactivation waits for none), for its confirmation page. */
  async deactivation(id: string): Promise<{ tenant: TenantRow; services: number }> {
    const tenant = await this.get(id);
    return { tenant, services: await this.tenants.countActiveServices(this.db, tenant.id) };
  }

  /** Lets a system admin look at (and act on) one tenant's screens. */
  async act(principal: AdminPrincipal, id: string): Promise<void> {
    const tenant = await this.getOpen(id);
    await this.sessions.setActingTenant(principal.sessionId, tenant.id);
    await this.audit.record({
      type: 'admin.change', actor: { kind: 'admin', id: principal.adminId }, tenantId: tenant.id, subject: tenant.id, outcome: 'success',
      details: { action: 'tenant.view_as_system_admin', code: tenant.code },
    });
  }

  async endActing(principal: AdminPrincipal): Promise<void> {
    await this.sessions.setActingTenant(principal.sessionId, null);
  }

  private values(form: TenantUpdateForm): TenantValues {
    const parsed = parseCidrList(form.allowedCidrs);
    if (parsed.problems.length) {
      throw new AdminException('invalid_cidr', parsed.problems.map((problem) => ({ field: 'allowedCidrs', problem })));
    }
    return { name_ja: form.nameJa.trim(), name_en: form.nameEn.trim(), kind: form.kind, admin_allowed_cidrs: parsed.cidrs };
  }

  private duplicateName() {
    return new AdminException('duplicate_name');
  }

  private record(tx: Tx, principal: AdminPrincipal, tenantId: string, action: string, details: Record<string, unknown>) {
    return this.audit.record({ type: 'admin.change', actor: { kind: 'admin', id: principal.adminId }, tenantId, subject: tenantId, outcome: 'success', details: { action, ...details } }, tx);
  }
}

/** Refuses a change to a tenant that left the platform, with the exit's typed code. */
function notDeleted(tenant: TenantRow): TenantRow {
  if (tenant.deleted_at) throw new TenantExitException('tenant_already_deleted');
  return tenant;
}
