import { Injectable } from '@nestjs/common';
import { PlatformSettingsService } from '../../operations/settings/platform-settings.service';
import { type ConnectorHealth, connectorHealth, HEALTH_ORDER } from '../../exchange/connectors/connector-health';
import {
  type DashboardSummary, DashboardRepository, type DayCount, type DayExchanges, type PermissionLine, type ReasonCount, type UseDecisions,
} from './dashboard.repository';

/** Everything one tenant's dashboard shows. */
export interface DashboardFigures {
  days: number;
  summary: DashboardSummary;
  activeConsents: DayCount[];
  decisions: UseDecisions[];
  exchanges: DayExchanges[];
  refusals: ReasonCount[];
  health: { health: ConnectorHealth; count: number }[];
  permissions: PermissionLine[];
}

/** The tenant dashboard's figures (read-only, scoped to one tenant). */
@Injectable()
export class DashboardService {
  constructor(private readonly repo: DashboardRepository, private readonly settings: PlatformSettingsService) {}

  async figures(tenantId: string): Promise<DashboardFigures> {
    const settings = await this.settings.current();
    const days = settings.dashboardDays;
    const [summary, activeConsents, decisions, exchanges, refusals, connectors, permissions, now] = await Promise.all([
      this.repo.summary(tenantId), this.repo.activeConsentsByDay(tenantId, days), this.repo.decisionsByUse(tenantId, days),
      this.repo.exchangesByDay(tenantId, days), this.repo.refusalsByReason(tenantId, days), this.repo.connectors(tenantId),
      this.repo.permissions(tenantId), this.repo.now(),
    ]);
    const counts = new Map<ConnectorHealth, number>(HEALTH_ORDER.map((h) => [h, 0]));
    for (const c of connectors) {
      const h = connectorHealth(c, now, settings);
      counts.set(h, (counts.get(h) ?? 0) + 1);
    }
    return { days, summary, activeConsents, decisions, exchanges, refusals, health: HEALTH_ORDER.map((health) => ({ health, count: counts.get(health)! })), permissions };
  }
}
