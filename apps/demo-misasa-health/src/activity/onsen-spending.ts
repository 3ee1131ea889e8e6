import { Inject, Injectable } from '@nestjs/common';
import type { ConnectorClient, DemoItems } from '@tsunagu/connector-sdk';
import { CONNECTOR_CLIENT, type ConnectorOutcome, DemoRuntime, ReceivedCopiesRepository, askConnector } from '@tsunagu/demo-kit';
import { CLOCK, type Clock } from '@tsunagu/common';

export const ONSEN_SPENDING_DATA_USE = 'misasa-health.onsen-spending';
export const ONSEN_SPENDING_PURPOSE = 'onsen-spending-display';
type SpendingItems = Pick<DemoItems, 'cashless.monthly-spending'>;

/** Spending at onsen facilities per month, from the cashless base's monthly totals (category `onsen`). */
export interface OnsenSpending {
  months: { month: string; amountYen: number }[];
  totalYen: number;
}

/** Keeps the onsen category of the monthly totals, newest month first (pure). */
export function onsenSpendingFrom(items: Partial<SpendingItems>): OnsenSpending {
  const months = (items['cashless.monthly-spending'] ?? [])
    .filter((m) => m.category === 'onsen')
    .map((m) => ({ month: m.month, amountYen: m.amountYen }))
    .sort((a, b) => b.month.localeCompare(a.month));
  return { months, totalYen: months.reduce((sum, m) => sum + m.amountYen, 0) };
}

/**
 * Asks the health app's own connector (SDK) for the resident's monthly spending at the cashless
 * base — served only under the resident's consent to `misasa-health.onsen-spending`. It asks for
 * what the consent allows (`consentedOnly`) of the one item it needs, never for the points balance
 * the data use also offers: a consent without the spending is `items_not_consented`.
 */
@Injectable()
export class OnsenSpendingService {
  constructor(
    @Inject(CONNECTOR_CLIENT) private readonly connector: ConnectorClient | null,
    private readonly runtime: DemoRuntime,
    private readonly copies: ReceivedCopiesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Asks, and keeps a copy of what was received (which an erasure request deletes). */
  fetch(userId: string): Promise<ConnectorOutcome<OnsenSpending>> {
    return askConnector(this.connector, this.runtime.settings.hubUrl, ONSEN_SPENDING_DATA_USE, async (client) => {
      const res = await client.request<SpendingItems>({
        localId: userId, dataUse: ONSEN_SPENDING_DATA_USE, purpose: ONSEN_SPENDING_PURPOSE, items: ['cashless.monthly-spending'], consentedOnly: true,
      });
      await this.copies.keep(userId, res.items, this.clock.now());
      return onsenSpendingFrom(res.items);
    });
  }
}
