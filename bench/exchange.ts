/**
 * Exchange benchmark: the peer-to-peer data path with real processes, in one run on one machine.
 *
 *   npm run bench:exchange       (builds, then runs node dist/bench/exchange.js)
 *
 * 1. Latency and throughput of an exchange: consumer connector SDK → hub grant (reused within its
 *    lifetime) → provider connector → the Misasa demo app's internal API (DEMO_STORE=memory),
 *    beside a direct call to the same API and a bare Node pass-through proxy in front of it.
 * 2. Opt-out under load (issue #14): the resident withdraws through the portal's API while
 *    BENCH_OPTOUT_LOOPS consumer loops keep asking; the hub's pushes to the consumer and to the
 *    provider pass a proxy in front of each one's public URL (bench/support/push-proxy.ts) that
 *    delays them (answer latency, answer → enforced, data sent after the answer: must be none),
 *    then cuts them (the "enforced by" bound the answer states, the last data, data sent after
 *    the bound: must be none). The run exits non-zero if any such exchange returned data.
 * 3. Resident memory of an idle and of a loaded connector.
 * 4. The durable provision report (docs/connector.md §8): exchange throughput at saturation with
 *    the fsync'd outbox (as shipped) and with the report kept in memory (the baseline,
 *    bench/support/bench-connector.ts), with reused grants (one report per grant) and with a
 *    report per exchange (the worst case), each beside the bare proxy of part 1; and the outbox
 *    file alone on this disk (one write at a time, then BENCH_CONCURRENCY writers: group commit).
 *
 * Needs the local PostgreSQL (postgres://postgres@127.0.0.1:5432) and Redis (127.0.0.1:6379). It
 * creates a database tsunagu_bench_<run>, Redis keys under tsunagu-bench-<run>: and a temporary
 * directory for the connectors' configuration and key files, and removes all three at the end.
 * Knobs (environment): BENCH_CONNECTORS (50, all connector processes counted), BENCH_CONCURRENCY
 * (32), BENCH_SECONDS per phase (4), BENCH_RATE (1000 req/s), BENCH_OPTOUT_ROUNDS (100),
 * BENCH_OPTOUT_CUT_ROUNDS (10), BENCH_OPTOUT_LOOPS (8), BENCH_OPTOUT_DELAY_MS (50),
 * BENCH_OPTOUT_AFTER_MS (300), BENCH_DURABILITY_BLOCKS (1: part 4's phases per store and workload, ×2),
 * BENCH_CONNECTOR_NODE_ARGS (extra node flags for the connectors, e.g. a profiler). See
 * docs/benchmarks.md.
 */
import { cleanupStack } from './support/cleanups';
import { describeOptOuts, hubSideAcks, optOutRounds, type OptOutSetup, startWithdrawn } from './support/opt-out';
import { pushProxyControl } from './support/push-proxy';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { loadConnectorConfigFile } from '../apps/connector/src/config/connector-file';
import { CONNECTOR_NODE_FLAGS } from '../apps/connector/src/runtime-flags';
import { HUB_NODE_FLAGS } from '../apps/hub/src/runtime-flags';
import { BrowserAgent, formAction, hiddenFields, testCardEnv, verifyWithTestCard } from '@tsunagu/testing';
import { connectorEntry, cpuPerExchange, durabilityOrder, emptyResults, measureOutbox, meanThroughput, type Store, type Workload } from './support/durability';
import { createBenchDatabase, deleteRedisKeys, dropBenchDatabase, randomKeyEncryptionKey, REDIS_URL } from './support/environment';
import { closedLoop, keepAliveAgent, openLoop, type PhaseResult, sendForBody, type Target } from './support/load';
import { type BenchProcess, cpuWindow, type CpuShares, freePort, machineBeforeRun, MemorySampler, readMachineCpu, readMemory, ROOT, startProcess } from './support/processes';

const execFileAsync = promisify(execFile);

const CONNECTORS = Math.max(3, Number(process.env.BENCH_CONNECTORS ?? 50));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const PHASE_MS = Number(process.env.BENCH_SECONDS ?? 4) * 1000;
const WARMUP_MS = 2000;
const RATE = Number(process.env.BENCH_RATE ?? 1000);
/** Opt-outs with the push delayed, and with it cut; consumer loops asking meanwhile; the delay; how long the loops ask after a (delayed-push) answer. */
const OPTOUT_ROUNDS = Number(process.env.BENCH_OPTOUT_ROUNDS ?? 100);
const OPTOUT_CUT_ROUNDS = Number(process.env.BENCH_OPTOUT_CUT_ROUNDS ?? 10);
const OPTOUT_LOOPS = Number(process.env.BENCH_OPTOUT_LOOPS ?? 8);
const OPTOUT_DELAY_MS = Number(process.env.BENCH_OPTOUT_DELAY_MS ?? 50);
const OPTOUT_AFTER_MS = Number(process.env.BENCH_OPTOUT_AFTER_MS ?? 300);
/** The hub's REVOCATION_STALENESS_SECONDS (its default): the bound an answer states when a provider has not acknowledged. */
const HUB_STALENESS_MS = 6000;
const PULL_INTERVAL_S = 1;
/** How many times part 4 runs its durable, in-memory, in-memory, durable phases per workload. */
const DURABILITY_BLOCKS = Math.max(1, Number(process.env.BENCH_DURABILITY_BLOCKS ?? 1));
/** How many connector processes start at once (each is a Nest app: about a second of CPU). */
const START_BATCH = 4;
/** Extra node flags for the connector processes (e.g. a profiler's --require), after CONNECTOR_NODE_FLAGS. */
const CONNECTOR_NODE_ARGS = [...CONNECTOR_NODE_FLAGS, ...(process.env.BENCH_CONNECTOR_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)];

const GOALS = { addedP50Ms: 1, addedP99Ms: 3, throughputRatio: 0.5, rssBytes: 80 * 1000 * 1000, durableRatio: 0.9 };
const HEALTH_POINTS = 'cashless.health-points';
const STEPS = 'misasa-health.daily-steps';
const VISITS = 'misasa-health.onsen-visits';
const RESIDENT = { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' };

const out = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of the portal and connectors, checked where used
type Json = any;

function fmt(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}
const mb = (bytes: number) => `${fmt(bytes / 1e6, 0)} MB`;
const pct = (share: number) => `${fmt(share * 100, 0)} %`;

function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r, ri) => {
    const line = r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('   ');
    return ri === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('   ')}` : line;
  }).join('\n');
}

function japanDate(offsetDays = 0): string {
  return new Date(Date.now() + 9 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function inBatches<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  }));
  return results;
}

const describeCpu = (c: CpuShares) =>
  `${Object.entries(c.servers).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}, load generator ${pct(c.loadgen)}, PostgreSQL+Redis ${pct(c.stores)}, other ${pct(c.other)} (machine ${pct(c.machine)} busy)`;

interface Subject {
  name: 'exchange' | 'proxy' | 'direct';
  target: Target;
  pids: Record<string, number>;
  saturation?: PhaseResult;
  saturationCpu?: CpuShares;
  fixed?: PhaseResult;
  fixedCpu?: CpuShares;
  /** Open loop at half the exchange path's saturation rate (a rate all three sustain). */
  half?: PhaseResult;
}

/**
 * startProcess, tried again (up to 3 times, 3 s apart) when the child died of MODULE_NOT_FOUND:
 * other builds write the shared dist/ and its path aliases are missing for a few seconds after
 * each tsc run, until tsc-alias has rewritten them.
 */
async function startBuilt(entry: string, env: Record<string, string>, port: number, opts: Parameters<typeof startProcess>[3] = {}): Promise<BenchProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startProcess(entry, env, port, opts);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof Error) || !error.message.includes('MODULE_NOT_FOUND')) throw error;
      out(`  ${entry}: MODULE_NOT_FOUND (dist/ being rebuilt by someone else); retrying in 3 s`);
      await sleep(3000);
    }
  }
}

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const dbName = `tsunagu_bench_${run}`;
  const redisPrefix = `tsunagu-bench-${run}:`;
  const dir = mkdtempSync(join(tmpdir(), `tsunagu-bench-${run}-`));
  const { cleanups, cleanup } = cleanupStack();
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const runStart = performance.now();

  try {
    out(`Exchange benchmark (run ${run}): Node ${process.version}, ${CONNECTORS} connector processes, concurrency ${CONCURRENCY}, ${PHASE_MS / 1000} s per phase, fixed rate ${RATE} req/s`);
    for (const line of await machineBeforeRun()) out(line);

    const databaseUrl = await createBenchDatabase(dbName);
    cleanups.push(() => dropBenchDatabase(dbName));
    cleanups.push(() => deleteRedisKeys(redisPrefix));

    // --- Hub, demo backend, bare proxy ------------------------------------------------------------
    const [hubPort, demoPort, proxyPort] = [await freePort(), await freePort(), await freePort()];
    let t = performance.now();
    const hub = await startBuilt('apps/hub/src/main.js', {
      PORT: String(hubPort), PUBLIC_URL: `http://127.0.0.1:${hubPort}`,
      DATABASE_URL: databaseUrl, REDIS_URL, REDIS_PREFIX: redisPrefix,
      KEY_ENCRYPTION_KEY: randomKeyEncryptionKey(), LOG_LEVEL: 'warn',
      DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', DEMO_MISASA_URL: `http://127.0.0.1:${demoPort}`,
      // The load comes from one address: the throttles (docs/security.md) are not what is measured.
      THROTTLE_CONNECT_PER_ADDRESS_PER_MINUTE: '1000000', THROTTLE_TOKEN_PER_CLIENT_PER_MINUTE: '1000000', THROTTLE_TOKEN_PER_ADDRESS_PER_MINUTE: '1000000',
      // The test card: cashless.health-points requires a verified identity.
      ...testCardEnv(),
    }, hubPort, { nodeArgs: HUB_NODE_FLAGS });
    cleanups.push(() => hub.stop());
    out(`Hub up on ${hub.url} (pid ${hub.pid}) in ${fmt((performance.now() - t) / 1000, 1)} s`);
    const demo = await startBuilt('apps/demo-misasa-health/src/main.js', {
      DEMO_STORE: 'memory', DEMO_MISASA_HOST: '127.0.0.1', DEMO_MISASA_PORT: String(demoPort),
      DEMO_MISASA_PUBLIC_URL: `http://127.0.0.1:${demoPort}`, HUB_URL: hub.url, LOG_LEVEL: 'warn',
    }, demoPort);
    cleanups.push(() => demo.stop());
    const proxy = await startProcess('bench/support/pass-proxy.js', { PORT: String(proxyPort), UPSTREAM_PORT: String(demoPort) }, proxyPort, { healthPath: '/proxy-health' });
    cleanups.push(() => proxy.stop());
    out(`Demo backend (demo-misasa-health, DEMO_STORE=memory) pid ${demo.pid}; bare proxy pid ${proxy.pid}`);

    // --- Resident, links, permission, portal session (as the e2e test sets them up) ----------------
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    cleanups.push(() => db.end());
    const agent = new BrowserAgent();
    const start = await agent.follow(`${hub.url}/account/login`);
    const loginPage = await start.res.text();
    await agent.follow(formAction(loginPage, '/login', start.url)!, { form: { ...hiddenFields(loginPage, '/login'), ...RESIDENT } });
    let csrf = '';
    const portalFetch = (method: string, path: string, body?: unknown): Promise<Response> => {
      const url = `${hub.url}${path}`;
      return fetch(url, {
        method,
        headers: { cookie: agent.cookieHeader(new URL(url)), ...(body === undefined ? {} : { 'content-type': 'application/json', 'x-csrf-token': csrf }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    };
    const portal = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
      const res = await portalFetch(method, path, body);
      return { status: res.status, body: await res.json() };
    };
    csrf = (await portal('GET', '/api/v1/portal/me')).body.csrfToken;
    await verifyWithTestCard(agent, hub.url);
    await db.query(`INSERT INTO service_links (tenant_id, service_id, resident_id, local_id)
      SELECT s.tenant_id, s.id, r.id, v.local_id FROM (VALUES ('demo-cashless', 'C-0001'), ('demo-misasa-health', 'MH-0001')) AS v(client_id, local_id)
      JOIN services s ON s.client_id = v.client_id JOIN residents r ON r.login_id = $1`, [RESIDENT.loginId]);
    // The demo seed has Misasa's tenant approve the health-points use (an agreement): nothing to grant here.

    // --- Connectors: configuration files, connector:register, approval ----------------------------
    interface Spec { name: string; base: 'cashless' | 'misasa-health'; port: number; publicPort: number; file: string; keyFile: string; id?: string; proc?: BenchProcess }
    const specs: Spec[] = [];
    /** behindProxy: the connector's public URL (registered as its base_url) is a push proxy in front of it. */
    const addSpec = async (name: string, base: Spec['base'], behindProxy = false) => {
      const port = await freePort();
      const publicPort = behindProxy ? await freePort() : port;
      const { source: _source, hub: _hub, keys: _keys, ...raw } = loadConnectorConfigFile(join(ROOT, 'connector-configs', `${base}.yaml`));
      const file = join(dir, `${name}.json`);
      const keyFile = join(dir, 'keys', `${name}.key.json`);
      writeFileSync(file, JSON.stringify({
        ...raw,
        connector: { ...raw.connector, name },
        hub: { url: hub.url },
        service: { ...raw.service, url: base === 'misasa-health' ? demo.url : 'http://127.0.0.1:39101', timeoutMs: 2000 },
        listen: { host: '127.0.0.1', port },
        publicUrl: `http://127.0.0.1:${publicPort}`,
        keys: { file: keyFile },
        revocations: { pullIntervalSeconds: PULL_INTERVAL_S, stalenessSeconds: 6, retainSeconds: 600 },
      }));
      const spec: Spec = { name, base, port, publicPort, file, keyFile };
      specs.push(spec);
      return spec;
    };
    // The consumer's public URL is only the hub's (pushes): its proxy is idle in part 1. Part 2's
    // provider is another one, so that part 1's peer exchanges do not pass a proxy.
    const consumer = await addSpec('cashless', 'cashless', true);
    const provider = await addSpec('misasa-health', 'misasa-health');
    const optOutProvider = await addSpec('misasa-health-optout', 'misasa-health', true);
    for (let i = 3; i < CONNECTORS; i++) await addSpec(`misasa-health-b${String(i).padStart(2, '0')}`, 'misasa-health');
    t = performance.now();
    await inBatches(specs, 6, async (s) => {
      await execFileAsync(process.execPath, [join(ROOT, 'dist/apps/connector/src/cli/register.js'), '--config', s.file, '--no-wait'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } });
      s.id = (JSON.parse(readFileSync(s.keyFile.replace(/\.json$/, '.registration.json'), 'utf8')) as { connectorId: string }).connectorId;
    });
    out(`Registered ${specs.length} connectors with connector:register in ${fmt((performance.now() - t) / 1000, 1)} s`);
    // All approved; the measured provider last, so that the hub's grants name it (newest approval).
    await db.query(`UPDATE connectors SET status = 'approved', status_changed_at = now() - interval '1 hour'`);
    const grantsGoTo = (id: string) => db.query(`UPDATE connectors SET status_changed_at = now() - interval '1 hour' + (CASE WHEN id = $1 THEN interval '30 minutes' ELSE interval '0' END)`, [id]);
    await grantsGoTo(provider.id!);

    const pushProxyPort = await freePort();
    const pushProxyProc = await startBuilt('bench/support/push-proxy.js', {
      PUSH_PROXIES: [consumer, optOutProvider].map((s) => `${s.publicPort}:${s.port}`).join(','), CONTROL_PORT: String(pushProxyPort),
    }, pushProxyPort);
    cleanups.push(() => pushProxyProc.stop());
    const pushProxy = pushProxyControl(pushProxyProc.url);
    const startConnector = async (s: Spec) => {
      s.proc = await startBuilt('apps/connector/src/main.js', { CONNECTOR_CONFIG: s.file, LOG_LEVEL: 'warn' }, s.port, { nodeArgs: CONNECTOR_NODE_ARGS });
      cleanups.push(() => s.proc!.stop());
    };
    t = performance.now();
    await inBatches(specs, START_BATCH, startConnector);
    out(`Started ${specs.length} connector processes (${START_BATCH} at a time) in ${fmt((performance.now() - t) / 1000, 1)} s`);
    const fresh = async (s: Spec) => ((await (await fetch(`${s.proc!.url}/health`)).json()) as Json).revocations?.fresh === true;
    const deadline = Date.now() + 30_000;
    for (const s of specs.filter((x) => x.base === 'misasa-health')) {
      while (!(await fresh(s))) {
        if (Date.now() > deadline) throw new Error(`${s.name} never synced its revocation feed:\n${s.proc!.output()}`);
        await sleep(100);
      }
    }
    out(`All ${specs.length - 1} provider connectors have pulled the hub's revocation feed`);

    const consent = await portal('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS, VISITS], expectedVersion: 0 });
    if (consent.status !== 201) throw new Error(`consent failed: ${consent.status} ${JSON.stringify(consent.body)}`);

    // --- Part 1: latency and throughput --------------------------------------------------------
    const sdkBody = Buffer.from(JSON.stringify({ localId: 'C-0001', dataUse: HEALTH_POINTS, purpose: 'health-points', items: [STEPS] }));
    const sdkTarget: Target = { port: consumer.port, path: '/sdk/v1/requests', body: sdkBody, headers: { 'content-type': 'application/json', 'content-length': sdkBody.length, accept: 'application/json' } };
    const backendPath = `/internal/v1/users/MH-0001/daily-steps?from=${japanDate(-13)}&to=${japanDate(0)}`;
    const get = (port: number): Target => ({ port, method: 'GET', path: backendPath, body: Buffer.alloc(0), headers: { accept: 'application/json' } });
    const check = keepAliveAgent(1);
    let sdkCheck = await sendForBody(check, sdkTarget);
    // The first exchange after 50 connectors started can meet a hub still busy with their first pulls (3 s hub timeout).
    for (let i = 0; i < 3 && sdkCheck.status === 503; i++) {
      out(`  first exchange: ${sdkCheck.status} ${(JSON.parse(sdkCheck.body) as Json).error?.code}; trying again in 3 s`);
      await sleep(3000);
      sdkCheck = await sendForBody(check, sdkTarget);
    }
    if (sdkCheck.status !== 200) throw new Error(`exchange failed: ${sdkCheck.status} ${sdkCheck.body}\nconsumer:\n${consumer.proc!.output().slice(-3000)}\nprovider:\n${provider.proc!.output().slice(-3000)}\nhub:\n${hub.output().slice(-3000)}`);
    const directCheck = await sendForBody(check, get(demoPort));
    const proxyCheck = await sendForBody(check, get(proxyPort));
    check.destroy();
    if (directCheck.status !== 200 || proxyCheck.status !== 200) throw new Error(`backend: ${directCheck.status} ${directCheck.body}; proxy: ${proxyCheck.status}`);
    const days = (JSON.parse(sdkCheck.body) as Json).items[STEPS].length as number;
    out(`Exchange: ${sdkCheck.body.length}-byte answer (${days} days of steps); backend direct: ${directCheck.body.length}-byte answer for ${backendPath}`);

    const provPid = provider.proc!.pid;
    const subjects: Subject[] = [
      { name: 'exchange', target: sdkTarget, pids: { consumer: consumer.proc!.pid, provider: provPid, hub: hub.pid, backend: demo.pid } },
      { name: 'proxy', target: get(proxyPort), pids: { proxy: proxy.pid, backend: demo.pid } },
      { name: 'direct', target: get(demoPort), pids: { backend: demo.pid } },
    ];
    const consumerMem = new MemorySampler(consumer.proc!.pid).start();
    const providerMem = new MemorySampler(provPid).start();
    const idleSpec = specs[specs.length - 1];
    const rssBeforeLoad = { consumer: readMemory(consumer.proc!.pid)?.rss ?? NaN, provider: readMemory(provPid)?.rss ?? NaN };
    const grants0 = Number((await db.query(`SELECT count(*) AS n FROM audit_events WHERE type = 'grant.issued'`)).rows[0].n);
    out(`Warm-up: ${WARMUP_MS / 1000} s each at concurrency ${CONCURRENCY}`);
    for (const s of subjects) await closedLoop(s.target, CONCURRENCY, WARMUP_MS);
    let exchangesSent = 0;
    for (const s of subjects) {
      const stop = cpuWindow(s.pids);
      s.saturation = await closedLoop(s.target, CONCURRENCY, PHASE_MS);
      s.saturationCpu = stop();
      if (s.name === 'exchange') exchangesSent += s.saturation.completed;
      out(`  ${s.name.padEnd(8)} saturation ${fmt(s.saturation.throughput, 0).padStart(6)} req/s, ${s.saturation.errors} errors; CPU: ${describeCpu(s.saturationCpu)}`);
    }
    for (const s of subjects) {
      if (s.saturation!.throughput < RATE * 0.9) {
        // Offered more than it can serve, an open loop only measures a growing queue, and draining
        // RATE × PHASE requests at the saturation rate would take minutes: skipped, reported as such.
        out(`  ${s.name.padEnd(8)} ${RATE} req/s: skipped, the path saturates at ${fmt(s.saturation!.throughput, 0)} req/s on this machine now`);
        continue;
      }
      const stop = cpuWindow(s.pids);
      s.fixed = await openLoop(s.target, RATE, PHASE_MS, CONCURRENCY);
      s.fixedCpu = stop();
      if (s.name === 'exchange') exchangesSent += s.fixed.completed;
      out(`  ${s.name.padEnd(8)} ${RATE} req/s: p50 ${fmt(s.fixed.p50, 2)} ms, p99 ${fmt(s.fixed.p99, 2)} ms, ${s.fixed.errors} errors; CPU: ${describeCpu(s.fixedCpu)}`);
    }
    const halfRate = Math.max(10, Math.floor(subjects[0].saturation!.throughput / 2));
    for (const s of subjects) {
      s.half = await openLoop(s.target, halfRate, PHASE_MS, CONCURRENCY);
      if (s.name === 'exchange') exchangesSent += s.half.completed;
      out(`  ${s.name.padEnd(8)} ${halfRate} req/s (half the exchange saturation): p50 ${fmt(s.half.p50, 2)} ms, p99 ${fmt(s.half.p99, 2)} ms, ${s.half.errors} errors`);
    }
    consumerMem.stop();
    providerMem.stop();
    const grantsIssued = Number((await db.query(`SELECT count(*) AS n FROM audit_events WHERE type = 'grant.issued'`)).rows[0].n) - grants0;
    for (const s of subjects) {
      const first = s.saturation!.firstError ?? s.fixed?.firstError;
      if (first) out(`  ${s.name}: first error: ${first}`);
    }

    // --- Part 2: opt-out under load (issue #14) ---------------------------------------------
    // Grants now name the provider behind the push proxy; the consumer is behind one too.
    await grantsGoTo(optOutProvider.id!);
    const optOutSetup: OptOutSetup = { portalFetch, sdk: sdkTarget, dataUse: HEALTH_POINTS, items: [STEPS, VISITS], loops: OPTOUT_LOOPS, provider: optOutProvider.id! };
    const optOutConsent = await startWithdrawn(optOutSetup);
    const optOutPids = { hub: hub.pid, consumer: consumer.proc!.pid, provider: optOutProvider.proc!.pid, 'push proxy': pushProxyProc.pid };
    out(`Opt-out under load: ${OPTOUT_ROUNDS} opt-outs with the hub's pushes to ${consumer.name} and ${optOutProvider.name} delayed ${OPTOUT_DELAY_MS} ms, then ${OPTOUT_CUT_ROUNDS} with them cut; ${OPTOUT_LOOPS} consumer loops asking`);
    await pushProxy.setPath({ kind: 'delay', ms: OPTOUT_DELAY_MS });
    const delayedCpu = cpuWindow(optOutPids);
    const delayedRounds = await optOutRounds(optOutSetup, optOutConsent, OPTOUT_ROUNDS, { jitterMs: 200, keepAskingMs: () => OPTOUT_AFTER_MS });
    const delayedCpuShares = delayedCpu();
    const delayedPushes = await pushProxy.stats();
    await pushProxy.setPath({ kind: 'cut' });
    const cutCpu = cpuWindow(optOutPids);
    // Withdrawals spread over the whole pull cycle; the loops ask until just past the moment the answer names.
    const cutRounds = await optOutRounds(optOutSetup, optOutConsent, OPTOUT_CUT_ROUNDS, { jitterMs: PULL_INTERVAL_S * 1000, keepAskingMs: (answeredAt, e) => Date.parse(e.enforcedBy) - answeredAt + 500 });
    const cutCpuShares = cutCpu();
    const cutPushes = await pushProxy.stats();
    await pushProxy.setPath({ kind: 'pass' });
    const optOut = describeOptOuts(delayedRounds, cutRounds, { delayMs: OPTOUT_DELAY_MS, loops: OPTOUT_LOOPS, hubAcks: await hubSideAcks(db, delayedRounds), stalenessMs: HUB_STALENESS_MS });
    const deliveries = (await db.query(`SELECT count(*)::int AS n, count(acked_at)::int AS acked, count(DISTINCT connector_id)::int AS connectors FROM revocation_deliveries`)).rows[0] as { n: number; acked: number; connectors: number };
    const running = specs.filter((s) => s.proc && s.proc.child.exitCode === null).length;

    // --- Part 3: memory -------------------------------------------------------------------------
    const idleMemory = readMemory(idleSpec.proc!.pid);
    const idleRss = idleMemory?.rss ?? NaN;
    const allRss = specs.map((s) => readMemory(s.proc!.pid)?.rss ?? NaN).filter(Number.isFinite);

    // --- Part 4: the durable provision report, and without it ---------------------------------
    // The measured pair is restarted for each variant (the store is chosen at start), with the
    // consent active again and the grants naming the measured provider (part 2 left neither so).
    const currentConsent = async (): Promise<{ consentId: string; version: number; state: string }> =>
      (await portal('GET', '/api/v1/portal/consents')).body.find((c: Json) => c.dataUse.code === HEALTH_POINTS).consent;
    let current = await currentConsent();
    if (current.state !== 'active') {
      const again = await portal('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS, VISITS], expectedVersion: current.version });
      if (again.status !== 201) throw new Error(`re-consent failed: ${again.status} ${JSON.stringify(again.body)}`);
      current = await currentConsent();
    }
    await grantsGoTo(provider.id!);
    const durability = emptyResults();
    let runningVariant = '';
    const order = durabilityOrder(DURABILITY_BLOCKS);
    out(`Durable provision report: ${order.length} saturation phases of ${PHASE_MS / 1000} s (C=${CONCURRENCY}), consumer and provider restarted for each store`);
    for (const { workload, store } of order) {
      const variant = `${workload}/${store}`;
      if (variant !== runningVariant) {
        const { entry, env } = connectorEntry(workload, store);
        await Promise.all([consumer.proc!.stop(), provider.proc!.stop()]);
        [consumer.proc, provider.proc] = await Promise.all([consumer, provider].map((s) =>
          startBuilt(entry, { CONNECTOR_CONFIG: s.file, LOG_LEVEL: 'warn', ...env }, s.port, { nodeArgs: CONNECTOR_NODE_ARGS })));
        const synced = Date.now() + 30_000;
        while (!(await fresh(provider))) {
          if (Date.now() > synced) throw new Error(`${provider.name} never synced its revocation feed after the restart:\n${provider.proc!.output()}`);
          await sleep(100);
        }
        const check = keepAliveAgent(1);
        const first = await sendForBody(check, sdkTarget);
        check.destroy();
        if (first.status !== 200) throw new Error(`exchange (${variant}) failed: ${first.status} ${first.body}`);
        await closedLoop(sdkTarget, CONCURRENCY, WARMUP_MS);
        runningVariant = variant;
      }
      const stopCpu = cpuWindow({ consumer: consumer.proc!.pid, provider: provider.proc!.pid, hub: hub.pid, backend: demo.pid });
      const result = await closedLoop(sdkTarget, CONCURRENCY, PHASE_MS);
      const { servers } = stopCpu();
      // Share of a core × seconds = CPU seconds; per exchange, in ms.
      const perExchange = (share: number) => (share * result.elapsedMs) / Math.max(1, result.completed);
      const phase = { ...result, connectorsCpuMs: perExchange(servers.consumer + servers.provider), pathCpuMs: perExchange(Object.values(servers).reduce((a, b) => a + b, 0)) };
      durability[workload][store].push(phase);
      out(`  ${variant.padEnd(16)} ${fmt(phase.throughput, 0).padStart(6)} req/s, p50 ${fmt(phase.p50, 1)} ms, p99 ${fmt(phase.p99, 1)} ms, CPU per exchange: connectors ${fmt(phase.connectorsCpuMs, 2)} ms, whole path ${fmt(phase.pathCpuMs, 2)} ms, ${phase.errors} errors${phase.firstError ? ` (first: ${phase.firstError})` : ''}`);
    }
    const outboxAlone = await measureOutbox(dir, CONCURRENCY, 2000);

    // --- Report -----------------------------------------------------------------------------
    const [ex, px, dr] = subjects;
    out();
    out(`Results: one exchange = SDK call with one item (${STEPS}), keep-alive, 127.0.0.1; latency from each request's scheduled send time`);
    out();
    const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${fmt(a / b, 2)}×` : '-');
    const plus = (ms: number) => (Number.isFinite(ms) ? `+${fmt(ms, 2)} ms` : 'not run');
    out(table([
      ['', 'exchange', 'bare proxy', 'direct', 'exchange/proxy', 'exchange/direct'],
      [`throughput at saturation (req/s, C=${CONCURRENCY})`, fmt(ex.saturation!.throughput, 0), fmt(px.saturation!.throughput, 0), fmt(dr.saturation!.throughput, 0), ratio(ex.saturation!.throughput, px.saturation!.throughput), ratio(ex.saturation!.throughput, dr.saturation!.throughput)],
      ['  p50 / p99 at saturation (ms)', `${fmt(ex.saturation!.p50, 1)} / ${fmt(ex.saturation!.p99, 1)}`, `${fmt(px.saturation!.p50, 1)} / ${fmt(px.saturation!.p99, 1)}`, `${fmt(dr.saturation!.p50, 1)} / ${fmt(dr.saturation!.p99, 1)}`, '', ''],
      [`open loop at ${RATE} req/s: achieved`, ...subjects.map((s) => (s.fixed ? fmt(s.fixed.throughput, 0) : 'skipped')), '', ''],
      ['  p50 (ms)', fmt(ex.fixed?.p50 ?? NaN, 2), fmt(px.fixed?.p50 ?? NaN, 2), fmt(dr.fixed?.p50 ?? NaN, 2), ratio(ex.fixed?.p50 ?? NaN, px.fixed?.p50 ?? NaN), ratio(ex.fixed?.p50 ?? NaN, dr.fixed?.p50 ?? NaN)],
      ['  p99 (ms)', fmt(ex.fixed?.p99 ?? NaN, 2), fmt(px.fixed?.p99 ?? NaN, 2), fmt(dr.fixed?.p99 ?? NaN, 2), ratio(ex.fixed?.p99 ?? NaN, px.fixed?.p99 ?? NaN), ratio(ex.fixed?.p99 ?? NaN, dr.fixed?.p99 ?? NaN)],
      [`open loop at ${halfRate} req/s (half the exchange saturation): achieved`, fmt(ex.half!.throughput, 0), fmt(px.half!.throughput, 0), fmt(dr.half!.throughput, 0), '', ''],
      ['  p50 (ms)', fmt(ex.half!.p50, 2), fmt(px.half!.p50, 2), fmt(dr.half!.p50, 2), ratio(ex.half!.p50, px.half!.p50), ratio(ex.half!.p50, dr.half!.p50)],
      ['  p90 (ms)', fmt(ex.half!.p90, 2), fmt(px.half!.p90, 2), fmt(dr.half!.p90, 2), ratio(ex.half!.p90, px.half!.p90), ratio(ex.half!.p90, dr.half!.p90)],
      ['  p99 (ms)', fmt(ex.half!.p99, 2), fmt(px.half!.p99, 2), fmt(dr.half!.p99, 2), ratio(ex.half!.p99, px.half!.p99), ratio(ex.half!.p99, dr.half!.p99)],
      ['  max (ms)', fmt(ex.half!.max, 1), fmt(px.half!.max, 1), fmt(dr.half!.max, 1), '', ''],
      ['errors (all phases)', ...subjects.map((s) => String(s.saturation!.errors + (s.fixed?.errors ?? 0) + s.half!.errors)), '', ''],
    ]));
    const addedP50 = (ex.fixed?.p50 ?? NaN) - (dr.fixed?.p50 ?? NaN);
    const addedP99 = (ex.fixed?.p99 ?? NaN) - (dr.fixed?.p99 ?? NaN);
    out(`Added latency of the exchange path over the direct call at ${RATE} req/s: p50 ${plus(addedP50)}, p99 ${plus(addedP99)} (the bare proxy adds p50 ${plus((px.fixed?.p50 ?? NaN) - (dr.fixed?.p50 ?? NaN))}, p99 ${plus((px.fixed?.p99 ?? NaN) - (dr.fixed?.p99 ?? NaN))})`);
    out(`  at ${halfRate} req/s: exchange adds p50 +${fmt(ex.half!.p50 - dr.half!.p50, 2)} ms, p99 +${fmt(ex.half!.p99 - dr.half!.p99, 2)} ms; the bare proxy p50 +${fmt(px.half!.p50 - dr.half!.p50, 2)} ms, p99 +${fmt(px.half!.p99 - dr.half!.p99, 2)} ms`);
    const short = subjects.filter((s) => !s.fixed || s.fixed.throughput < RATE * 0.95).map((s) => s.name);
    if (short.length) out(`  NOTE  ${short.join(', ')} did not sustain ${RATE} req/s on this machine now (skipped, or latency there is a growing queue): the ${RATE} req/s goals cannot be met here; compare at ${halfRate} req/s above`);
    out(`Grants issued by the hub for ${exchangesSent} timed exchanges (and the warm-up): ${grantsIssued} (reusable grants, cached by the consumer connector until 5 s before their 30 s expiry)`);
    out();
    out(`Opt-out under load with ${running} connector processes running (the push goes to the connectors holding or serving a grant under the consent; ${provider.name}, part 1's provider, is among them for the 5 minutes after its last grant):`);
    for (const line of optOut.lines) out(line);
    out(`  Pushes through the proxy: ${Object.values(delayedPushes.pushes).reduce((a, b) => a + b, 0)} delayed, ${cutPushes.cut} cut (the hub retries). Revocation deliveries written by the hub: ${deliveries.n} to ${deliveries.connectors} connectors, ${deliveries.acked} acknowledged.`);
    out(`  CPU with the push delayed: ${describeCpu(delayedCpuShares)}`);
    out(`  CPU with the push cut: ${describeCpu(cutCpuShares)}`);
    out();
    out(`Connector RSS (VmRSS): idle provider (${idleSpec.name}, never asked for data) ${mb(idleRss)}; consumer ${mb(rssBeforeLoad.consumer)} before the load, peak ${mb(consumerMem.peakRss)} under load; measured provider ${mb(rssBeforeLoad.provider)} before, peak ${mb(providerMem.peakRss)}; all ${allRss.length} connectors: min ${mb(Math.min(...allRss))}, median ${mb(percentile(allRss, 50))}, max ${mb(Math.max(...allRss))}, total ${mb(allRss.reduce((a, b) => a + b, 0))}`);
    out(`  of which private (RssAnon): idle ${mb(idleMemory?.anon ?? NaN)}, consumer at its peak ${mb(consumerMem.anonAtPeak)}, provider at its peak ${mb(providerMem.anonAtPeak)}; the rest (RssFile, ${mb(idleMemory?.file ?? NaN)} idle) are the node binary's and ICU data's file pages, one copy for all Node processes on the machine`);
    out();
    const durableRatio = (w: Workload) => meanThroughput(durability[w].durable) / meanThroughput(durability[w].volatile);
    const cpuRatio = (w: Workload) => cpuPerExchange(durability[w].volatile, 'pathCpuMs') / cpuPerExchange(durability[w].durable, 'pathCpuMs');
    const phasesOf = (w: Workload, st: Store) => durability[w][st].map((p) => fmt(p.throughput, 0)).join(' / ');
    out(`Durable provision report (docs/connector.md §8): exchange throughput at saturation, req/s (mean of ${2 * DURABILITY_BLOCKS} phases: their figures in brackets; bare proxy from part 1: ${fmt(px.saturation!.throughput, 0)} req/s):`);
    out(table([
      ['', 'durable (fsync\'d outbox)', 'in memory (baseline)', 'durable/baseline', 'durable/bare proxy', 'baseline/bare proxy'],
      ...(['reused', 'every'] as const).map((w) => [
        w === 'reused' ? 'reused grants (as shipped: one report per grant)' : 'a report per exchange (worst case)',
        `${fmt(meanThroughput(durability[w].durable), 0)} (${phasesOf(w, 'durable')})`, `${fmt(meanThroughput(durability[w].volatile), 0)} (${phasesOf(w, 'volatile')})`,
        `${fmt(durableRatio(w), 2)}×`, ratio(meanThroughput(durability[w].durable), px.saturation!.throughput), ratio(meanThroughput(durability[w].volatile), px.saturation!.throughput),
      ]),
    ]));
    out('  CPU per exchange (all CPU of the phases over all their exchanges; hardly moved by other people\'s load, unlike throughput):');
    out(table([
      ['', 'connectors, durable', 'connectors, baseline', 'whole path, durable', 'whole path, baseline', 'baseline/durable (whole path)'],
      ...(['reused', 'every'] as const).map((w) => [
        w === 'reused' ? 'reused grants' : 'a report per exchange',
        `${fmt(cpuPerExchange(durability[w].durable, 'connectorsCpuMs'), 2)} ms`, `${fmt(cpuPerExchange(durability[w].volatile, 'connectorsCpuMs'), 2)} ms`,
        `${fmt(cpuPerExchange(durability[w].durable, 'pathCpuMs'), 2)} ms`, `${fmt(cpuPerExchange(durability[w].volatile, 'pathCpuMs'), 2)} ms`,
        `${fmt(cpuRatio(w), 2)}×`,
      ]),
    ]));
    const errorsOf = (w: Workload) => [...durability[w].durable, ...durability[w].volatile].reduce((n, p) => n + p.errors, 0);
    out(`  errors: reused grants ${errorsOf('reused')}, a report per exchange ${errorsOf('every')}. p99 at saturation: durable ${fmt(percentile(durability.every.durable.map((p) => p.p99), 50), 1)} ms vs baseline ${fmt(percentile(durability.every.volatile.map((p) => p.p99), 50), 1)} ms (a report per exchange)`);
    out(`  The outbox file alone on this disk: one write at a time p50 ${fmt(outboxAlone.singleP50, 2)} ms, p99 ${fmt(outboxAlone.singleP99, 2)} ms (each its own fsync); ${CONCURRENCY} writers at once ${fmt(outboxAlone.groupedPerSecond, 0)} reports/s, wait p50 ${fmt(outboxAlone.groupedP50, 2)} ms, p99 ${fmt(outboxAlone.groupedP99, 2)} ms, ${fmt(outboxAlone.perBatch, 1)} reports per fsync (group commit), ${fmt(outboxAlone.cpuMicrosPerReport, 0)} µs of CPU per report`);
    out();
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    const loadedRss = Math.max(consumerMem.peakRss, providerMem.peakRss);
    const tRatio = ex.saturation!.throughput / px.saturation!.throughput;
    const checks = [
      [`added latency p50 ≤ ${GOALS.addedP50Ms} ms at ${RATE} req/s`, plus(addedP50), addedP50 <= GOALS.addedP50Ms],
      [`added latency p99 ≤ ${GOALS.addedP99Ms} ms at ${RATE} req/s`, plus(addedP99), addedP99 <= GOALS.addedP99Ms],
      [`exchange throughput ≥ ${GOALS.throughputRatio}× the bare proxy`, `${fmt(tRatio, 2)}×`, tRatio >= GOALS.throughputRatio],
      ...optOut.checks,
      [`idle connector RSS ≤ ${mb(GOALS.rssBytes)}`, mb(idleRss), idleRss <= GOALS.rssBytes],
      [`loaded connector RSS ≤ ${mb(GOALS.rssBytes)} (peak of consumer and provider)`, mb(loadedRss), loadedRss <= GOALS.rssBytes],
      [`durable provision report costs ≤ ${fmt((1 - GOALS.durableRatio) * 100, 0)} % of exchange throughput (reused grants, as shipped)`, `${fmt(durableRatio('reused'), 2)}× the in-memory baseline`, durableRatio('reused') >= GOALS.durableRatio],
      [`durable provision report costs ≤ ${fmt((1 - GOALS.durableRatio) * 100, 0)} % of exchange throughput (a report per exchange)`, `${fmt(durableRatio('every'), 2)}× the in-memory baseline`, durableRatio('every') >= GOALS.durableRatio],
      [`durable provision report costs ≤ ${fmt((1 - GOALS.durableRatio) * 100, 0)} % of an exchange's CPU (a report per exchange; what bounds throughput on a CPU-bound machine)`, `${fmt(cpuRatio('every'), 2)}× the baseline's CPU per exchange`, cpuRatio('every') >= GOALS.durableRatio],
    ] as const;
    out('Goals:');
    for (const [goal, value, ok] of checks) out(`  ${verdict(ok)}  ${goal}: ${value}`);
    if (optOut.violations > 0) {
      out(`  FAIL  ${optOut.violations} exchange(s) returned data after the resident was told (see "Opt-out under load" above): the bench exits non-zero`);
      process.exitCode = 1;
    }
    const noise = Math.max(...subjects.flatMap((s) => [s.saturationCpu!.other, s.fixedCpu?.other ?? 0]));
    if (noise > 0.1) out(`  NOTE  work outside the processes under test used up to ${pct(noise)} of a core during a phase (the ${running - 2} other connectors' feed pulls count here, as does other people's work): rerun on a quiet machine for cleaner figures`);
    out();
    out(`Everything (hub, ${running} connectors, backend, proxy, load generator, PostgreSQL, Redis) shares this machine's ${readMachineCpu().cores} cores. Whole run: ${fmt((performance.now() - runStart) / 1000, 0)} s.`);
  } finally {
    await cleanup();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
