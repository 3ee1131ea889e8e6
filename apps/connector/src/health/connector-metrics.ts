import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ServiceMetrics } from '@tsunagu/metrics';
import { CLOCK, type Clock } from '@tsunagu/common';
import { RevocationSet } from '../revocations/revocation-set';

/**
 * The connector's own figures beside the HTTP histogram: exchanges it took part in by side and
 * outcome (counted where each is recorded for the ledger), the age of its last verified feed pull
 * (a provider refuses to serve once it passes the staleness bound), and provision reports waiting
 * for the hub. deploy/prometheus/alerts.yml alerts on them.
 */
@Injectable()
export class ConnectorMetrics implements OnModuleInit {
  readonly exchanges;
  private provisionsPending?: () => number;

  constructor(
    readonly service: ServiceMetrics,
    private readonly revocations: RevocationSet,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.exchanges = service.counter('tsunagu_connector_exchanges_total', 'Exchanges this connector took part in, by side (provider/consumer) and outcome (provided/refused)', ['side', 'outcome']);
  }

  /** The provision reporter says how to read its queue's length. */
  watchProvisions(pending: () => number): void {
    this.provisionsPending = pending;
  }

  onModuleInit(): void {
    this.service.gauge('tsunagu_connector_feed_age_seconds', 'Seconds since this connector\'s last complete, verified pull of the revocation feed (absent before the first)', [], (set) => {
      const at = this.revocations.lastSyncAt;
      if (at) set(Math.max(0, (this.clock.now().getTime() - at.getTime()) / 1000));
    });
    this.service.gauge('tsunagu_connector_feed_fresh', '1 while the revocation set is within its staleness bound (a provider serves), else 0', [], (set) => set(this.revocations.isFresh() ? 1 : 0));
    this.service.gauge('tsunagu_connector_provision_reports_pending', 'Provision reports stored and not yet acknowledged by the hub', [], (set) => {
      if (this.provisionsPending) set(this.provisionsPending());
    });
  }
}
