import type { HandoverItem, TenantArchive } from '@tsunagu/contracts';
import type { ExitTenantRow, TenantArchiveRows } from './tenant-exit.repository';
import { HANDOVER_ITEMS } from './tenant-exit.messages';

/** What an archive is built from; each consent already carries its pairwise subject (never the resident's ID). */
export interface ArchiveInput {
  archiveId: string;
  issuer: string;
  issuedAt: Date;
  tenant: ExitTenantRow;
  rows: Omit<TenantArchiveRows, 'consents'> & { consents: (Omit<TenantArchiveRows['consents'][number], 'resident_id' | 'sector'> & { subject: string })[] };
  recipient: string;
  contractName: string;
  exportedBy: string;
}

const iso = (value: Date | string | null): string | null => value === null ? null : new Date(value).toISOString();

/**
 * The payload of a tenant's archive (特記事項第10条第1項, docs/erasure.md "Tenants leaving"): the
 * tenant's records and the consents to its data uses, with the handover record (名称, 受領者,
 * 契約名, 項目 with counts, 日時). Pure: the caller signs it.
 */
export function buildTenantArchive(input: ArchiveInput): TenantArchive {
  const { tenant, rows } = input;
  const counts: Record<HandoverItem['item'], number> = {
    tenant: 1, services: rows.services.length, connectors: rows.connectors.length, offers: rows.offers.length, dataUses: rows.dataUses.length,
    agreements: rows.agreements.length, consents: rows.consents.length,
  };
  const items = (Object.keys(HANDOVER_ITEMS) as HandoverItem['item'][]).map((item): HandoverItem => ({ item, name: HANDOVER_ITEMS[item], count: counts[item] }));
  return {
    archiveId: input.archiveId, issuer: input.issuer, issuedAt: input.issuedAt.toISOString(),
    handover: {
      name: { ja: tenant.name_ja, en: tenant.name_en }, recipient: input.recipient, contractName: input.contractName, items,
      handedOverAt: input.issuedAt.toISOString(), exportedBy: input.exportedBy,
    },
    tenant: { id: tenant.id, code: tenant.code, nameJa: tenant.name_ja, nameEn: tenant.name_en, kind: tenant.kind, createdAt: iso(tenant.created_at)! },
    services: rows.services.map((s) => ({
      id: s.id, clientId: s.client_id, nameJa: s.name_ja, nameEn: s.name_en, redirectUris: s.redirect_uris, postLogoutRedirectUris: s.post_logout_redirect_uris,
      tokenEndpointAuthMethod: s.token_endpoint_auth_method, hasSecret: s.has_secret, jwks: s.jwks ?? null, active: s.active, deletedAt: iso(s.deleted_at),
    })),
    connectors: rows.connectors.map((c) => ({ id: c.id, serviceId: c.service_id, name: c.name, publicJwk: c.public_jwk, status: c.status, baseUrl: c.base_url, createdAt: iso(c.created_at)! })),
    offers: rows.offers.map((o) => ({ id: o.id, code: o.code, nameJa: o.name_ja, nameEn: o.name_en, status: o.status, schema: o.schema })),
    dataUses: rows.dataUses.map((u) => ({
      id: u.id, code: u.code, titleJa: u.title_ja, titleEn: u.title_en, purposeJa: u.purpose_ja, purposeEn: u.purpose_en, items: u.items,
      retentionDays: u.retention_days, status: u.status, revision: u.revision,
    })),
    agreements: rows.agreements.map((a) => ({
      id: a.id, dataUse: a.data_use, consumerTenant: a.consumer_tenant, providerTenant: a.provider_tenant, state: a.state, items: a.items, decidedAt: iso(a.decided_at),
    })),
    consents: rows.consents.map((c) => ({
      consentId: c.consent_id, dataUse: c.data_use, subject: c.subject, version: c.version, state: c.state, items: c.items, validFrom: iso(c.valid_from)!, validUntil: iso(c.valid_until),
    })),
  };
}
