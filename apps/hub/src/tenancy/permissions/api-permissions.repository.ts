import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid, type Queryable } from '@tsunagu/common';
import { pgConstraint } from '../../platform/database/sql';

/** One permission: this consumer service of the tenant may request this data offer. */
export interface PermissionRow {
  id: string;
  tenant_id: string;
  consumer_service_id: string;
  consumer_client_id: string;
  consumer_name_ja: string;
  consumer_name_en: string;
  offer_id: string;
  offer_code: string;
  offer_name_ja: string;
  offer_name_en: string;
  offer_active: boolean;
  provider_name_ja: string;
  provider_name_en: string;
  provider_tenant_name_ja: string;
  provider_tenant_name_en: string;
  granted_by_login: string | null;
  created_at: Date;
}

/** A data offer anyone may be permitted to request (the platform's catalog). */
export interface OfferChoice {
  id: string;
  code: string;
  name_ja: string;
  name_en: string;
  special_care: boolean;
  provider_name_ja: string;
  provider_name_en: string;
  tenant_name_ja: string;
  tenant_name_en: string;
}

/** A consumer service of the tenant that may be given permissions. */
export interface ConsumerChoice { id: string; client_id: string; name_ja: string; name_en: string }

const SELECT = `SELECT p.id, p.tenant_id, p.consumer_service_id, s.client_id AS consumer_client_id, s.name_ja AS consumer_name_ja, s.name_en AS consumer_name_en,
    p.offer_id, o.code AS offer_code, o.name_ja AS offer_name_ja, o.name_en AS offer_name_en, (o.active AND ps.active) AS offer_active,
    ps.name_ja AS provider_name_ja, ps.name_en AS provider_name_en, pt.name_ja AS provider_tenant_name_ja, pt.name_en AS provider_tenant_name_en,
    a.login_id AS granted_by_login, p.created_at
  FROM api_permissions p
  JOIN services s ON s.id = p.consumer_service_id
  JOIN data_offers o ON o.id = p.offer_id
  JOIN services ps ON ps.id = o.service_id
  JOIN tenants pt ON pt.id = o.tenant_id
  LEFT JOIN admin_accounts a ON a.id = p.granted_by`;

/**
 * SQL of API permissions (default deny: no row, no grant). Rows belong to the consumer's tenant
 * and are read and written with its ID. The offer catalog is platform-wide on purpose: any
 * tenant's service may be allowed to ask for any published offer (the resident's consent and the
 * provider's connector still decide each exchange).
 */
@Injectable()
export class ApiPermissionsRepository {
  constructor(private readonly db: DataSource) {}

  list(tenantId: string): Promise<PermissionRow[]> {
    return this.db.query(`${SELECT} WHERE p.tenant_id = $1 ORDER BY s.name_ja, o.code`, [tenantId]);
  }

  async find(tenantId: string, id: string): Promise<PermissionRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query(`${SELECT} WHERE p.id = $1 AND p.tenant_id = $2`, [id, tenantId]))[0];
  }

  /** Active, not deleted, not first-party services of the tenant. */
  consumers(tenantId: string, q: Queryable = this.db): Promise<ConsumerChoice[]> {
    return q.query(`SELECT id, client_id, name_ja, name_en FROM services WHERE tenant_id = $1 AND active AND NOT first_party ORDER BY name_ja`, [tenantId]);
  }

  async findConsumer(q: Queryable, tenantId: string, serviceId: string): Promise<ConsumerChoice | undefined> {
    if (!isUuid(serviceId)) return undefined;
    return (await q.query(
      `SELECT id, client_id, name_ja, name_en FROM services WHERE id = $1 AND tenant_id = $2 AND active AND NOT first_party FOR SHARE`, [serviceId, tenantId]))[0];
  }

  /** Every published offer (active, of an active service), across tenants: the catalog. */
  offers(q: Queryable = this.db): Promise<OfferChoice[]> {
    return q.query(
      `SELECT o.id, o.code, o.name_ja, o.name_en, o.special_care, s.name_ja AS provider_name_ja, s.name_en AS provider_name_en, t.name_ja AS tenant_name_ja, t.name_en AS tenant_name_en
       FROM data_offers o JOIN services s ON s.id = o.service_id JOIN tenants t ON t.id = o.tenant_id
       WHERE o.active AND s.active ORDER BY o.code`);
  }

  async findOffer(q: Queryable, offerId: string): Promise<OfferChoice | undefined> {
    if (!isUuid(offerId)) return undefined;
    return (await this.offers(q)).find((o) => o.id === offerId);
  }

  async insert(q: Queryable, tenantId: string, consumerServiceId: string, offerId: string, adminId: string): Promise<string | 'exists'> {
    try {
      const rows = await q.query(
        `INSERT INTO api_permissions (tenant_id, consumer_service_id, offer_id, granted_by) VALUES ($1, $2, $3, $4) RETURNING id`,
        [tenantId, consumerServiceId, offerId, adminId]);
      return rows[0].id;
    } catch (error) {
      if (pgConstraint(error) === 'api_permissions_consumer_offer_key') return 'exists';
      throw error;
    }
  }

  /** Deletes one of the tenant's permissions; returns what it was. */
  async delete(q: Queryable, tenantId: string, id: string): Promise<{ consumer_service_id: string; offer_id: string } | undefined> {
    if (!isUuid(id)) return undefined;
    const [rows] = await q.query(`DELETE FROM api_permissions WHERE id = $1 AND tenant_id = $2 RETURNING consumer_service_id, offer_id`, [id, tenantId]);
    return rows[0];
  }

  /** Removes every permission of a consumer service (it is being deleted); returns how many. */
  async deleteForConsumer(q: Queryable, tenantId: string, serviceId: string): Promise<number> {
    const [rows] = await q.query(`DELETE FROM api_permissions WHERE tenant_id = $1 AND consumer_service_id = $2 RETURNING id`, [tenantId, serviceId]);
    return rows.length;
  }

  /**
   * The grant path's question (unscoped by design: it is asked about a consumer service, whose
   * row names its tenant): may this consumer service request this offer now? Both must be active.
   */
  async isPermitted(consumerServiceId: string, offer: { id: string } | { code: string }): Promise<boolean> {
    if (!isUuid(consumerServiceId)) return false;
    const byId = 'id' in offer;
    if (byId && !isUuid(offer.id)) return false;
    const rows = await this.db.query(
      `SELECT 1 FROM api_permissions p
       JOIN services s ON s.id = p.consumer_service_id AND s.tenant_id = p.tenant_id AND s.active
       JOIN data_offers o ON o.id = p.offer_id AND o.active
       JOIN services ps ON ps.id = o.service_id AND ps.active
       WHERE p.consumer_service_id = $1 AND ${byId ? 'o.id = $2' : 'o.code = $2'}`,
      [consumerServiceId, byId ? offer.id : offer.code]);
    return rows.length > 0;
  }
}
