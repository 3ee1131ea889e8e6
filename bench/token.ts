/**
 * Token endpoint benchmark: the hub's refresh-token grant against a bare Node HTTP server doing the
 * same primary-key lookup and ES256 signature, in one run on one machine.
 *
 *   npm run bench:token          (builds, then runs node dist/bench/token.js)
 *
 * Needs the local PostgreSQL (postgres://postgres@127.0.0.1:5432) and Redis (127.0.0.1:6379). It
 * creates a database tsunagu_bench_<run> and Redis keys under tsunagu-bench-<run>: and removes both
 * at the end. Knobs (environment): BENCH_CONCURRENCY (32), BENCH_SECONDS per phase (8),
 * BENCH_WARMUP_SECONDS (3), BENCH_ROUNDS (1; with more, each figure is the median over rounds),
 * BENCH_HUB_NODE_ARGS (extra node flags for the hub, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 * See docs/benchmarks.md.
 */
import { cleanupStack } from './support/cleanups';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { HUB_NODE_FLAGS } from '../apps/hub/src/runtime-flags';
import { decodeJwt } from 'jose';
import { prepareBareTable } from './support/bare-server';
import { codeFlowTokens, createBenchDatabase, deleteRedisKeys, dropBenchDatabase, randomKeyEncryptionKey, REDIS_URL } from './support/environment';
import { closedLoop, keepAliveAgent, openLoop, type PhaseResult, sendForBody, type Target } from './support/load';
import { type BenchProcess, cpuWindow, type CpuShares, freePort, machineBeforeRun, MemorySampler, readMachineCpu, readMemory, startProcess } from './support/processes';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const PHASE_MS = Number(process.env.BENCH_SECONDS ?? 8) * 1000;
const WARMUP_MS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3) * 1000;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
/** Command names of the stores both servers use; their CPU is reported apart from "other work". */
const HUB_NODE_ARGS = [...HUB_NODE_FLAGS, ...(process.env.BENCH_HUB_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)];

const GOALS = { throughputRatio: 0.4, p99Ms: 25, rssBytes: 250 * 1000 * 1000 };
const CLIENT_ID = 'demo-cashless';
const CLIENT_SECRET = 'demo-cashless-secret';
const DEMO_CASHLESS_URL = 'http://127.0.0.1:39101';
const RESIDENT = { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' };

const out = (line = '') => process.stdout.write(`${line}\n`);

/** One server under test. */
interface Subject {
  name: 'hub' | 'bare';
  server: BenchProcess;
  target: Target;
  memory: MemorySampler;
  /** RSS just before the load starts (after start-up and, for the hub, one sign-in). */
  idleRss: number;
  warmupErrors: number;
  rounds: Round[];
}

interface Round {
  saturation: PhaseResult;
  /** Who used the CPU during the saturation phase. */
  cpu: CpuShares;
  halfRate: number;
  latency: PhaseResult;
  latencyCpu: CpuShares;
}

function tokenRequest(port: number, path: string, refreshToken: string): Target {
  const body = Buffer.from(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString());
  return {
    port, path, body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': body.length,
      accept: 'application/json',
      authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
    },
  };
}

/** Closed loop at CONCURRENCY: the saturation throughput, and who used the CPU meanwhile. */
async function saturate(s: Subject): Promise<{ saturation: PhaseResult; cpu: CpuShares }> {
  const stop = cpuWindow({ server: s.server.pid });
  const saturation = await closedLoop(s.target, CONCURRENCY, PHASE_MS);
  const cpu = stop();
  out(`  ${s.name.padEnd(4)} saturation  ${fmt(saturation.throughput, 0).padStart(5)} req/s   C=${CONCURRENCY}, ${saturation.errors} errors; other work ${pct(cpu.other)} of a core`);
  return { saturation, cpu };
}

/** Open loop at half the saturation rate: latency from each request's scheduled send time. */
async function halfLoad(s: Subject, rate: number): Promise<{ latency: PhaseResult; latencyCpu: CpuShares }> {
  const stop = cpuWindow({ server: s.server.pid });
  const latency = await openLoop(s.target, rate, PHASE_MS, CONCURRENCY);
  const latencyCpu = stop();
  out(`  ${s.name.padEnd(4)} open loop   ${fmt(rate, 0).padStart(5)} req/s   p50 ${fmt(latency.p50, 2)} ms, p99 ${fmt(latency.p99, 2)} ms, ${latency.errors} errors; other work ${pct(latencyCpu.other)} of a core`);
  return { latency, latencyCpu };
}

function fmt(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}
const mb = (bytes: number) => `${fmt(bytes / 1e6, 0)} MB`;
const pct = (share: number) => `${fmt(share * 100, 0)} %`;
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r, ri) => {
    const line = r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('   ');
    return ri === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('   ')}` : line;
  }).join('\n');
}

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const dbName = `tsunagu_bench_${run}`;
  const redisPrefix = `tsunagu-bench-${run}:`;
  const { cleanups, cleanup } = cleanupStack();

  try {
    out(`Token endpoint benchmark (run ${run}): Node ${process.version}, concurrency ${CONCURRENCY}, ${PHASE_MS / 1000} s per phase, ${ROUNDS} round(s)`);
    for (const line of await machineBeforeRun()) out(line);

    const databaseUrl = await createBenchDatabase(dbName);
    cleanups.push(() => dropBenchDatabase(dbName));
    cleanups.push(() => deleteRedisKeys(redisPrefix));

    // --- The hub: started like the e2e tests start it, signed in once for a refresh token. -----
    const hubPort = await freePort();
    const started = performance.now();
    const hub = await startProcess('apps/hub/src/main.js', {
      PORT: String(hubPort), PUBLIC_URL: `http://127.0.0.1:${hubPort}`,
      DATABASE_URL: databaseUrl, REDIS_URL, REDIS_PREFIX: redisPrefix,
      KEY_ENCRYPTION_KEY: randomKeyEncryptionKey(), LOG_LEVEL: 'warn', DEMO_CASHLESS_URL,
      // The load comes from one client at one address: the throttles (docs/security.md) are not what is measured.
      THROTTLE_TOKEN_PER_CLIENT_PER_MINUTE: '1000000', THROTTLE_TOKEN_PER_ADDRESS_PER_MINUTE: '1000000',
    }, hubPort, { nodeArgs: HUB_NODE_ARGS });
    cleanups.push(() => hub.stop());
    out(`Hub up on ${hub.url} (pid ${hub.pid}) in ${fmt((performance.now() - started) / 1000, 1)} s`);

    const tokens = await codeFlowTokens(`${hub.url}/oidc`, CLIENT_ID, CLIENT_SECRET, `${DEMO_CASHLESS_URL}/auth/callback`, RESIDENT);
    if (!tokens.refresh_token) throw new Error('the code flow returned no refresh token');
    const hubTarget = tokenRequest(hubPort, '/oidc/token', tokens.refresh_token);

    // The whole run replays one refresh token: check that the hub does not rotate it (oidc-provider
    // rotates for public clients, or once 70 % of the token's life has passed; demo-cashless is
    // confidential and the token is fresh).
    const probe = keepAliveAgent(1);
    for (let i = 0; i < 3; i++) {
      const { status, body } = await sendForBody(probe, hubTarget);
      if (status !== 200) throw new Error(`refresh grant failed with ${status}: ${body}`);
      const answer = JSON.parse(body) as { refresh_token?: string; id_token?: string };
      if (answer.refresh_token !== tokens.refresh_token) throw new Error('the hub rotated the refresh token: this benchmark assumes it can replay one');
      if (i === 0) out(`Hub refresh grant: ${body.length}-byte answer; ID token claims ${Object.keys(decodeJwt(answer.id_token!)).join(', ')}`);
    }
    probe.destroy();
    out('The refresh token is not rotated: every request replays it.');

    // --- The bare server: same database, its own small table. -----------------------------------
    const accountIds = await prepareBareTable(databaseUrl);
    const barePort = await freePort();
    const bare = await startProcess('bench/support/bare-server.js', {
      PORT: String(barePort), DATABASE_URL: databaseUrl, ISSUER: `http://127.0.0.1:${barePort}`,
      CLIENT_ID, CLIENT_SECRET,
    }, barePort);
    cleanups.push(() => bare.stop());
    const bareTarget = tokenRequest(barePort, '/token', accountIds[0]);
    const checkAgent = keepAliveAgent(1);
    const check = await sendForBody(checkAgent, bareTarget);
    checkAgent.destroy();
    if (check.status !== 200) throw new Error(`bare server answered ${check.status}: ${check.body}`);
    out(`Bare server up on ${bare.url} (pid ${bare.pid}); ${check.body.length}-byte answer; ID token claims ${Object.keys(decodeJwt((JSON.parse(check.body) as { id_token: string }).id_token)).join(', ')}`);

    // --- Load: phases alternate between the two servers so that noise hits both alike. -----------
    const subjects: Subject[] = [hub, bare].map((server, i) => ({
      name: i === 0 ? 'hub' : 'bare', server, target: i === 0 ? hubTarget : bareTarget,
      memory: new MemorySampler(server.pid), idleRss: readMemory(server.pid)?.rss ?? NaN, warmupErrors: 0, rounds: [],
    }));
    for (const s of subjects) s.memory.start();
    out(`Warm-up: ${WARMUP_MS / 1000} s each at concurrency ${CONCURRENCY}`);
    for (const s of subjects) s.warmupErrors = (await closedLoop(s.target, CONCURRENCY, WARMUP_MS)).errors;
    for (let r = 0; r < ROUNDS; r++) {
      out(`Round ${r + 1} of ${ROUNDS}`);
      const order = r % 2 === 0 ? subjects : [...subjects].reverse();
      const sat = new Map<Subject, Awaited<ReturnType<typeof saturate>>>();
      for (const s of order) sat.set(s, await saturate(s));
      for (const s of order) {
        const first = sat.get(s)!;
        const halfRate = first.saturation.throughput / 2;
        s.rounds.push({ ...first, halfRate, ...(await halfLoad(s, halfRate)) });
      }
    }
    for (const s of subjects) s.memory.stop();
    await bare.stop();
    await hub.stop();

    report(subjects[0], subjects[1]);
  } finally {
    await cleanup();
  }
}

function report(hub: Subject, bare: Subject): void {
  const m = (s: Subject, f: (r: Round) => number) => median(s.rounds.map(f));
  const ratio = (f: (r: Round) => number) => `${fmt(m(hub, f) / m(bare, f), 2)}×`;
  const both = (f: (r: Round) => number, digits: number) => [fmt(m(hub, f), digits), fmt(m(bare, f), digits)];
  const errors = (s: Subject) => s.warmupErrors + s.rounds.reduce((n, r) => n + r.saturation.errors + r.latency.errors, 0);
  const thr = (r: Round) => r.saturation.throughput;
  out();
  out(`Results${ROUNDS > 1 ? ` (median of ${ROUNDS} rounds)` : ''}: refresh-token grant, keep-alive, 127.0.0.1; latency from each request's scheduled send time`);
  out();
  out(table([
    ['', 'hub', 'bare', 'hub/bare'],
    [`throughput at saturation (req/s, C=${CONCURRENCY})`, ...both(thr, 0), ratio(thr)],
    ['  latency at saturation p50 / p99 (ms)', `${fmt(m(hub, (r) => r.saturation.p50), 1)} / ${fmt(m(hub, (r) => r.saturation.p99), 1)}`, `${fmt(m(bare, (r) => r.saturation.p50), 1)} / ${fmt(m(bare, (r) => r.saturation.p99), 1)}`, ''],
    ['open loop at half saturation (req/s)', ...both((r) => r.halfRate, 0), ''],
    ['  achieved (req/s)', ...both((r) => r.latency.throughput, 0), ''],
    ['  p50 (ms)', ...both((r) => r.latency.p50, 2), ratio((r) => r.latency.p50)],
    ['  p90 (ms)', ...both((r) => r.latency.p90, 2), ratio((r) => r.latency.p90)],
    ['  p99 (ms)', ...both((r) => r.latency.p99, 2), ratio((r) => r.latency.p99)],
    ['  max (ms)', ...both((r) => r.latency.max, 1), ''],
    ['peak RSS during the load (VmRSS, sampled 10/s)', mb(hub.memory.peakRss), mb(bare.memory.peakRss), `${fmt(hub.memory.peakRss / bare.memory.peakRss, 2)}×`],
    ['  RSS before the load', mb(hub.idleRss), mb(bare.idleRss), ''],
    ['  VmHWM (peak since start, start-up included)', mb(hub.memory.hwm), mb(bare.memory.hwm), ''],
    ['CPU at saturation (one core = 100 %): server', ...both((r) => r.cpu.servers.server * 100, 0).map((v) => `${v} %`), ''],
    ['  load generator (this process)', ...both((r) => r.cpu.loadgen * 100, 0).map((v) => `${v} %`), ''],
    ['  PostgreSQL + Redis', ...both((r) => r.cpu.stores * 100, 0).map((v) => `${v} %`), ''],
    ['  other work on the machine', ...both((r) => r.cpu.other * 100, 0).map((v) => `${v} %`), ''],
    [`  whole machine busy (all ${readMachineCpu().cores} cores)`, ...both((r) => r.cpu.machine * 100, 0).map((v) => `${v} %`), ''],
    ['CPU in the open loop: server', ...both((r) => r.latencyCpu.servers.server * 100, 0).map((v) => `${v} %`), ''],
    ['  other work on the machine', ...both((r) => r.latencyCpu.other * 100, 0).map((v) => `${v} %`), ''],
    ['errors (all phases)', String(errors(hub)), String(errors(bare)), ''],
  ]));
  for (const s of [hub, bare]) {
    const first = s.rounds.map((r) => r.saturation.firstError ?? r.latency.firstError).find(Boolean);
    if (first) out(`  ${s.name}: first error: ${first}`);
  }
  out();
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const tRatio = m(hub, thr) / m(bare, thr);
  const p99 = m(hub, (r) => r.latency.p99);
  const checks = [
    [`hub throughput ≥ ${GOALS.throughputRatio}× bare`, `${fmt(tRatio, 2)}×`, tRatio >= GOALS.throughputRatio],
    [`hub p99 ≤ ${GOALS.p99Ms} ms at half saturation`, `${fmt(p99, 2)} ms`, p99 <= GOALS.p99Ms],
    [`hub RSS ≤ ${mb(GOALS.rssBytes)}`, mb(hub.memory.peakRss), hub.memory.peakRss <= GOALS.rssBytes],
  ] as const;
  out('Goals:');
  for (const [goal, value, ok] of checks) out(`  ${verdict(ok)}  ${goal}: ${value}`);
  const noise = Math.max(...[hub, bare].flatMap((s) => s.rounds.flatMap((r) => [r.cpu.other, r.latencyCpu.other])));
  if (noise > 0.1) out(`  NOTE  other work used up to ${pct(noise)} of a core during a phase: the machine was not quiet; rerun for cleaner figures`);
  if (errors(hub) + errors(bare) > 0) out('  NOTE  some requests failed; they are counted in the throughput and latency above');
  out();
  out('The load generator (this process), PostgreSQL and Redis run on the same machine and compete with the server for the CPU.');
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
