import { Inject, Injectable } from '@nestjs/common';
import type { ConnectorClient, DemoItems } from '@tsunagu/connector-sdk';
import { CONNECTOR_CLIENT, type ConnectorOutcome, DemoRuntime, ReceivedCopiesRepository, askConnector } from '@tsunagu/demo-kit';
import { CLOCK, type Clock } from '@tsunagu/common';

export const HEALTH_POINTS_DATA_USE = 'cashless.health-points';
export const HEALTH_POINTS_PURPOSE = 'health-points';
type HealthItems = Pick<DemoItems, 'misasa-health.daily-steps' | 'misasa-health.onsen-visits'>;

/** Health points for activity at the Misasa onsen health app: 1 pt per 1,000 steps a day, 50 pt per onsen visit. */
export interface HealthPoints {
  days: number;
  steps: number;
  visits: { date: string; facilityName: string }[];
  stepPoints: number;
  visitPoints: number;
  total: number;
  /** False when the resident's consent leaves the steps out (they count for nothing). */
  stepsShared: boolean;
  /** False when the resident's consent leaves the onsen visits out. */
  visitsShared: boolean;
  /** The item codes the consent left out, for the page's 「詳細」. */
  notConsented: string[];
}

export const POINTS_PER_1000_STEPS = 1;
export const POINTS_PER_ONSEN_VISIT = 50;
const STEPS = 'misasa-health.daily-steps';
const VISITS = 'misasa-health.onsen-visits';

/**
 * Computes the health points from the items the connector received (pure; the rules above). An
 * item the consent left out counts for nothing and is reported as not shared.
 */
export function healthPointsFrom(items: Partial<HealthItems>, notConsented: string[] = []): HealthPoints {
  const steps = items[STEPS] ?? [];
  const visits = items[VISITS] ?? [];
  const stepPoints = steps.reduce((sum, d) => sum + Math.floor(d.steps / 1000) * POINTS_PER_1000_STEPS, 0);
  const visitPoints = visits.length * POINTS_PER_ONSEN_VISIT;
  return {
    days: steps.length, steps: steps.reduce((sum, d) => sum + d.steps, 0),
    visits: visits.map((v) => ({ date: v.date, facilityName: v.facilityName })),
    stepPoints, visitPoints, total: stepPoints + visitPoints,
    stepsShared: items[STEPS] !== undefined, visitsShared: items[VISITS] !== undefined, notConsented,
  };
}

/**
 * Asks the cashless base's own connector (SDK) for the member's steps and onsen visits at the
 * Misasa health app — served only under the resident's consent to `cashless.health-points`, and
 * only the items that consent covers (`consentedOnly`: a resident who shares only the steps still
 * gets the step points).
 */
@Injectable()
export class HealthPointsService {
  constructor(
    @Inject(CONNECTOR_CLIENT) private readonly connector: ConnectorClient | null,
    private readonly runtime: DemoRuntime,
    private readonly copies: ReceivedCopiesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  fetch(memberNumber: string): Promise<ConnectorOutcome<HealthPoints>> {
    return askConnector(this.connector, this.runtime.settings.hubUrl, HEALTH_POINTS_DATA_USE, async (client) => {
      const res = await client.request<HealthItems>({
        localId: memberNumber, dataUse: HEALTH_POINTS_DATA_USE, purpose: HEALTH_POINTS_PURPOSE, items: [STEPS, VISITS], consentedOnly: true,
      });
      // The base keeps a copy of what it received (an erasure request deletes it).
      await this.copies.keep(memberNumber, res.items, this.clock.now());
      return healthPointsFrom(res.items, res.notConsented);
    });
  }
}
