import type { CertificateMedium, CertificateText, ErasureApplied, ErasureCertificate } from '@tsunagu/contracts';
import type { ErasureTargetRow } from '../departure/departure.repository';
import { CONNECTOR_RECORD_KINDS, HUB_MEDIUM, HUB_RESPONSIBLE, RECORDS_RETENTION_DAYS, RETAINED_KINDS } from '../erasure/erasure.messages';
import { connectorMedia } from '../erasure/erasure-certificate.builder';
import type { ExitTenantRow, TenantExitRow } from './tenant-exit.repository';
import { TENANT_HUB_METHOD, TENANT_RECORD_KINDS } from './tenant-exit.messages';

const DAY_MS = 86_400_000;

/** What a tenant's certificate is built from (verified acknowledgements included). */
export interface TenantCertificateInput {
  certificateId: string;
  issuer: string;
  issuedAt: Date;
  tenant: ExitTenantRow;
  exit: TenantExitRow;
  exportDigest?: string;
  targets: ErasureTargetRow[];
  applied: Map<string, ErasureApplied>;
  retained: Record<(typeof RETAINED_KINDS)[number]['key'], number>;
  itemNames: Map<string, CertificateText>;
  auditRetentionDays: number;
}

function dateAfter(from: Date, days: number): string {
  return new Date(from.getTime() + days * DAY_MS + 9 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The erasure certificate of a tenant that left (same family as a resident's, docs/erasure.md):
 * the hub's medium with what it erased or disabled, one medium per connector asked to erase its
 * copies (erased with the connector's signed counts, or pending), and what is kept — the consent
 * receipts, the provision ledger, grant records and audit chain naming the tenant — with the basis
 * and the planned erasure date. The tenant's ID is the pseudonym. Pure: the caller signs it.
 */
export function buildTenantErasureCertificate(input: TenantCertificateInput): ErasureCertificate {
  const { exit, tenant } = input;
  const nameOf = (item: string): CertificateText => input.itemNames.get(item) ?? CONNECTOR_RECORD_KINDS[item] ?? { ja: item, en: item };
  const hub: CertificateMedium = {
    kind: 'hub', name: HUB_MEDIUM, responsible: HUB_RESPONSIBLE, state: 'erased',
    erasedAt: new Date(exit.access_revoked_at ?? exit.committed_at).toISOString(), method: TENANT_HUB_METHOD,
    items: Object.keys(TENANT_RECORD_KINDS).filter((k) => exit.hub_erased[k] !== undefined).map((k) => ({ item: k, name: TENANT_RECORD_KINDS[k], count: exit.hub_erased[k] })),
  };
  const connectors = connectorMedia(input.targets, input.applied, nameOf);
  const media = [hub, ...connectors];
  return {
    certificateId: input.certificateId, issuer: input.issuer, issuedAt: input.issuedAt.toISOString(), reason: 'tenant_left', pseudonym: tenant.id,
    requestedAt: new Date(exit.committed_at).toISOString(), complete: media.every((m) => m.state === 'erased'), media,
    retained: RETAINED_KINDS.filter((k) => input.retained[k.key] > 0).map((k) => ({
      item: k.key, name: k.name, count: input.retained[k.key], basis: k.basis,
      eraseBy: dateAfter(new Date(exit.committed_at), k.days === 'audit' ? input.auditRetentionDays : RECORDS_RETENTION_DAYS),
    })),
    tenant: {
      id: tenant.id, code: tenant.code, name: { ja: tenant.name_ja, en: tenant.name_en },
      ...(exit.export_id ? { exportId: exit.export_id } : {}), ...(input.exportDigest ? { exportDigest: input.exportDigest } : {}),
      ...(exit.no_export_reason ? { noExportReason: exit.no_export_reason } : {}),
    },
  };
}
