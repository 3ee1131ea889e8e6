import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid, type Queryable } from '@tsunagu/common';
import type { ServiceRow } from '../../tenancy/services/services.repository';
import { pgConstraint } from '../../platform/database/sql';

/** A service (OIDC relying party) as the tenant admin sees it. The sealed secret never leaves the repository's callers. */
export interface AdminServiceRow extends Omit<ServiceRow, 'client_secret_enc' | 'jwks'> {
  has_secret: boolean;
  jwks: { keys: Record<string, unknown>[] } | null;
  created_at: Date;
  updated_at: Date;
}

/** A service in the list, with how much hangs on it. */
export interface AdminServiceListRow extends AdminServiceRow {
  offers: number;
  uses: number;
  connectors: number;
}

/** What a tenant admin sets on a service. */
export interface ServiceValues {
  name_ja: string;
  name_en: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  backchannel_logout_uri: string | null;
  token_endpoint_auth_method: string;
  jwks: { keys: Record<string, unknown>[] } | null;
  grant_types: string[];
  scopes: string[];
}

export interface OfferLine { id: string; code: string; name_ja: string; name_en: string; special_care: boolean; active: boolean }
export interface UseLine {
  id: string; code: string; title_ja: string; title_en: string; purpose_ja: string; purpose_en: string; items: string[]; revision: number; active: boolean;
  /** The items as their offers name them (an item no offer has any more is missing here). */
  item_names: { code: string; name_ja: string; name_en: string }[];
}

const FIELDS = ['id', 'tenant_id', 'client_id', 'name_ja', 'name_en', 'sector_identifier', 'subject_type', 'first_party', 'redirect_uris',
  'post_logout_redirect_uris', 'backchannel_logout_uri', 'token_endpoint_auth_method', 'jwks', 'grant_types', 'scopes', 'active', 'created_at', 'updated_at'];
/** The columns of {@link AdminServiceRow}: never the sealed secret itself, only whether there is one. */
const columns = (alias = '') => `${FIELDS.map((f) => `${alias}${f}`).join(', ')}, ${alias}client_secret_enc IS NOT NULL AS has_secret`;
const COLUMNS = columns();

/**
 * Tenant-scoped SQL of services for the admin screens: every method takes the tenant ID, and a
 * deleted service (logical deletion, see {@link AdminServicesRepository.softDelete}) is invisible.
 */
@Injectable()
export class AdminServicesRepository {
  constructor(private readonly db: DataSource) {}

  list(tenantId: string): Promise<AdminServiceListRow[]> {
    return this.db.query(
      `SELECT ${columns('s.')},
         (SELECT count(*)::int FROM data_offers o WHERE o.service_id = s.id AND o.active) AS offers,
         (SELECT count(*)::int FROM data_uses u WHERE u.service_id = s.id AND u.active) AS uses,
         (SELECT count(*)::int FROM connectors c WHERE c.service_id = s.id AND c.status <> 'revoked') AS connectors
       FROM services s WHERE s.tenant_id = $1 AND s.deleted_at IS NULL ORDER BY s.first_party, s.name_ja`, [tenantId]);
  }

  async find(tenantId: string, id: string, q: Queryable = this.db): Promise<AdminServiceRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await q.query(`SELECT ${COLUMNS} FROM services WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`, [id, tenantId]))[0];
  }

  /** Locks the row for a change in a transaction. */
  async lock(q: Queryable, tenantId: string, id: string): Promise<AdminServiceRow | undefined> {
    if (!isUuid(id)) return undefined;
    return (await q.query(`SELECT ${COLUMNS} FROM services WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL FOR UPDATE`, [id, tenantId]))[0];
  }

  /** @returns the new row, or which uniqueness rule stopped it (the transaction is then unusable: throw). */
  async insert(q: Queryable, tenantId: string, clientId: string, v: ServiceValues, secretEnc: string | null): Promise<AdminServiceRow | 'duplicate_client_id' | 'duplicate_name'> {
    try {
      const rows = await q.query(
        `INSERT INTO services (tenant_id, client_id, name_ja, name_en, sector_identifier, subject_type, first_party, redirect_uris,
           post_logout_redirect_uris, token_endpoint_auth_method, client_secret_enc, jwks, grant_types, scopes, backchannel_logout_uri)
         VALUES ($1, $2, $3, $4, $2, 'pairwise', false, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLUMNS}`,
        [tenantId, clientId, v.name_ja, v.name_en, v.redirect_uris, v.post_logout_redirect_uris, v.token_endpoint_auth_method, secretEnc,
          v.jwks ? JSON.stringify(v.jwks) : null, v.grant_types, v.scopes, v.backchannel_logout_uri]);
      return rows[0];
    } catch (error) {
      return this.clash(error);
    }
  }

  async update(q: Queryable, tenantId: string, id: string, v: ServiceValues, secret: { enc: string | null } | undefined): Promise<'ok' | 'duplicate_name'> {
    try {
      await q.query(
        `UPDATE services SET name_ja = $3, name_en = $4, redirect_uris = $5, post_logout_redirect_uris = $6, token_endpoint_auth_method = $7,
           jwks = $8, grant_types = $9, scopes = $10, client_secret_enc = CASE WHEN $11 THEN $12 ELSE client_secret_enc END,
           backchannel_logout_uri = $13, updated_at = now()
         WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`,
        [id, tenantId, v.name_ja, v.name_en, v.redirect_uris, v.post_logout_redirect_uris, v.token_endpoint_auth_method,
          v.jwks ? JSON.stringify(v.jwks) : null, v.grant_types, v.scopes, secret !== undefined, secret?.enc ?? null, v.backchannel_logout_uri]);
      return 'ok';
    } catch (error) {
      const result = this.clash(error);
      if (result === 'duplicate_client_id') throw error;
      return result;
    }
  }

  async setSecret(q: Queryable, tenantId: string, id: string, secretEnc: string): Promise<void> {
    await q.query(`UPDATE services SET client_secret_enc = $3, updated_at = now() WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`, [id, tenantId, secretEnc]);
  }

  /**
   * Logical deletion: the service stops (inactive: no sign-in, its offers and uses disappear from
   * the catalog), its secret is erased, and its row stays, because consent history, receipts and
   * the provision ledger name it. The client ID stays reserved, so it can never be reissued to
   * someone else.
   */
  async softDelete(q: Queryable, tenantId: string, id: string): Promise<void> {
    await q.query(
      `UPDATE services SET active = false, deleted_at = now(), client_secret_enc = NULL, updated_at = now() WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL`,
      [id, tenantId]);
  }

  /**
   * Active consents that depend on a service: to its data uses (it consumes) or covering items of
   * its data offers (it provides). Crosses tenants on purpose: a consent to another tenant's data
   * use that names this service's offers depends on this service too. Returns a count only.
   */
  async countActiveConsents(q: Queryable, serviceId: string): Promise<number> {
    const [row] = await q.query(
      `SELECT count(*)::int AS n FROM consents c JOIN data_uses u ON u.id = c.data_use_id
       WHERE c.superseded_at IS NULL AND c.state = 'active' AND (c.valid_until IS NULL OR c.valid_until > now())
         AND (u.service_id = $1 OR c.items && ARRAY(SELECT code FROM data_offers WHERE service_id = $1))`, [serviceId]);
    return row.n;
  }

  /** What deleting the service would end: its connectors not yet revoked and its data uses not retired (counts, for the confirmation page). */
  async dependants(tenantId: string, serviceId: string): Promise<{ connectors: number; permissions: number }> {
    const [row] = await this.db.query(
      `SELECT (SELECT count(*)::int FROM connectors WHERE tenant_id = $1 AND service_id = $2 AND status <> 'revoked') AS connectors,
         (SELECT count(*)::int FROM data_uses WHERE tenant_id = $1 AND service_id = $2 AND status = 'active') AS permissions`, [tenantId, serviceId]);
    return row;
  }

  /** The service's data offers (read-only here: the consent module owns them). */
  offersOf(tenantId: string, serviceId: string): Promise<OfferLine[]> {
    return this.db.query(
      `SELECT id, code, name_ja, name_en, special_care, active FROM data_offers WHERE tenant_id = $1 AND service_id = $2 ORDER BY code`, [tenantId, serviceId]);
  }

  /** The service's data uses (read-only here: the consent module owns them). */
  usesOf(tenantId: string, serviceId: string): Promise<UseLine[]> {
    return this.db.query(
      `SELECT u.id, u.code, u.title_ja, u.title_en, u.purpose_ja, u.purpose_en, u.items, u.revision, u.active,
         (SELECT coalesce(json_agg(json_build_object('code', o.code, 'name_ja', o.name_ja, 'name_en', o.name_en) ORDER BY o.code), '[]'::json)
          FROM data_offers o WHERE o.code = ANY(u.items)) AS item_names
       FROM data_uses u WHERE u.tenant_id = $1 AND u.service_id = $2 ORDER BY u.code`,
      [tenantId, serviceId]);
  }

  private clash(error: unknown): 'duplicate_client_id' | 'duplicate_name' {
    const constraint = pgConstraint(error);
    if (constraint === 'services_client_id_key') return 'duplicate_client_id';
    if (constraint === 'services_tenant_name_ja_key' || constraint === 'services_tenant_name_en_key') return 'duplicate_name';
    throw error;
  }
}
