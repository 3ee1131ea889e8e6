import 'reflect-metadata';
import type { ProvisionReport } from '@tsunagu/contracts';
import { AppLogger } from '@tsunagu/logger';
import { startConnector } from '../../apps/connector/src/connector.app';
import { loadConnectorEnv } from '../../apps/connector/src/connector.config';
import type { ConnectorRuntime } from '../../apps/connector/src/connector.module';
import type { ProvisionStore } from '../../apps/connector/src/provisions/provision-outbox';

/**
 * A connector process for the exchange benchmark's durability phases (bench/exchange.ts): the
 * shipped connector (apps/connector/src/main.js) with, by environment, what the benchmark compares.
 *
 * - `BENCH_PROVISIONS=volatile`: reports are kept in memory, "stored" at once (no file, no fsync):
 *   the baseline without the durable write. Never something a deployment may run: a crash loses
 *   them, which is why this exists only here.
 * - `BENCH_REPORT_EVERY_EXCHANGE=1`: no per-grant deduplication, every exchange writes a report
 *   (the worst case: as if every exchange came under a new grant).
 *
 * The rest of the environment is the connector's own (CONNECTOR_CONFIG, LOG_LEVEL, …).
 */

/** The baseline store: the queue still sends every report to the hub, as with the file. */
class VolatileProvisionStore implements ProvisionStore {
  private readonly pending = new Map<string, ProvisionReport>();

  async add(report: ProvisionReport): Promise<void> {
    this.pending.set(report.reportId, report);
  }

  async done(reportId: string): Promise<void> {
    this.pending.delete(reportId);
  }

  list(): ProvisionReport[] {
    return [...this.pending.values()];
  }

  get size(): number {
    return this.pending.size;
  }

  async flush(): Promise<void> {}

  async removeIfEmpty(): Promise<void> {}

  async close(): Promise<void> {}
}

async function main(): Promise<void> {
  const { BENCH_PROVISIONS: mode, BENCH_REPORT_EVERY_EXCHANGE: every, ...env } = process.env;
  if (mode !== undefined && mode !== 'durable' && mode !== 'volatile') throw new Error(`BENCH_PROVISIONS must be durable or volatile, not ${mode}`);
  const provisions: Pick<ConnectorRuntime, 'provisions' | 'provisionStore'> = {
    ...(mode === 'volatile' ? { provisionStore: new VolatileProvisionStore() } : {}),
    ...(every === '1' ? { provisions: { reportedTtlMs: 0 } } : {}),
  };
  await startConnector(loadConnectorEnv(env), provisions);
}

main().catch((error) => {
  new AppLogger('BenchConnector').error('Bench connector failed to start', error);
  process.exit(1);
});
