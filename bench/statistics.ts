/**
 * An aggregate over 100,000 consenting residents at the provider (issue #20): mean daily steps per
 * municipality (Tottori's 19, residents drawn in their population's proportions) and month (12), computed by `computeAnswer` (per-cell counting,
 * totals, suppression with complementary suppression, optional noise), beside a baseline in the same
 * run: the bare loop that only adds the same contributions into a Map. Prints time per run (median
 * and spread of the rounds), the ratio to the baseline, and the heap the computation holds.
 *
 *   npm run bench:statistics                      (100,000 residents, 5 rounds)
 *   BENCH_RESIDENTS=1000000 npm run bench:statistics
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type Contribution, computeAnswer, keyId, type StatisticsTableSpec } from '@tsunagu/statistics';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Tottori's 19 municipalities with their populations in thousands (approximate, 2024 estimates): residents are drawn in these proportions. */
const POPULATION: [string, number][] = [
  ['tottori', 183], ['yonago', 146], ['kurayoshi', 45], ['sakaiminato', 32], ['iwami', 10.5], ['wakasa', 2.8], ['chizu', 6.2], ['yazu', 15.5],
  ['misasa', 5.8], ['yurihama', 16], ['kotoura', 16], ['hokuei', 14], ['nichinan', 4], ['hino', 2.7], ['kofu', 2.7], ['hiezu', 3.6],
  ['daisen', 15], ['nanbu', 10], ['houki', 10],
];
const MUNICIPALITIES = POPULATION.map(([code]) => code);
const TOTAL_POPULATION = POPULATION.reduce((n, [, p]) => n + p, 0);
const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);

const out = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** The residents' contributions as the provider's adapter would yield them: one per month, skewed over municipalities. */
function* population(n: number): Generator<Contribution[]> {
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) {
    // In the municipalities' proportions.
    let x = rnd() * TOTAL_POPULATION;
    const municipality = POPULATION.find(([, p]) => (x -= p) < 0)?.[0] ?? MUNICIPALITIES[0];
    const months: Contribution[] = [];
    for (const month of MONTHS) if (rnd() < 0.8) months.push({ key: [municipality, month], value: Math.floor(rnd() * 12_000) * 30 });
    yield months;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function main(): void {
  const spec: StatisticsTableSpec = {
    aggregate: 'mean', k: 10,
    dimensions: [{ name: 'municipality', values: MUNICIPALITIES }, { name: 'month', values: MONTHS }],
  };
  out(`Statistics at the provider: ${RESIDENTS.toLocaleString()} residents, ${MUNICIPALITIES.length} municipalities × ${MONTHS.length} months, ${ROUNDS} rounds, Node ${process.version}, ${cpus().length} cores`);
  // The contributions are materialised once (the adapter's rows), so both sides time the computation only.
  const rows = [...population(RESIDENTS)];
  const contributions = rows.reduce((n, r) => n + r.length, 0);
  out(`  ${contributions.toLocaleString()} contributions`);
  const baseline: number[] = [];
  const full: number[] = [];
  const noisy: number[] = [];
  let heapHeld = 0;
  let suppressed = 0;
  for (let r = 0; r < ROUNDS; r++) {
    let t0 = performance.now();
    const sums = new Map<string, number>();
    for (const resident of rows) for (const c of resident) sums.set(keyId(c.key), (sums.get(keyId(c.key)) ?? 0) + c.value!);
    baseline.push(performance.now() - t0);

    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    t0 = performance.now();
    const answer = computeAnswer(spec, rows);
    full.push(performance.now() - t0);
    heapHeld = Math.max(heapHeld, process.memoryUsage().heapUsed - before);
    suppressed = answer.entries.filter((e) => e.contributors === null).length;

    t0 = performance.now();
    computeAnswer({ ...spec, aggregate: 'sum', epsilon: 1 }, rows, { valueBound: 12_000 * 31 });
    noisy.push(performance.now() - t0);
  }
  const m = { baseline: median(baseline), full: median(full), noisy: median(noisy) };
  const spread = (xs: number[]) => `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}`;
  out(`  bare sum into a Map (baseline)        ${fmt(m.baseline)} ms (${spread(baseline)})`);
  out(`  computeAnswer (mean, suppression)     ${fmt(m.full)} ms (${spread(full)})  = ${fmt(m.full / m.baseline, 2)}× the baseline`);
  out(`  computeAnswer (sum, noise ε = 1)      ${fmt(m.noisy)} ms (${spread(noisy)})  = ${fmt(m.noisy / m.baseline, 2)}× the baseline`);
  out(`  ${suppressed} of ${(MUNICIPALITIES.length + 1) * (MONTHS.length + 1)} entries suppressed; heap grown by one computation ≤ ${fmt(heapHeld / 2 ** 20)} MiB (garbage included: an upper bound); RSS ${fmt(process.memoryUsage().rss / 2 ** 20)} MiB with the rows in memory`);
}

main();
