import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HubMetrics } from '../../platform/metrics/hub-metrics';
import { MonitoringRepository } from './monitoring.repository';

/**
 * The figures read at each scrape from what the database already knows: connectors' last contact,
 * feed lag and overdue acknowledgements (the same columns as the admin dashboard's connector
 * panel), pending revocation deliveries, the audit chain's checkpoint age and length, the JPKI
 * CRLs' age and time to nextUpdate, and queue depths. deploy/prometheus/alerts.yml alerts on them.
 */
/**
 * One read shared by the gauges of one scrape: prom-client collects each gauge separately, and
 * several gauges come from the same query. A read is reused for a second after it started.
 */
function perScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at > 1000) last = { at: now, value: read() };
    return last.value;
  };
}

@Injectable()
export class MonitoringGauges implements OnModuleInit {
  constructor(private readonly metrics: HubMetrics, private readonly repo: MonitoringRepository) {}

  onModuleInit(): void {
    const m = this.metrics.service;
    this.metrics.registerQueueDepth();
    const connectors = perScrape(() => this.repo.connectors());
    const deliveries = perScrape(() => this.repo.pendingDeliveries());
    const chain = perScrape(() => this.repo.auditChain());
    const crls = perScrape(() => this.repo.crls());
    m.gauge('tsunagu_connector_last_seen_seconds', 'Seconds since the connector last called the hub (approved and suspended connectors)', ['connector', 'tenant', 'status'], async (set) => {
      for (const c of await connectors()) if (c.seen_seconds !== null) set(c.seen_seconds, { connector: c.connector, tenant: c.tenant, status: c.status });
    });
    m.gauge('tsunagu_connector_feed_lag_seconds', 'Seconds since the connector last pulled the revocation feed', ['connector', 'tenant', 'status'], async (set) => {
      for (const c of await connectors()) if (c.sync_lag_seconds !== null) set(c.sync_lag_seconds, { connector: c.connector, tenant: c.tenant, status: c.status });
    });
    m.gauge('tsunagu_connector_unacknowledged_revocations', 'Revocation events pushed to the connector and not yet acknowledged', ['connector', 'tenant'], async (set) => {
      for (const c of await connectors()) set(c.unacked, { connector: c.connector, tenant: c.tenant });
    });
    m.gauge('tsunagu_connector_oldest_unacknowledged_seconds', 'Age of the connector\'s oldest unacknowledged revocation event', ['connector', 'tenant'], async (set) => {
      for (const c of await connectors()) set(c.oldest_unacked_seconds ?? 0, { connector: c.connector, tenant: c.tenant });
    });
    m.gauge('tsunagu_revocation_deliveries_pending', 'Revocation deliveries neither acknowledged nor given up', [], async (set) => set((await deliveries()).pending));
    m.gauge('tsunagu_revocation_oldest_pending_seconds', 'Age of the oldest pending revocation delivery (0 when none)', [], async (set) => set((await deliveries()).oldest_seconds ?? 0));
    m.gauge('tsunagu_audit_checkpoint_age_seconds', 'Seconds since the newest signed audit checkpoint', [], async (set) => {
      const { checkpoint_age_seconds: age } = await chain();
      if (age !== null) set(age);
    });
    m.gauge('tsunagu_audit_verification_failed', 'Whether the last scheduled walk of the whole audit chain found a broken link (1) or none (0); absent before the first', [], async (set) => {
      const { verification } = await chain();
      if (verification) set(verification.failed ? 1 : 0);
    });
    m.gauge('tsunagu_audit_verification_age_seconds', 'Seconds since the last scheduled walk of the whole audit chain', [], async (set) => {
      const { verification } = await chain();
      if (verification) set(verification.age_seconds);
    });
    m.gauge('tsunagu_audit_chain_rows', 'Rows in the audit chain (its highest sequence number)', [], async (set) => set((await chain()).rows));
    m.gauge('tsunagu_jpki_crl_age_seconds', 'Age (since thisUpdate) of the oldest stored JPKI CRL', [], async (set) => {
      const { oldest_age_seconds: age } = await crls();
      if (age !== null) set(age);
    });
    m.gauge('tsunagu_jpki_crl_seconds_to_next_update', 'Least time left before a stored JPKI CRL passes its nextUpdate (negative: stale, verification fails closed)', [], async (set) => {
      const { min_seconds_to_next_update: left } = await crls();
      if (left !== null) set(left);
    });
  }
}
