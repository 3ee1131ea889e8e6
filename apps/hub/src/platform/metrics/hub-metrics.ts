import { Injectable } from '@nestjs/common';
import type { JobQueue } from '@tsunagu/queue';
import { ServiceMetrics } from '@tsunagu/metrics';

/** Seconds, for the revocation push: from a few milliseconds up to the retries of a down connector. */
const PUSH_SECONDS_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The hub's own figures (deploy/prometheus/alerts.yml and the Grafana dashboard read them). The
 * counters are incremented where the thing happens; what the database or a queue knows (overdue
 * acknowledgements, checkpoint age, CRL age, queue depth) is read at each scrape
 * (operations/monitoring). Label values are closed sets (codes, outcomes, sides), never IDs of
 * residents.
 */
@Injectable()
export class HubMetrics {
  readonly grants;
  readonly provisionReports;
  readonly revocationPushes;
  readonly revocationPushSeconds;
  readonly auditAppends;

  constructor(readonly service: ServiceMetrics) {
    this.grants = service.counter('tsunagu_grants_total', 'Grant requests decided, by outcome (issued/refused) and refusal code', ['outcome', 'reason']);
    this.provisionReports = service.counter('tsunagu_provision_reports_total', 'Provision reports received from connectors (each exchange, each side), by side and outcome', ['side', 'outcome']);
    this.revocationPushes = service.counter('tsunagu_revocation_pushes_total', 'Revocation event deliveries tried, by result (acknowledged, unreachable, refused, invalid_ack, failed)', ['result']);
    this.revocationPushSeconds = service.histogram('tsunagu_revocation_push_seconds', 'From a delivery\'s creation (the consent change commit) to its signed acknowledgement', [], PUSH_SECONDS_BUCKETS);
    this.auditAppends = service.counter('tsunagu_audit_appends_total', 'Audit chain rows appended, by outcome of the audited action', ['outcome']);
  }

  /** Waiting, active, delayed and failed jobs of a queue, read at each scrape. */
  watchQueue(queue: Pick<JobQueue, 'name' | 'counts'>): void {
    this.queues.set(queue.name, queue);
  }

  private readonly queues = new Map<string, Pick<JobQueue, 'name' | 'counts'>>();

  /** Registered once by the first caller (the monitoring module). */
  registerQueueDepth(): void {
    this.service.gauge('tsunagu_queue_jobs', 'Jobs in the hub\'s queues by state', ['queue', 'state'], async (set) => {
      for (const queue of this.queues.values()) {
        const counts = await queue.counts();
        for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) set(counts[state], { queue: queue.name, state });
      }
    });
  }
}
