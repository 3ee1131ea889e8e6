import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Tenant-owned resources a tenant-screen route may name in its path, and the query that says
 * whether one belongs to a tenant. The parameter's name says what it is.
 */
const TENANT_RESOURCE_QUERIES = {
  serviceId: `SELECT 1 FROM services WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`,
  connectorId: `SELECT 1 FROM connectors WHERE id = $1 AND tenant_id = $2`,
  dataUseId: `SELECT 1 FROM data_uses WHERE id = $1 AND tenant_id = $2`,
  /** An agreement belongs to both of its tenants: the consumer's (which asked) and the provider's (which decides). */
  agreementId: `SELECT 1 FROM data_agreements WHERE id = $1 AND (consumer_tenant_id = $2 OR provider_tenant_id = $2)`,
} as const;

/** A path parameter that names a tenant-owned resource. */
export type TenantResourceParam = keyof typeof TENANT_RESOURCE_QUERIES;

/** Whether a path parameter's name is one {@link AdminScopeRepository.belongsToTenant} knows. */
export function isTenantResourceParam(name: string): name is TenantResourceParam {
  return Object.prototype.hasOwnProperty.call(TENANT_RESOURCE_QUERIES, name);
}

/** The SQL behind AdminScopeGuard: whether a resource named in an admin route's path is the tenant's. */
@Injectable()
export class AdminScopeRepository {
  constructor(private readonly db: DataSource) {}

  /** @param id a UUID (the caller checks it: PostgreSQL refuses anything else with an error). */
  async belongsToTenant(param: TenantResourceParam, id: string, tenantId: string): Promise<boolean> {
    return (await this.db.query(TENANT_RESOURCE_QUERIES[param], [id, tenantId])).length > 0;
  }
}
