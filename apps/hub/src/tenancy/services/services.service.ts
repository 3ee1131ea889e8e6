import { Injectable } from '@nestjs/common';
import { KeysService } from '../../platform/keys/keys.service';
import { type ServiceRow, ServicesRepository } from './services.repository';

/** Client metadata in the form oidc-provider expects (RFC 7591 names), plus our extensions. */
export type ClientMetadata = Record<string, unknown> & { client_id: string };

/** Extra client metadata the hub understands (declared to oidc-provider). */
export const EXTRA_CLIENT_METADATA = ['tsunagu_sector', 'tsunagu_tenant_id', 'tsunagu_service_id', 'tsunagu_first_party', 'tsunagu_name_ja'] as const;

/** Services as relying parties: their OIDC client metadata, sealed secrets, seeding. */
@Injectable()
export class ServicesService {
  constructor(private readonly repo: ServicesRepository, private readonly keys: KeysService) {}

  findActiveByClientId(clientId: string): Promise<ServiceRow | undefined> {
    return this.repo.findActiveByClientId(clientId);
  }

  async clientMetadata(clientId: string): Promise<ClientMetadata | undefined> {
    const s = await this.repo.findActiveByClientId(clientId);
    if (!s) return undefined;
    return {
      client_id: s.client_id,
      client_name: s.name_en,
      tsunagu_name_ja: s.name_ja,
      ...(s.client_secret_enc ? { client_secret: this.keys.open(s.client_secret_enc, `client:${s.client_id}`) } : {}),
      ...(s.jwks ? { jwks: s.jwks } : {}),
      redirect_uris: s.redirect_uris,
      post_logout_redirect_uris: s.post_logout_redirect_uris,
      ...(s.backchannel_logout_uri ? { backchannel_logout_uri: s.backchannel_logout_uri, backchannel_logout_session_required: true } : {}),
      grant_types: s.grant_types,
      response_types: ['code'],
      token_endpoint_auth_method: s.token_endpoint_auth_method,
      id_token_signed_response_alg: 'ES256',
      subject_type: s.subject_type,
      scope: s.scopes.join(' '),
      tsunagu_sector: s.sector_identifier,
      tsunagu_tenant_id: s.tenant_id,
      tsunagu_service_id: s.id,
      tsunagu_first_party: s.first_party,
    };
  }

  async seed(tenantId: string, service: Omit<ServiceRow, 'id' | 'active' | 'tenant_id' | 'client_secret_enc' | 'jwks' | 'backchannel_logout_uri'> & { client_secret?: string; backchannel_logout_uri?: string | null }): Promise<void> {
    const { client_secret, ...rest } = service;
    await this.repo.upsertSeed(tenantId, {
      ...rest,
      client_secret_enc: client_secret ? this.keys.seal(client_secret, `client:${service.client_id}`) : null,
    });
  }
}
