/**
 * Consent benchmark: with one million consents in PostgreSQL, the latency of the check the grant
 * path asks ("is there an active consent covering these items for this purpose?") and the rate of
 * consent writes (a real opt-in or opt-out each: new version, signed receipt, hash chain).
 *
 *   npm run bench:consent        (builds, then runs node dist/bench/consent.js)
 *
 * Needs the local PostgreSQL (postgres://postgres@127.0.0.1:5432, or BENCH_PG_ADMIN_URL). Creates
 * the database tsunagu_bench_consent_<run> and drops it at the end (BENCH_KEEP=1 keeps it).
 * Knobs: BENCH_RESIDENTS (100000) × 10 data uses = consents; BENCH_CHECKS (20000);
 * BENCH_CONCURRENCY (16); BENCH_WRITE_SECONDS (10); BENCH_POOL (20). See docs/benchmarks.md.
 */
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import type { ConsentService } from '../apps/hub/src/consent/consent.service';
import { consentFixture } from '../apps/hub/src/consent/testing/consent-fixtures';
import { systemClock } from '@tsunagu/common';
import { dataSourceOptions } from '@tsunagu/database';
import { configureLogger, isLogLevel } from '@tsunagu/logger';
import { hubMigrations } from '../migrations';
import { createBenchDatabase, dropBenchDatabase } from './support/environment';
import { cpuBetween, loadAverage, readMachineCpu, snapshotCpuOf } from './support/processes';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 100_000);
const CHECKS = Number(process.env.BENCH_CHECKS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WRITE_MS = Number(process.env.BENCH_WRITE_SECONDS ?? 10) * 1000;
const POOL = Number(process.env.BENCH_POOL ?? 20);
const EXTRA_USES = 8;
const GOALS = { checkP99Ms: 2, writesPerSecond: 1000 };

const out = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(samples: number[]): { p50: number; p99: number; max: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

async function timed(label: string, work: () => Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  await work();
  out(`  ${label}: ${fmt((performance.now() - t0) / 1000, 1)} s`);
}

/** Fills the database: residents × data uses consents (mixed states) and a receipt each, chained per resident. */
async function load(db: DataSource): Promise<void> {
  await timed(`${RESIDENTS.toLocaleString()} residents`, () => db.query(
    `INSERT INTO residents (common_id, login_id, password_hash, display_name, identity_verified_at)
     SELECT '9' || lpad(g::text, 15, '0'), 'bench-' || g, 'x', 'Bench ' || g, now() FROM generate_series(1, $1) g`, [RESIDENTS]));
  await timed(`${(RESIDENTS * (EXTRA_USES + 2)).toLocaleString()} consents`, () => db.query(
    `INSERT INTO consents (consent_id, version, tenant_id, resident_id, data_use_id, data_use_revision, state, event, items, purpose_code,
       valid_from, valid_until, collection_method, language, created_at)
     SELECT gen_random_uuid(), CASE WHEN s.state = 'active' THEN 1 ELSE 2 END, u.tenant_id, r.id, u.id, u.revision, s.state,
       CASE s.state WHEN 'active' THEN 'given' ELSE s.state END, u.items, u.purpose_code,
       now() - interval '30 days', now() + interval '335 days', 'portal-form', 'ja', now() - interval '30 days'
     FROM residents r CROSS JOIN data_uses u
     CROSS JOIN LATERAL (SELECT CASE WHEN h < 80 THEN 'active' WHEN h < 90 THEN 'withdrawn' WHEN h < 95 THEN 'paused' ELSE 'expired' END AS state
                         FROM (SELECT abs(hashtext(r.id::text || u.id::text)) % 100 AS h) x) s
     WHERE r.login_id LIKE 'bench-%'`));
  await timed('one receipt per consent, chained per resident', () => db.query(
    `INSERT INTO consent_receipts (id, resident_id, consent_version_id, seq, kid, jws, hash, prev_hash, created_at)
     SELECT gen_random_uuid(), resident_id, id, row_number() OVER w, 'bench', 'bench', md5(id::text), lag(md5(id::text)) OVER w, created_at
     FROM consents WINDOW w AS (PARTITION BY resident_id ORDER BY data_use_id)`));
  await timed('VACUUM ANALYZE', async () => {
    await db.query('VACUUM ANALYZE consents');
    await db.query('VACUUM ANALYZE consent_receipts');
    await db.query('VACUUM ANALYZE data_uses');
  });
}

async function checks(service: ConsentService, pairs: { resident: string; use: string; item: string; purpose: string }[], count: number, concurrency: number): Promise<{ samples: number[]; found: number; seconds: number }> {
  const samples: number[] = [];
  let found = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const pair = pairs[next++ % pairs.length];
      const start = performance.now();
      if (await service.findActiveConsentCovering(pair.resident, pair.use, [pair.item], pair.purpose)) found++;
      samples.push(performance.now() - start);
    }
  }));
  return { samples, found, seconds: (performance.now() - t0) / 1000 };
}

async function writes(service: ConsentService, residents: string[], useCode: string, item: string, durationMs: number): Promise<{ samples: number[]; errors: number; first?: string; seconds: number }> {
  const samples: number[] = [];
  let errors = 0;
  let first: string | undefined;
  let next = 0;
  const deadline = performance.now() + durationMs;
  const t0 = performance.now();
  const once = async (work: () => Promise<unknown>) => {
    const start = performance.now();
    try {
      await work();
      samples.push(performance.now() - start);
    } catch (error) {
      errors++;
      first ??= (error as Error).message;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < deadline) {
      const resident = residents[next++ % residents.length];
      // An opt-in narrowing the items (a new version), then an opt-out: two decisions, two receipts.
      let consentId: string | undefined;
      await once(async () => {
        consentId = (await service.give(resident, { dataUse: useCode, items: [item] }, 'portal-api')).consent.consentId;
      });
      if (consentId) await once(() => service.withdraw(resident, consentId!, {}, 'portal-api'));
    }
  }));
  return { samples, errors, first, seconds: (performance.now() - t0) / 1000 };
}

async function main(): Promise<void> {
  // One "Consent given" line per decision would measure the terminal, not the hub.
  const level = process.env.LOG_LEVEL;
  configureLogger({ level: isLogLevel(level) ? level : 'warn' });
  const run = `${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const name = `tsunagu_bench_consent_${run}`;
  out(`Consent benchmark (run ${run}): Node ${process.version}, ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB`);
  const url = await createBenchDatabase(name);
  const options = dataSourceOptions({ url, embedded: false, entities: [], migrations: hubMigrations });
  const db = new DataSource({ ...options, extra: { ...(options.extra as object), max: POOL } } as typeof options);
  try {
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    const [{ server_version: version }] = await db.query('SHOW server_version');
    out(`PostgreSQL ${version}, pool ${POOL}`);
    const fx = await consentFixture(db, { residents: 0, clock: systemClock });
    // Ten data uses in all: the two seeded ones and eight more over the same offers.
    const offers: string[] = (await db.query(`SELECT code FROM data_offers ORDER BY code`)).map((r: { code: string }) => r.code);
    await fx.seeder.seed([], Array.from({ length: EXTRA_USES }, (_, i) => ({
      serviceClientId: i % 2 ? 'demo-cashless' : 'demo-misasa-health', code: `bench.use-${i + 1}`, titleJa: `ベンチ ${i + 1}`, titleEn: `Bench ${i + 1}`,
      purposeCode: `bench-${i + 1}`, purposeCategory: 'ServiceProvision', purposeJa: 'ベンチマーク', purposeEn: 'Benchmark', items: offers.slice(i % 3, (i % 3) + 3), retentionDays: '30',
      consentValidDays: '365', controllerType: 'private' as const, controllerNameJa: 'ベンチ', controllerNameEn: 'Bench', controllerContact: 'bench@example.jp', privacyNoticeUrl: 'https://bench.example/privacy',
    })));
    out('Loading:');
    await load(db);
    const [{ consents, active, size }] = await db.query(
      `SELECT count(*)::int AS consents, count(*) FILTER (WHERE state = 'active')::int AS active,
         pg_size_pretty(pg_total_relation_size('consents')) AS size FROM consents`);
    const [{ receipts }] = await db.query(`SELECT count(*)::int AS receipts FROM consent_receipts`);
    out(`Database: ${consents.toLocaleString()} consents (${active.toLocaleString()} active), ${receipts.toLocaleString()} receipts; consents table with indexes ${size}`);

    // Random (resident, data use) pairs: ~80 % have an active consent covering the first item.
    const uses: { id: string; items: string[]; purpose_code: string }[] = await db.query(`SELECT id, items, purpose_code FROM data_uses`);
    const sample: { id: string }[] = await db.query(`SELECT id FROM residents WHERE login_id LIKE 'bench-%' ORDER BY random() LIMIT 20000`);
    const pairs = sample.map((r, i) => {
      const use = uses[i % uses.length];
      return { resident: r.id, use: use.id, item: use.items[0], purpose: use.purpose_code };
    });
    const plan: { 'QUERY PLAN': string }[] = await db.query(
      `EXPLAIN ANALYZE SELECT c.id FROM consents c JOIN data_uses u ON u.id = c.data_use_id
       WHERE c.resident_id = $1 AND c.data_use_id = $2 AND c.superseded_at IS NULL AND c.state = 'active' AND c.items @> $3::text[]
         AND c.purpose_code = $4 AND c.valid_from <= now() AND (c.valid_until IS NULL OR c.valid_until > now()) AND u.active AND c.data_use_revision = u.revision`,
      [pairs[0].resident, pairs[0].use, [pairs[0].item], pairs[0].purpose]);
    out('Plan of the check (one sample):');
    for (const row of plan) out(`    ${row['QUERY PLAN']}`);

    out(`Check: warm-up 2,000, then ${CHECKS.toLocaleString()} one at a time, then ${CHECKS.toLocaleString()} at concurrency ${CONCURRENCY}`);
    await checks(fx.service, pairs, 2000, 1);
    const serial = await checks(fx.service, pairs, CHECKS, 1);
    const parallel = await checks(fx.service, pairs, CHECKS, CONCURRENCY);
    const s1 = summary(serial.samples);
    const sN = summary(parallel.samples);

    out(`Writes: ${WRITE_MS / 1000} s at concurrency ${CONCURRENCY} (opt-in narrowing the items, then opt-out; each with its signed receipt)`);
    const writers: string[] = (await db.query(`SELECT id FROM residents WHERE login_id LIKE 'bench-%' ORDER BY random() LIMIT 50000`)).map((r: { id: string }) => r.id);
    await writes(fx.service, writers.slice(0, 500), 'cashless.health-points', 'misasa-health.onsen-visits', 2000);
    const machine0 = readMachineCpu();
    const self0 = process.cpuUsage();
    const pg0 = snapshotCpuOf(['postgres']);
    const w = await writes(fx.service, writers.slice(500), 'cashless.health-points', 'misasa-health.onsen-visits', WRITE_MS);
    const machine1 = readMachineCpu();
    const self = process.cpuUsage(self0);
    const pgShare = cpuBetween(pg0, snapshotCpuOf(['postgres'])) / ((machine1.total - machine0.total) / machine1.cores);
    const ws = summary(w.samples);
    const rate = w.samples.length / w.seconds;
    const machineBusy = (machine1.busy - machine0.busy) / (machine1.total - machine0.total);
    const selfShare = (self.user + self.system) / 1e6 / w.seconds;

    out();
    out('Results');
    out(`  check, one at a time      p50 ${fmt(s1.p50, 3)} ms   p99 ${fmt(s1.p99, 3)} ms   max ${fmt(s1.max, 1)} ms   (${fmt(CHECKS / serial.seconds, 0)} checks/s, ${fmt((100 * serial.found) / CHECKS, 0)} % covered)`);
    out(`  check, concurrency ${String(CONCURRENCY).padEnd(6)} p50 ${fmt(sN.p50, 3)} ms   p99 ${fmt(sN.p99, 3)} ms   max ${fmt(sN.max, 1)} ms   (${fmt(CHECKS / parallel.seconds, 0)} checks/s)`);
    out(`  writes                    ${fmt(rate, 0)} decisions/s   p50 ${fmt(ws.p50, 2)} ms   p99 ${fmt(ws.p99, 2)} ms   (${w.samples.length.toLocaleString()} written, ${w.errors} errors${w.first ? `; first: ${w.first}` : ''})`);
    out(`  during the writes: this process ${fmt(100 * selfShare, 0)} % of one core, PostgreSQL ${fmt(100 * pgShare, 0)} %, the machine ${fmt(100 * machineBusy, 0)} % busy (${machine1.cores} cores), load average ${fmt(loadAverage(), 2)}`);
    out();
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    out('Goals:');
    out(`  ${verdict(s1.p99 <= GOALS.checkP99Ms)}  check p99 ≤ ${GOALS.checkP99Ms} ms (one at a time): ${fmt(s1.p99, 3)} ms`);
    out(`  ${verdict(rate >= GOALS.writesPerSecond)}  ≥ ${GOALS.writesPerSecond.toLocaleString()} writes/s: ${fmt(rate, 0)}/s`);
    out();
    out('The benchmark (one Node process, the service layer without HTTP) and PostgreSQL share the machine.');
  } finally {
    if (db.isInitialized) await db.destroy();
    if (process.env.BENCH_KEEP === '1') out(`Kept database ${name}`);
    else await dropBenchDatabase(name);
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
