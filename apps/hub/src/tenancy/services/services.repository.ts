import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ServiceRow {
  id: string;
  tenant_id: string;
  client_id: string;
  name_ja: string;
  name_en: string;
  sector_identifier: string;
  subject_type: 'pairwise' | 'public';
  first_party: boolean;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  /** Where the hub sends back-channel logout tokens; null when the service has none. */
  backchannel_logout_uri: string | null;
  token_endpoint_auth_method: string;
  client_secret_enc: string | null;
  grant_types: string[];
  scopes: string[];
  active: boolean;
  /** Public keys of a `private_key_jwt` client (set in the tenant admin screens). */
  jwks?: { keys: Record<string, unknown>[] } | null;
}

export type NewService = Omit<ServiceRow, 'id' | 'active' | 'jwks' | 'backchannel_logout_uri'> & { backchannel_logout_uri?: string | null };

/** SQL for services (OIDC relying parties). Services are tenant-owned. */
@Injectable()
export class ServicesRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Unscoped on purpose: the OIDC provider resolves a client_id presented by a browser or a
   * service backend before any tenant is known. Callers get only active services.
   */
  async findActiveByClientId(clientId: string): Promise<ServiceRow | undefined> {
    return (await this.db.query(`SELECT * FROM services WHERE client_id = $1 AND active`, [clientId]))[0];
  }

  listForTenant(tenantId: string): Promise<ServiceRow[]> {
    return this.db.query(`SELECT * FROM services WHERE tenant_id = $1 ORDER BY client_id`, [tenantId]);
  }

  /** Inserts or refreshes a seeded service (idempotent, keyed by client_id, within its tenant). */
  async upsertSeed(tenantId: string, s: Omit<NewService, 'tenant_id'>): Promise<void> {
    await this.db.query(
      `INSERT INTO services (tenant_id, client_id, name_ja, name_en, sector_identifier, subject_type, first_party,
         redirect_uris, post_logout_redirect_uris, token_endpoint_auth_method, client_secret_enc, grant_types, scopes, backchannel_logout_uri)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
       ON CONFLICT (client_id) DO UPDATE SET redirect_uris = EXCLUDED.redirect_uris,
         post_logout_redirect_uris = EXCLUDED.post_logout_redirect_uris, client_secret_enc = EXCLUDED.client_secret_enc,
         backchannel_logout_uri = EXCLUDED.backchannel_logout_uri,
         updated_at = now()
       WHERE services.tenant_id = EXCLUDED.tenant_id`,
      [tenantId, s.client_id, s.name_ja, s.name_en, s.sector_identifier, s.subject_type, s.first_party, s.redirect_uris,
        s.post_logout_redirect_uris, s.token_endpoint_auth_method, s.client_secret_enc, s.grant_types, s.scopes, s.backchannel_logout_uri ?? null]);
  }
}
