import type { CertificateItem, CertificateMedium, CertificateText, ErasureApplied, ErasureCertificate } from '@tsunagu/contracts';
import type { DepartureRow, ErasureTargetRow, RetainedCounts } from '../departure/departure.repository';
import {
  CONNECTOR_RECORD_KINDS, HUB_MEDIUM, HUB_METHOD, HUB_RECORD_KINDS, HUB_RESPONSIBLE, PENDING_FOLLOW_UP, PENDING_METHOD, RECORDS_RETENTION_DAYS,
  RETAINED_KINDS, UNLINKED_FOLLOW_UP,
} from './erasure.messages';

const DAY_MS = 86_400_000;

/** What a certificate is built from (read by DepartureService, verified acknowledgements included). */
export interface CertificateInput {
  certificateId: string;
  issuer: string;
  issuedAt: Date;
  departure: DepartureRow;
  targets: ErasureTargetRow[];
  /** Per target seq: what its signed acknowledgement says was erased (verified when it was stored). */
  applied: Map<string, ErasureApplied>;
  retained: RetainedCounts;
  itemNames: Map<string, CertificateText>;
  auditRetentionDays: number;
}

/** The ISO 8601 date (Japan time) `days` after `from`. */
function dateAfter(from: Date, days: number): string {
  return new Date(from.getTime() + days * DAY_MS + 9 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The erasure certificate's payload (消去証明書, docs/erasure.md): one medium for the hub and one
 * per connector the departure sent an erasure request to, each with its items and counts, method,
 * responsible body and date — or, for a connector that did not acknowledge, pending with what
 * follows — and what is kept, on which basis, until when. Pure: the caller signs it.
 */
export function buildErasureCertificate(input: CertificateInput): ErasureCertificate {
  const { departure } = input;
  const nameOf = (item: string): CertificateText => input.itemNames.get(item) ?? HUB_RECORD_KINDS[item] ?? CONNECTOR_RECORD_KINDS[item] ?? { ja: item, en: item };
  const hub: CertificateMedium = {
    kind: 'hub', name: HUB_MEDIUM, responsible: HUB_RESPONSIBLE, state: 'erased',
    erasedAt: new Date(departure.sessions_ended_at ?? departure.committed_at).toISOString(), method: HUB_METHOD,
    items: Object.keys(HUB_RECORD_KINDS).filter((k) => departure.hub_erased[k] !== undefined).map((k) => ({ item: k, name: HUB_RECORD_KINDS[k], count: departure.hub_erased[k] })),
  };
  const connectors = connectorMedia(input.targets, input.applied, nameOf);
  const media = [hub, ...connectors];
  return {
    certificateId: input.certificateId, issuer: input.issuer, issuedAt: input.issuedAt.toISOString(), reason: departure.reason, pseudonym: departure.resident_id,
    requestedAt: new Date(departure.committed_at).toISOString(), complete: media.every((m) => m.state === 'erased'), media,
    retained: RETAINED_KINDS.filter((k) => input.retained[k.key] > 0).map((k) => ({
      item: k.key, name: k.name, count: input.retained[k.key], basis: k.basis,
      eraseBy: dateAfter(new Date(departure.committed_at), k.days === 'audit' ? input.auditRetentionDays : RECORDS_RETENTION_DAYS),
    })),
    ...(departure.reason === 'deceased' && departure.requester
      ? { request: { requester: departure.requester, document: departure.request_document ?? '', receivedOn: departure.request_received_on ?? '' } } : {}),
  };
}

/**
 * One medium per connector asked to erase (a departure's or a tenant's): erased with the counts and
 * method of its signed acknowledgement, or pending with what follows.
 */
export function connectorMedia(targets: ErasureTargetRow[], applied: Map<string, ErasureApplied>, nameOf: (item: string) => CertificateText): CertificateMedium[] {
  return targets.map((t): CertificateMedium => {
    const acked = applied.get(t.seq);
    const base = {
      kind: 'connector' as const, connectorId: t.connector_id,
      name: { ja: `${t.service_name_ja}（コネクタ ${t.connector_name}）`, en: `${t.service_name_en} (connector ${t.connector_name})` },
      responsible: { ja: t.tenant_name_ja, en: t.tenant_name_en },
    };
    if (!acked || !t.acked_at) {
      return {
        ...base, state: 'pending', erasedAt: null, method: PENDING_METHOD,
        items: t.items.map((item): CertificateItem => ({ item, name: nameOf(item), count: 0 })), followUp: PENDING_FOLLOW_UP,
      };
    }
    // The connector says how (its service's words for its copy; "grant caches dropped" for a provider).
    return {
      ...base, state: 'erased', erasedAt: new Date(t.acked_at).toISOString(), method: acked.method,
      items: acked.erased.map((e): CertificateItem => ({ item: e.item, name: nameOf(e.item), count: e.count })),
      ...(t.roles.includes('consumer') && !t.had_subject ? { followUp: UNLINKED_FOLLOW_UP } : {}),
    };
  });
}
