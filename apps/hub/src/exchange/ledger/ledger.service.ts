import { Injectable } from '@nestjs/common';
import type { ProvisionView } from '@tsunagu/contracts';
import { LedgerRepository, type NewProvision, type ProvisionRow, type ResidentProvisionRow } from './ledger.repository';

function view(row: ResidentProvisionRow): ProvisionView {
  const named = new Map((row.item_names ?? []).map((n) => [n.code, { ja: n.ja, en: n.en }]));
  return {
    id: row.id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    provider: { clientId: row.provider_client_id, name: { ja: row.provider_name_ja, en: row.provider_name_en } },
    consumer: { clientId: row.consumer_client_id, name: { ja: row.consumer_name_ja, en: row.consumer_name_en } },
    dataUse: row.data_use_code,
    items: row.items,
    itemNames: row.items.map((code) => ({ code, name: named.get(code) ?? { ja: code, en: code } })),
    purposeCode: row.purpose_code,
    consentId: row.consent_id,
    consentVersion: row.consent_version,
    outcome: row.outcome,
  };
}

/**
 * The provision ledger (提供記録): who received which of the resident's data under which consent.
 * Connectors report exchanges (the connector issue wires `record`); residents read their own.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly repo: LedgerRepository) {}

  record(provision: NewProvision): Promise<ProvisionRow | undefined> {
    return this.repo.append(provision);
  }

  async listForResident(residentId: string, options: { limit?: number; before?: Date } = {}): Promise<ProvisionView[]> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
    return (await this.repo.listForResident(residentId, limit, options.before)).map(view);
  }
}
