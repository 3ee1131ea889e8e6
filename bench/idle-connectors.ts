/**
 * Idle connectors (issue #19 part 3): what N connectors that have nothing to do cost the hub, and
 * how fast a withdrawal reaches them, in three modes side by side in one run against one hub:
 *
 * - `pull`: the old 1 s pull of the signed feed, a full page each time (the baseline);
 * - `pull304`: the same pull revalidating its last empty page (`If-None-Match` → 304);
 * - `stream`: the revocation stream (signed heads every ≤ 2 s, `change` wake-ups), pulling only when
 *   a head is not covered or a change is announced.
 *
 *   npm run bench:idle       (builds, then runs node dist/bench/idle-connectors.js)
 *
 * The connectors are light clients in this process, not connector processes (500 Nest processes do
 * not fit on 2 cores): each has its own key and connector row (approved), authenticates every call
 * with a fresh client assertion, pulls and holds the stream as apps/connector does (the same
 * covered-head rule), and verifies each distinct head once per process (the same token reaches all).
 * A tenth of them belong to the Misasa health service, whose items the withdrawals name; the rest
 * to the cashless service (a change does not concern them; they learn it only from heads).
 *
 * Per N in BENCH_IDLE_COUNTS (50,500) and per round (BENCH_IDLE_ROUNDS, 3), the three modes one
 * after the other: hub CPU over BENCH_IDLE_SECONDS (30) of idleness (from /proc/<pid>/stat), then
 * BENCH_IDLE_WITHDRAWALS (200; 40 in the pull modes, whose latency is the pull interval) real
 * withdrawals through the portal API, one every BENCH_IDLE_GAP_MS (150): latency = the time a
 * concerned client had the change in its set (stream: from the signed `changes` event, or the feed
 * page a `change` or a head made it pull; pull modes: the feed page) − the outbox row's created_at
 * (the withdrawal transaction's start: an upper bound). The stream's events are timed too.
 * Needs the local PostgreSQL and Redis; creates and drops tsunagu_bench_<run>. See docs/benchmarks.md.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { Client } from 'pg';
import {
  type ConsentChange, createClientAssertion, cursorCovers, furtherCursor, FEED_CONNECTOR_REVOCATIONS, REVOCATION_FEED_EXTENSIONS_HEADER, verifyRevocationChanges, verifyRevocationHead,
} from '@tsunagu/contracts';
import { BrowserAgent, formAction, hiddenFields, testCardEnv, verifyWithTestCard } from '@tsunagu/testing';
import { HUB_NODE_FLAGS } from '../apps/hub/src/runtime-flags';
import { cleanupStack } from './support/cleanups';
import { createBenchDatabase, deleteRedisKeys, dropBenchDatabase, randomKeyEncryptionKey, REDIS_URL } from './support/environment';
import { cpuWindow, freePort, machineBeforeRun, startProcess } from './support/processes';
import { EventStreamParser } from '../apps/connector/src/revocations/revocation-stream';

const COUNTS = (process.env.BENCH_IDLE_COUNTS ?? '50,500').split(',').map(Number).filter((n) => n > 0);
const ROUNDS = Math.max(1, Number(process.env.BENCH_IDLE_ROUNDS ?? 3));
const WINDOW_MS = Number(process.env.BENCH_IDLE_SECONDS ?? 30) * 1000;
const WITHDRAWALS = Number(process.env.BENCH_IDLE_WITHDRAWALS ?? 200);
const PULL_WITHDRAWALS = Number(process.env.BENCH_IDLE_PULL_WITHDRAWALS ?? 40);
const GAP_MS = Number(process.env.BENCH_IDLE_GAP_MS ?? 150);
const SETTLE_MS = 6_000;
const PULL_INTERVAL_MS = 1_000;
const CATCH_UP_SPREAD_MS = 1_000;
const ALL_MODES = ['pull', 'pull304', 'stream'] as const;
/** BENCH_IDLE_MODES (default all three): e.g. `stream` to re-measure the stream alone. */
const MODES = ALL_MODES.filter((m) => (process.env.BENCH_IDLE_MODES ?? ALL_MODES.join(',')).split(',').includes(m));
type Mode = (typeof MODES)[number];
const RESIDENT = { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' };
const HEALTH_POINTS = 'cashless.health-points';
const ITEMS = ['misasa-health.daily-steps', 'misasa-health.onsen-visits'];

const out = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wallNow = () => performance.timeOrigin + performance.now();
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of the portal and feed claims, checked where used
type Json = any;

function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const median = (values: number[]) => percentile(values, 50);
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '-');

const payload = (jws: string): Json => JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8'));

interface Identity { id: string; key: CryptoKey; kid: string; concerned: boolean }

/** Everything the clients of one phase saw. */
class Observations {
  /** consent_id:version → first moments a client had it, from a feed page or a `changes` event (one per client). */
  readonly pages = new Map<string, number[]>();
  /** Outbox seq of a `change` or `changes` event's head → moments (one per client and event). */
  readonly notices: { client: string; seq: bigint; at: number }[] = [];
  pulls = 0;
  notModified = 0;
  errors = 0;
  heads = 0;
}

/** One light connector: pulls like the connector's poller, or holds the stream like RevocationStream. */
class LightClient {
  private cursor?: string;
  private etag?: { cursor: string; tag: string };
  private latestHead?: string;
  private covered?: string;
  private running?: Promise<void>;
  private seen = new Set<string>();
  private streamedUpTo?: string;
  private catchUp?: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;
  private req?: http.ClientRequest;
  private stopped = true;

  constructor(private readonly hub: URL, private readonly issuer: string, private readonly me: Identity, private readonly agent: http.Agent,
    private readonly heads: HeadVerifier, private obs: Observations) {}

  observe(obs: Observations): void {
    this.obs = obs;
  }

  private async assertion(): Promise<string> {
    return createClientAssertion({ privateKey: this.me.key, kid: this.me.kid, subject: this.me.id, audience: this.issuer });
  }

  async pull(revalidate: boolean): Promise<void> {
    this.running ??= this.doPull(revalidate).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async doPull(revalidate: boolean): Promise<void> {
    const headAtStart = this.latestHead;
    const headers: Record<string, string> = { authorization: `Bearer ${await this.assertion()}`, accept: 'application/jwt', [REVOCATION_FEED_EXTENSIONS_HEADER]: FEED_CONNECTOR_REVOCATIONS };
    if (revalidate && this.etag && this.etag.cursor === this.cursor) headers['if-none-match'] = this.etag.tag;
    const path = `/connect/v1/revocations${this.cursor ? `?since=${encodeURIComponent(this.cursor)}` : ''}`;
    this.obs.pulls++;
    const { status, body, etag } = await new Promise<{ status: number; body: string; etag?: string }>((resolve, reject) => {
      const req = http.request(new URL(path, this.hub), { headers, agent: this.agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, etag: res.headers.etag }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    }).catch(() => ({ status: 0, body: '', etag: undefined }));
    if (status === 304) {
      this.obs.notModified++;
      this.covered = furtherCursor(this.cursor, headAtStart);
      return;
    }
    if (status !== 200) {
      this.obs.errors++;
      return;
    }
    const page = payload(body);
    this.had(page.changes as ConsentChange[], wallNow());
    this.cursor = page.cursor;
    this.etag = etag && !page.more && !page.changes.length ? { cursor: page.cursor, tag: etag } : undefined;
    if (!page.more) this.covered = furtherCursor(page.cursor, headAtStart);
  }

  /** Records the first moment this client had each change (in its set, as a connector would). */
  private had(changes: readonly Pick<ConsentChange, 'consent_id' | 'version'>[], at: number): void {
    for (const c of changes) {
      const key = `${c.consent_id}:${c.version}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      const list = this.obs.pages.get(key) ?? [];
      list.push(at);
      this.obs.pages.set(key, list);
    }
  }

  startPulling(revalidate: boolean): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      const t = performance.now();
      void this.pull(revalidate).finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, Math.max(0, PULL_INTERVAL_MS - (performance.now() - t)));
      });
    };
    // Spread over the interval, as independent connectors are.
    this.timer = setTimeout(tick, Math.random() * PULL_INTERVAL_MS);
  }

  async startStream(): Promise<void> {
    this.stopped = false;
    const headers = { authorization: `Bearer ${await this.assertion()}`, accept: 'text/event-stream' };
    await new Promise<void>((resolve) => {
      const req = http.request(new URL('/connect/v1/revocations/stream', this.hub), { headers, agent: false }, (res) => {
        if (res.statusCode !== 200) {
          this.obs.errors++;
          res.resume();
          resolve();
          return;
        }
        const parser = new EventStreamParser((type, data) => void this.event(type, data));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          parser.push(chunk);
          resolve();
        });
        res.on('error', () => undefined);
        res.on('close', () => {
          // The hub ends streams after ~5 min; a bench phase is shorter. Reconnect anyway, as the connector does.
          if (!this.stopped) setTimeout(() => void this.startStream(), 500 + Math.random() * 500);
        });
      });
      req.on('error', () => {
        this.obs.errors++;
        resolve();
      });
      req.end();
      this.req = req;
    });
  }

  private async event(type: string, data: string): Promise<void> {
    if (type === 'change') {
      this.obs.notices.push({ client: this.me.id, seq: BigInt(data.slice(2)), at: wallNow() });
      if (this.running) await this.running;
      await this.pull(true);
      return;
    }
    if (type === 'changes') {
      const claims = await this.heads.verifyChanges(data);
      const at = wallNow();
      this.obs.notices.push({ client: this.me.id, seq: BigInt(claims.head.slice(2)), at });
      this.had(claims.changes, at);
      this.streamedUpTo = furtherCursor(this.streamedUpTo, claims.head);
      return;
    }
    if (type !== 'head') return;
    this.obs.heads++;
    const head = await this.heads.verify(data);
    this.latestHead = furtherCursor(this.latestHead, head);
    if (cursorCovers(furtherCursor(this.covered, this.cursor), head)) return;
    if (cursorCovers(this.streamedUpTo, head)) {
      // As the connector: only the cursor is behind; catch up within a spread, not all at once.
      this.catchUp ??= setTimeout(() => {
        this.catchUp = undefined;
        if (!this.stopped) void this.pull(true);
      }, Math.random() * CATCH_UP_SPREAD_MS);
      return;
    }
    await this.pull(true);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.catchUp);
    this.catchUp = undefined;
    this.req?.destroy();
    this.req = undefined;
  }
}

/** Verifies each distinct head token once (every stream of a hub process gets the same one). */
class HeadVerifier {
  private readonly verified = new Map<string, Promise<string>>();
  constructor(private readonly issuer: string, private readonly hubKeys: () => Promise<JWK[]>) {}
  verify(token: string): Promise<string> {
    let known = this.verified.get(token);
    if (!known) {
      known = verifyRevocationHead(token, {
        issuer: this.issuer,
        hubKeys: async ({ kid }) => (await this.hubKeys()).find((k) => k.kid === kid),
      }).then((c) => c.head);
      this.verified.set(token, known);
      if (this.verified.size > 100) this.verified.delete(this.verified.keys().next().value!);
    }
    return known;
  }

  private readonly changes = new Map<string, Promise<{ head: string; changes: ConsentChange[] }>>();
  verifyChanges(token: string): Promise<{ head: string; changes: ConsentChange[] }> {
    let known = this.changes.get(token);
    if (!known) {
      known = verifyRevocationChanges(token, { issuer: this.issuer, hubKeys: async ({ kid }) => (await this.hubKeys()).find((k) => k.kid === kid) });
      this.changes.set(token, known);
      if (this.changes.size > 100) this.changes.delete(this.changes.keys().next().value!);
    }
    return known;
  }
}

interface PhaseFigures { mode: Mode; n: number; round: number; hubCore: number; storesCore: number; pullsPerSecond: number; noticeP50: number; noticeP99: number; pageP50: number; pageP99: number; samples: number }

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const dbName = `tsunagu_bench_${run}`;
  const redisPrefix = `tsunagu-bench-${run}:`;
  const { cleanups, cleanup } = cleanupStack();
  const figures: PhaseFigures[] = [];
  try {
    out(`Idle connectors benchmark (run ${run}): Node ${process.version}; N = ${COUNTS.join(', ')}; ${ROUNDS} rounds; ${WINDOW_MS / 1000} s idle windows; ${WITHDRAWALS} withdrawals (pull modes ${PULL_WITHDRAWALS}) every ${GAP_MS} ms`);
    for (const line of await machineBeforeRun()) out(line);
    const databaseUrl = await createBenchDatabase(dbName);
    cleanups.push(() => dropBenchDatabase(dbName));
    cleanups.push(() => deleteRedisKeys(redisPrefix));
    const hubPort = await freePort();
    const hub = await startProcess('apps/hub/src/main.js', {
      PORT: String(hubPort), PUBLIC_URL: `http://127.0.0.1:${hubPort}`, DATABASE_URL: databaseUrl, REDIS_URL, REDIS_PREFIX: redisPrefix,
      KEY_ENCRYPTION_KEY: randomKeyEncryptionKey(), LOG_LEVEL: 'warn', DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', DEMO_MISASA_URL: 'http://127.0.0.1:39102',
      THROTTLE_CONNECT_PER_ADDRESS_PER_MINUTE: '1000000', THROTTLE_TOKEN_PER_CLIENT_PER_MINUTE: '1000000', THROTTLE_TOKEN_PER_ADDRESS_PER_MINUTE: '1000000',
      ...testCardEnv(),
    }, hubPort, { nodeArgs: HUB_NODE_FLAGS });
    cleanups.push(() => hub.stop());
    out(`Hub up on ${hub.url} (pid ${hub.pid})`);
    const hubUrl = new URL(hub.url);
    const issuer = hub.url;

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    cleanups.push(() => db.end());

    // The resident who withdraws, as the exchange benchmark sets them up.
    const agent = new BrowserAgent();
    const start = await agent.follow(`${hub.url}/account/login`);
    const loginPage = await start.res.text();
    await agent.follow(formAction(loginPage, '/login', start.url)!, { form: { ...hiddenFields(loginPage, '/login'), ...RESIDENT } });
    let csrf = '';
    const portal = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
      const url = `${hub.url}${path}`;
      const res = await fetch(url, {
        method, headers: { cookie: agent.cookieHeader(new URL(url)), ...(body === undefined ? {} : { 'content-type': 'application/json', 'x-csrf-token': csrf }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    csrf = (await portal('GET', '/api/v1/portal/me')).body.csrfToken;
    await verifyWithTestCard(agent, hub.url);
    let consent = { consentId: '', version: 0 };

    // --- Light connectors: keys and approved rows ----------------------------------------------------
    const maxN = Math.max(...COUNTS);
    const services = (await db.query(`SELECT id, tenant_id, client_id FROM services WHERE client_id IN ('demo-misasa-health', 'demo-cashless')`)).rows as { id: string; tenant_id: string; client_id: string }[];
    const misasa = services.find((s) => s.client_id === 'demo-misasa-health')!;
    const cashless = services.find((s) => s.client_id === 'demo-cashless')!;
    const identities: Identity[] = [];
    for (let i = 0; i < maxN; i++) {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const jwk = await exportJWK(publicKey);
      const concerned = i % 10 === 0;
      const service = concerned ? misasa : cashless;
      const { rows } = await db.query(
        `INSERT INTO connectors (tenant_id, service_id, name, public_jwk, encryption_jwk, base_url, version, status, status_changed_at)
         VALUES ($1, $2, $3, $4, $4, $5, 'bench', 'approved', now() - interval '1 day') RETURNING id`,
        [service.tenant_id, service.id, `idle-${run}-${i}`, JSON.stringify(jwk), `http://127.0.0.1:9/${i}`]);
      const id = rows[0].id as string;
      identities.push({ id, key: privateKey, kid: await calculateJwkThumbprint(jwk), concerned });
    }
    out(`${maxN} light connectors registered and approved (${identities.filter((i) => i.concerned).length} of the Misasa health service)`);
    let jwks: JWK[] = [];
    const hubKeys = async () => {
      if (!jwks.length) jwks = ((await (await fetch(`${hub.url}/connect/v1/jwks`)).json()) as { keys: JWK[] }).keys;
      return jwks;
    };
    const pool = new http.Agent({ keepAlive: true, maxSockets: 256 });

    const withdrawals = async (count: number): Promise<string[]> => {
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        const given = await portal('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: ITEMS, expectedVersion: consent.version });
        if (given.status !== 201) throw new Error(`consent: ${given.status} ${JSON.stringify(given.body)}`);
        consent = { consentId: given.body.consent.consentId, version: given.body.consent.version };
        await sleep(GAP_MS / 2);
        const taken = await portal('POST', `/api/v1/portal/consents/${consent.consentId}/withdraw`, {});
        if (taken.status !== 200) throw new Error(`withdraw: ${taken.status} ${JSON.stringify(taken.body)}`);
        consent = { consentId: taken.body.consent.consentId, version: taken.body.consent.version };
        keys.push(`${consent.consentId}:${consent.version}`);
        await sleep(GAP_MS / 2);
      }
      return keys;
    };

    const floors: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // The hub with no connector at all: its own timers (outbox poll, sweeps, queues) — the floor.
      const stopFloor = cpuWindow({ hub: hub.pid });
      await sleep(WINDOW_MS);
      const floor = stopFloor();
      floors.push(floor.servers.hub);
      out(`round ${round} no connectors: hub ${fmt(floor.servers.hub * 100)} % of a core (PostgreSQL+Redis ${fmt(floor.stores * 100)} %, machine ${fmt(floor.machine * 100, 0)} % busy)`);
      for (const n of COUNTS) {
        for (const mode of MODES) {
          const obs = new Observations();
          const verifier = new HeadVerifier(issuer, hubKeys);
          const clients = identities.slice(0, n).map((me) => new LightClient(hubUrl, issuer, me, pool, verifier, obs));
          if (mode === 'stream') {
            for (let i = 0; i < clients.length; i += 50) await Promise.all(clients.slice(i, i + 50).map((c) => c.startStream()));
          } else {
            for (const c of clients) c.startPulling(mode === 'pull304');
          }
          // Connect, first pulls, settle; then the idle window.
          await sleep(SETTLE_MS);
          const idle = new Observations();
          for (const c of clients) c.observe(idle);
          const stop = cpuWindow({ hub: hub.pid });
          await sleep(WINDOW_MS);
          const cpu = stop();
          const busy = new Observations();
          for (const c of clients) c.observe(busy);
          const keys = await withdrawals(mode === 'stream' ? WITHDRAWALS : PULL_WITHDRAWALS);
          await sleep(2_500);
          for (const c of clients) c.stop();
          // Latencies: from the outbox row's created_at to each concerned client's news.
          const { rows } = await db.query(`SELECT seq::text AS seq, consent_id, version, extract(epoch from created_at) * 1000 AS at FROM consent_change_outbox WHERE consent_id = $1 AND state = 'withdrawn'`, [consent.consentId]);
          const byKey = new Map(rows.map((r: Json) => [`${r.consent_id}:${r.version}`, { seq: BigInt(r.seq), at: Number(r.at) }]));
          const pageLatencies: number[] = [];
          const concernedCount = identities.slice(0, n).filter((i) => i.concerned).length;
          let missing = 0;
          for (const key of keys) {
            const row = byKey.get(key);
            if (!row) continue;
            const got = busy.pages.get(key) ?? [];
            missing += Math.max(0, concernedCount - got.length);
            for (const at of got) pageLatencies.push(at - row.at);
          }
          const noticeLatencies: number[] = [];
          if (mode === 'stream') {
            const byClient = new Map<string, { seq: bigint; at: number }[]>();
            for (const x of busy.notices) byClient.set(x.client, [...(byClient.get(x.client) ?? []), x]);
            for (const key of keys) {
              const row = byKey.get(key);
              if (!row) continue;
              // Per client, the first change event whose head covers the withdrawal's outbox row.
              for (const list of byClient.values()) {
                const first = list.find((x) => x.seq >= row.seq);
                if (first) noticeLatencies.push(first.at - row.at);
              }
            }
          }
          const f: PhaseFigures = {
            mode, n, round, hubCore: cpu.servers.hub, storesCore: cpu.stores, pullsPerSecond: idle.pulls / (WINDOW_MS / 1000),
            noticeP50: percentile(noticeLatencies, 50), noticeP99: percentile(noticeLatencies, 99), pageP50: percentile(pageLatencies, 50), pageP99: percentile(pageLatencies, 99),
            samples: pageLatencies.length,
          };
          figures.push(f);
          out(`round ${round} N=${n} ${mode.padEnd(7)}: hub ${fmt(f.hubCore * 100)} % of a core idle (PostgreSQL+Redis ${fmt(f.storesCore * 100)} %, machine ${fmt(cpu.machine * 100, 0)} % busy); `
            + `${fmt(f.pullsPerSecond, 0)} pulls/s (${idle.notModified} × 304, ${idle.heads} heads, ${idle.errors + busy.errors} errors); `
            + `withdrawal → in the set p50 ${fmt(f.pageP50, 0)} ms p99 ${fmt(f.pageP99, 0)} ms (${f.samples} samples, ${missing} missing)`
            + (mode === 'stream' ? `; → stream event p50 ${fmt(f.noticeP50, 0)} ms p99 ${fmt(f.noticeP99, 0)} ms` : ''));
          await sleep(1_000);
        }
      }
    }

    out('\nSummary: median over rounds [min – max]');
    out(`no connectors: hub CPU ${fmt(median(floors) * 100)} [${fmt(Math.min(...floors) * 100)} – ${fmt(Math.max(...floors) * 100)}] % of a core`);
    for (const n of COUNTS) {
      const base = figures.filter((f) => f.n === n && f.mode === 'pull');
      for (const mode of MODES) {
        const fs = figures.filter((f) => f.n === n && f.mode === mode);
        const ratios = fs.map((f) => f.hubCore / (base.find((b) => b.round === f.round)?.hubCore ?? NaN));
        const range = (xs: number[], scale = 1, d = 1) => `${fmt(median(xs) * scale, d)} [${fmt(Math.min(...xs) * scale, d)} – ${fmt(Math.max(...xs) * scale, d)}]`;
        const added = fs.map((f, i) => f.hubCore - (floors[f.round - 1] ?? floors[i]));
        out(`N=${n} ${mode.padEnd(7)} hub CPU ${range(fs.map((f) => f.hubCore), 100)} % of a core (above the floor ${range(added, 100)} %); ratio to pull ${range(ratios, 1, 3)}; `
          + `withdrawal → in the set p50 ${range(fs.map((f) => f.pageP50), 1, 0)} ms, p99 ${range(fs.map((f) => f.pageP99), 1, 0)} ms`
          + (mode === 'stream' ? `; → stream event p50 ${range(fs.map((f) => f.noticeP50), 1, 0)} ms, p99 ${range(fs.map((f) => f.noticeP99), 1, 0)} ms` : ''));
      }
    }
    pool.destroy();
  } finally {
    await cleanup();
  }
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
