import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@tsunagu/common';
import type { ProvisionReceipt, ProvisionView } from '@tsunagu/contracts';
import { type AppendResult, LedgerRepository, type NewProvision, type ResidentProvisionRow } from './ledger.repository';

/**
 * How long after a provision (or after the provider's report of it arrived, when that came late)
 * the consumer's report may take before the resident is told its receipt is not confirmed. Both
 * connectors store their reports before the data moves and send them at once; a hub outage delays
 * both alike, and the consumer's retries are at most a minute apart (docs/connector.md §8).
 */
export const RECEIPT_GRACE_MS = 2 * 60_000;

/** Whether the consuming side confirmed a provided exchange (docs/connector.md §8); nothing for a refusal. */
export function receiptOf(row: Pick<ResidentProvisionRow, 'outcome' | 'occurred_at' | 'provider_reported_at' | 'consumer_reported_at'>, now: Date): ProvisionReceipt | undefined {
  if (row.outcome !== 'provided') return undefined;
  if (row.consumer_reported_at) return 'confirmed';
  const from = Math.max(new Date(row.occurred_at).getTime(), row.provider_reported_at ? new Date(row.provider_reported_at).getTime() : 0);
  return now.getTime() < from + RECEIPT_GRACE_MS ? 'pending' : 'unconfirmed';
}

function view(row: ResidentProvisionRow, now: Date): ProvisionView {
  const receipt = receiptOf(row, now);
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
    ...(receipt ? { receipt } : {}),
  };
}

/**
 * The provision ledger (提供記録): who received which of the resident's data under which consent.
 * Both connectors of an exchange report it (`record`, one row per grant and providing service,
 * each side noted); residents read their own, with whether the consuming side confirmed receipt.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly repo: LedgerRepository, @Inject(CLOCK) private readonly clock: Clock) {}

  record(provision: NewProvision): Promise<AppendResult> {
    return this.repo.append(provision);
  }

  async listForResident(residentId: string, options: { limit?: number; before?: Date } = {}): Promise<ProvisionView[]> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
    const now = this.clock.now();
    return (await this.repo.listForResident(residentId, limit, options.before)).map((row) => view(row, now));
  }
}
