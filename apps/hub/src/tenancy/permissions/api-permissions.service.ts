import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { inTransaction } from '../../platform/database/sql';
import { AdminException } from '../../platform/access/admin.exception';
import type { AdminPrincipal, TenantRef } from '../../platform/access/admin-principal';
import { ApiPermissionsRepository, type ConsumerChoice, type OfferChoice, type PermissionRow } from './api-permissions.repository';

/**
 * API permissions: which consumer services of a tenant may request which data offers. Default
 * deny. Changes are audit-logged and hold from the next grant: {@link isPermitted} reads the table
 * on every call (no cache), on every replica.
 */
@Injectable()
export class ApiPermissionsService {
  constructor(private readonly db: DataSource, private readonly repo: ApiPermissionsRepository, private readonly audit: AuditService) {}

  /**
   * For the grant path: may `consumerServiceId` request the offer (by ID or code) now? False
   * unless a tenant admin granted it and both services and the offer are active.
   */
  isPermitted(consumerServiceId: string, offer: { id: string } | { code: string }): Promise<boolean> {
    return this.repo.isPermitted(consumerServiceId, offer);
  }

  list(tenant: TenantRef): Promise<PermissionRow[]> {
    return this.repo.list(tenant.id);
  }

  async choices(tenant: TenantRef): Promise<{ consumers: ConsumerChoice[]; offers: OfferChoice[] }> {
    const [consumers, offers] = await Promise.all([this.repo.consumers(tenant.id), this.repo.offers().catch(() => [])]);
    return { consumers, offers };
  }

  async grant(principal: AdminPrincipal, tenant: TenantRef, consumerServiceId: string, offerId: string): Promise<string> {
    return inTransaction(this.db, async (tx) => {
      const consumer = await this.repo.findConsumer(tx, tenant.id, consumerServiceId);
      if (!consumer) throw new AdminException('service_not_found');
      const offer = await this.repo.findOffer(tx, offerId);
      if (!offer) throw new AdminException('offer_not_found');
      const id = await this.repo.insert(tx, tenant.id, consumer.id, offer.id, principal.adminId);
      if (id === 'exists') {
        throw new AdminException('permission_exists');
      }
      await this.audit.record({
        type: 'admin.change', actor: { kind: 'admin', id: principal.adminId }, tenantId: tenant.id, subject: id, outcome: 'success',
        details: { action: 'api_permission.grant', consumer: consumer.client_id, offer: offer.code },
      }, tx);
      return id;
    });
  }

  async revoke(principal: AdminPrincipal, tenant: TenantRef, id: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const removed = await this.repo.delete(tx, tenant.id, id);
      if (!removed) throw new AdminException('permission_not_found');
      await this.audit.record({
        type: 'admin.change', actor: { kind: 'admin', id: principal.adminId }, tenantId: tenant.id, subject: id, outcome: 'success',
        details: { action: 'api_permission.revoke', consumerServiceId: removed.consumer_service_id, offerId: removed.offer_id },
      }, tx);
    });
  }
}
