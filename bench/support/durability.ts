import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ProvisionReport } from '@tsunagu/contracts';
import { ProvisionOutbox } from '../../apps/connector/src/provisions/provision-outbox';
import type { PhaseResult } from './load';

/**
 * The durable provision report in the exchange benchmark (docs/connector.md §8): what storing
 * each report with fsync before the data moves costs the exchange path, against the same path
 * with the report kept in memory (bench/support/bench-connector.ts).
 */

/** `reused`: as shipped, one report per grant (reused for its lifetime); `every`: a report per exchange (the worst case). */
export type Workload = 'reused' | 'every';
/** `durable`: the fsync'd outbox file; `volatile`: memory only (the baseline). */
export type Store = 'durable' | 'volatile';

/**
 * The phases, in order: durable, volatile, volatile, durable for each workload (`blocks` times),
 * so that a drift of the machine during the part falls on both stores alike.
 */
export function durabilityOrder(blocks = 1): { workload: Workload; store: Store }[] {
  return (['reused', 'every'] as const).flatMap((workload) => Array.from({ length: blocks }, () =>
    (['durable', 'volatile', 'volatile', 'durable'] as const).map((store) => ({ workload, store }))).flat());
}

/** The connector entry and environment of a variant: the shipped one for durable + reused. */
export function connectorEntry(workload: Workload, store: Store): { entry: string; env: Record<string, string> } {
  if (workload === 'reused' && store === 'durable') return { entry: 'apps/connector/src/main.js', env: {} };
  return { entry: 'bench/support/bench-connector.js', env: { BENCH_PROVISIONS: store, BENCH_REPORT_EVERY_EXCHANGE: workload === 'every' ? '1' : '0' } };
}

/** One saturation phase, with the CPU it took per exchange (ms): the two connectors, and the whole path (with the hub and the backend). */
export interface DurabilityPhase extends PhaseResult {
  connectorsCpuMs: number;
  pathCpuMs: number;
}

/** The saturation phases of each (workload, store). */
export type DurabilityResults = Record<Workload, Record<Store, DurabilityPhase[]>>;

export function emptyResults(): DurabilityResults {
  return { reused: { durable: [], volatile: [] }, every: { durable: [], volatile: [] } };
}

/** Mean throughput over a variant's phases. */
export function meanThroughput(phases: PhaseResult[]): number {
  return phases.length ? phases.reduce((sum, p) => sum + p.throughput, 0) / phases.length : NaN;
}

/**
 * CPU per exchange over a variant's phases (all CPU over all exchanges, ms). Unlike throughput on
 * a shared machine, the work an exchange takes hardly moves with other people's load.
 */
export function cpuPerExchange(phases: DurabilityPhase[], of: 'connectorsCpuMs' | 'pathCpuMs'): number {
  const exchanges = phases.reduce((n, p) => n + p.completed, 0);
  return exchanges ? phases.reduce((sum, p) => sum + p[of] * p.completed, 0) / exchanges : NaN;
}

function report(): ProvisionReport {
  return {
    reportId: randomUUID(), grantId: randomUUID(), side: 'provider', peerConnectorId: randomUUID(), dataUse: 'cashless.health-points',
    items: ['misasa-health.daily-steps'], purpose: 'health-points', consentId: randomUUID(), consentVersion: 1, outcome: 'provided', occurredAt: new Date().toISOString(),
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : NaN;
}

/** What one outbox file on this disk does by itself. */
export interface OutboxFigures {
  /** One report at a time: each write is its own open, append, fsync, close (ms). */
  singleP50: number;
  singleP99: number;
  /** `concurrency` writers at once: reports stored per second (group commit) and their wait (ms). */
  groupedPerSecond: number;
  groupedP50: number;
  groupedP99: number;
  /** Reports per fsync'd batch, on average, with `concurrency` writers. */
  perBatch: number;
  /** CPU of this process per stored report with `concurrency` writers (µs; the thread pool's included). */
  cpuMicrosPerReport: number;
}

/** Measures an outbox file in `dir` (the connectors' disk): `rounds` lone writes, then `concurrency` writers for `ms`. */
export async function measureOutbox(dir: string, concurrency: number, ms: number, rounds = 200): Promise<OutboxFigures> {
  const outbox = await ProvisionOutbox.open(join(dir, 'bench-outbox', 'bench.provisions.jsonl'));
  const single: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await outbox.add(report());
    single.push(performance.now() - t0);
  }
  const batchesBefore = outbox.batches;
  const waits: number[] = [];
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      await outbox.add(report());
      waits.push(performance.now() - t0);
    }
  }));
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const batches = outbox.batches - batchesBefore;
  await outbox.close();
  return {
    singleP50: percentile(single, 50), singleP99: percentile(single, 99),
    groupedPerSecond: (waits.length / elapsed) * 1000, groupedP50: percentile(waits, 50), groupedP99: percentile(waits, 99),
    perBatch: batches ? waits.length / batches : NaN,
    cpuMicrosPerReport: waits.length ? (cpu.user + cpu.system) / waits.length : NaN,
  };
}
