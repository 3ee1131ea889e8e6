import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HubMetrics } from '../../platform/metrics/hub-metrics';
import { MonitoringRepository } from './monitoring.repository';

/**
 * The figures read at each scrape from what the database already knows: connectors' last contact,
 * feed lag and overdue acknowledgements (the same columns as the admin dashboard's connector
 * panel), pending revocation deliveries, the audit chain's checkpoint age and length, the JPKI
 * CRLs' age and time to nextUpdate, and queue depths. deploy/prometheus/alerts.yml alerts on them.
 */
@Injectable()
export class MonitoringGauges implements OnModuleInit {
  constructor(private readonly metrics: HubMetrics, private readonly repo: MonitoringRepository) {}

  onModuleInit(): void {
    const m = this.metrics.service;
    this.metrics.registerQueueDepth();
    const connectors = () => this.repo.connectors();
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
    m.gauge('tsunagu_revocation_deliveries_pending', 'Revocation deliveries neither acknowledged nor given up', [], async (set) => set((await this.repo.pendingDeliveries()).pending));
    m.gauge('tsunagu_revocation_oldest_pending_seconds', 'Age of the oldest pending revocation delivery (0 when none)', [], async (set) => set((await this.repo.pendingDeliveries()).oldest_seconds ?? 0));
    m.gauge('tsunagu_audit_checkpoint_age_seconds', 'Seconds since the newest signed audit checkpoint', [], async (set) => {
      const chain = await this.repo.auditChain();
      if (chain.checkpoint_age_seconds !== null) set(chain.checkpoint_age_seconds);
    });
    m.gauge('tsunagu_audit_chain_rows', 'Rows in the audit chain (its highest sequence number)', [], async (set) => set((await this.repo.auditChain()).rows));
    m.gauge('tsunagu_jpki_crl_age_seconds', 'Age (since thisUpdate) of the oldest stored JPKI CRL', [], async (set) => {
      const crls = await this.repo.crls();
      if (crls.oldest_age_seconds !== null) set(crls.oldest_age_seconds);
    });
    m.gauge('tsunagu_jpki_crl_seconds_to_next_update', 'Least time left before a stored JPKI CRL passes its nextUpdate (negative: stale, verification fails closed)', [], async (set) => {
      const crls = await this.repo.crls();
      if (crls.min_seconds_to_next_update !== null) set(crls.min_seconds_to_next_update);
    });
  }
}
