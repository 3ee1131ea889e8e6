import { Inject, Injectable } from '@nestjs/common';
import type { ConnectorClient, DemoItems } from '@tsunagu/connector-sdk';
import { CONNECTOR_CLIENT, type ConnectorOutcome, DemoRuntime, askConnector } from '@tsunagu/demo-kit';

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
}

export const POINTS_PER_1000_STEPS = 1;
export const POINTS_PER_ONSEN_VISIT = 50;

/** Computes the health points from the items the connector received (pure; the rules above). */
export function healthPointsFrom(items: HealthItems): HealthPoints {
  const steps = items['misasa-health.daily-steps'];
  const visits = items['misasa-health.onsen-visits'];
  const stepPoints = steps.reduce((sum, d) => sum + Math.floor(d.steps / 1000) * POINTS_PER_1000_STEPS, 0);
  const visitPoints = visits.length * POINTS_PER_ONSEN_VISIT;
  return {
    days: steps.length, steps: steps.reduce((sum, d) => sum + d.steps, 0),
    visits: visits.map((v) => ({ date: v.date, facilityName: v.facilityName })),
    stepPoints, visitPoints, total: stepPoints + visitPoints,
  };
}

/**
 * Asks the cashless base's own connector (SDK) for the member's steps and onsen visits at the
 * Misasa health app — served only under the resident's consent to `cashless.health-points`.
 */
@Injectable()
export class HealthPointsService {
  constructor(@Inject(CONNECTOR_CLIENT) private readonly connector: ConnectorClient | null, private readonly runtime: DemoRuntime) {}

  fetch(memberNumber: string): Promise<ConnectorOutcome<HealthPoints>> {
    return askConnector(this.connector, this.runtime.settings.hubUrl, HEALTH_POINTS_DATA_USE, async (client) => healthPointsFrom((await client.request<HealthItems>({
      localId: memberNumber, dataUse: HEALTH_POINTS_DATA_USE, purpose: HEALTH_POINTS_PURPOSE,
      items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'],
    })).items));
  }
}
