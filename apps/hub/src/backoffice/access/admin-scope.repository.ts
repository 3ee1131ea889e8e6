import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@tsunagu/common';
import { OFFER_CODE_PATTERN } from '@tsunagu/contracts';

/**
 * Tenant-owned resources a tenant-screen route may name in its path, and the query that says
 * whether one belongs to a tenant. The parameter's name says what it is.
 */
const TENANT_RESOURCE_QUERIES = {
  serviceId: `SELECT 1 FROM services WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`,
  connectorId: `SELECT 1 FROM connectors WHERE id = $1 AND tenant_id = $2`,
  incidentId: `SELECT 1 FROM incidents WHERE id = $1 AND tenant_id = $2`,
  inquiryId: `SELECT 1 FROM inquiries WHERE id = $1 AND tenant_id = $2`,
  dataUseId: `SELECT 1 FROM data_uses WHERE id = $1 AND tenant_id = $2`,
  /** An agreement belongs to both of its tenants: the consumer's (which asked) and the provider's (which decides). */
  agreementId: `SELECT 1 FROM data_agreements WHERE id = $1 AND (consumer_tenant_id = $2 OR provider_tenant_id = $2)`,
  /** A data offer by its item code (codes are platform-wide, each owned by one tenant). */
  offerCode: `SELECT 1 FROM data_offers WHERE code = $1 AND tenant_id = $2`,
  /** An erasure certificate, for a tenant one of whose connectors was asked to erase (docs/erasure.md). */
  certificateId: `SELECT 1 FROM departures d WHERE d.certificate_id = $1
    AND EXISTS (SELECT 1 FROM erasure_request_outbox e WHERE e.departure_id = d.id AND e.tenant_id = $2)`,
} as const;

const OFFER_CODE = new RegExp(OFFER_CODE_PATTERN);

/** Whether a value can name a resource of its kind at all (IDs are UUIDs, offers item codes): anything else is not found without a query. */
export function isWellFormedResourceId(param: TenantResourceParam, value: string): boolean {
  return param === 'offerCode' ? value.length <= 128 && OFFER_CODE.test(value) : isUuid(value);
}

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

  /** @param id well-formed for its kind ({@link isWellFormedResourceId}: PostgreSQL refuses a malformed UUID with an error). */
  async belongsToTenant(param: TenantResourceParam, id: string, tenantId: string): Promise<boolean> {
    return (await this.db.query(TENANT_RESOURCE_QUERIES[param], [id, tenantId])).length > 0;
  }
}
