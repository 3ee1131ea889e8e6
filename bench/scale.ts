/**
 * Prefecture-sized data set (issue #19 part 5): 600,000 residents, 3,000,000 consent versions,
 * 5,000 connectors, 30,000,000 provision-ledger rows and a 2,000,000-row audit chain in the real
 * PostgreSQL; then the grant decision p99, the portal's ledger page p99, the tenant dashboard p99,
 * the audit-chain append rate and `audit:verify` time per million rows, each beside the same figure
 * on a baseline data set 1/1000 the size seeded by the same code in the same run.
 *
 *   npm run bench:scale                        (builds, then node dist/bench/scale.js; full size)
 *   node dist/bench/scale.js --scale 0.1       (a tenth: a quick run)
 *   node dist/bench/scale.js --keep            (keep the seeded database tsunagu_scale_<run>)
 *   node dist/bench/scale.js --reuse tsunagu_scale_<run>   (measure a kept seed again, after pending migrations)
 *   --rounds N (3): measurement rounds over the one seed; figures are reported per round and as median (min–max)
 *
 * Measured through the hub's own classes on a TypeORM DataSource (no HTTP): GrantsService.issue
 * (the whole decision: links, catalog, agreement, consent, audiences, signing, grant record and
 * audit row), LedgerService.listForResident (the portal's 提供記録 page, 50 rows),
 * DashboardService.figures (every query of the tenant dashboard), AuditService.record, and
 * AuditVerifier.verify (what `npm run audit:verify` runs). Needs the local PostgreSQL
 * (BENCH_PG_ADMIN_URL). See docs/benchmarks.md, "Prefecture-sized data set".
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { DataSource } from 'typeorm';
import { AuditCheckpointsService } from '../apps/hub/src/audit/audit-checkpoints.service';
import { AuditVerifier } from '../apps/hub/src/audit/audit-verifier';
import { AuditRepository } from '../apps/hub/src/audit/audit.repository';
import { AuditService } from '../apps/hub/src/audit/audit.service';
import { DashboardRepository } from '../apps/hub/src/backoffice/dashboard/dashboard.repository';
import { DashboardService } from '../apps/hub/src/backoffice/dashboard/dashboard.service';
import { consentFixture, TEST_ISSUER } from '../apps/hub/src/consent/testing/consent-fixtures';
import { type ConnectConnectorRow, ConnectRepository } from '../apps/hub/src/exchange/connect.repository';
import { GrantRecordsRepository } from '../apps/hub/src/exchange/grant-records.repository';
import { GrantsService } from '../apps/hub/src/exchange/grants.service';
import { HubSigningKeyService } from '../apps/hub/src/exchange/hub-signing-key.service';
import { LedgerRepository } from '../apps/hub/src/exchange/ledger/ledger.repository';
import { LedgerService } from '../apps/hub/src/exchange/ledger/ledger.service';
import { DEFAULT_PLATFORM_SETTINGS } from '../apps/hub/src/operations/settings/platform-settings';
import type { PlatformSettingsService } from '../apps/hub/src/operations/settings/platform-settings.service';
import { KeysRepository } from '../apps/hub/src/platform/keys/keys.repository';
import { systemClock } from '@tsunagu/common';
import { dataSourceOptions } from '@tsunagu/database';
import { configureLogger, isLogLevel } from '@tsunagu/logger';
import { hubMigrations } from '../migrations';
import { seedScale } from './scale/seed';
import { type DataSetSize, growthPerYear, medianAndSpread, parseScaleArgs, percentile, sizesAt, spreadPrime } from './scale/shape';
import { createBenchDatabase, dropBenchDatabase } from './support/environment';

const GOAL_P99_MS = 50;
const EXCHANGES_PER_SECOND = 1_000;
const GRANTS = Number(process.env.BENCH_GRANTS ?? 1_000);
const PAGES = Number(process.env.BENCH_PAGES ?? 1_000);
const DASHBOARDS = Number(process.env.BENCH_DASHBOARDS ?? 30);
const APPEND_MS = Number(process.env.BENCH_APPEND_SECONDS ?? 5) * 1000;
const APPEND_CONCURRENCY = 8;

const out = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The uuid the seed gives resident i (md5('r' || i)::uuid). */
function residentId(i: number): string {
  const h = createHash('md5').update(`r${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function stats(samples: number[]): { p50: number; p99: number; max: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, n: sorted.length };
}

/** A DataSource stand-in that remembers every statement a repository sends (for EXPLAIN afterwards). */
function recording(db: DataSource, log: { sql: string; params: unknown[]; ms: number }[]): DataSource {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver);
      return async (sql: string, params: unknown[] = []) => {
        const t0 = performance.now();
        const result = await target.query(sql, params);
        log.push({ sql, params, ms: performance.now() - t0 });
        return result;
      };
    },
  });
}

interface Bench {
  label: string;
  name: string;
  size: DataSetSize;
  db: DataSource;
  grants: GrantsService;
  consumer: ConnectConnectorRow;
  grantResidents: { localId: string }[];
  /** Current consent versions to the grant's data use and the provider's service: what ledger appends name. */
  provisions: { consentVersionIds: string[]; providerServiceId: string; items: string[] };
  healthPoints: { code: string; items: string[]; purpose: string };
  ledger: LedgerService;
  dashboard: DashboardService;
  dashboardRepo: DashboardRepository;
  audit: AuditService;
  verifier: AuditVerifier;
  tenants: { code: string; id: string }[];
  seedSeconds?: number;
}

async function open(name: string, fresh: boolean, size: DataSetSize, label: string): Promise<Bench> {
  const url = fresh ? await createBenchDatabase(name) : (() => { const u = new URL(process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'); u.pathname = `/${name}`; return u.toString(); })();
  const options = dataSourceOptions({ url, embedded: false, entities: [], migrations: hubMigrations });
  const db = new DataSource({ ...options, extra: { ...(options.extra as object), max: 10 } } as typeof options);
  await db.initialize();
  const t0 = performance.now();
  await db.runMigrations({ transaction: 'each' });
  out(`  [${label}] migrations: ${fmt((performance.now() - t0) / 1000, 1)} s`);
  // A reused seed keeps its rows but not this process's key-encryption key: its hub keys are replaced.
  if (!fresh) await db.query(`DELETE FROM signing_keys`);
  const fx = await consentFixture(db, { residents: fresh ? 1 : 0, clock: systemClock });
  let seedSeconds: number | undefined;
  const signing = await generateKeyPair('ES256', { extractable: true });
  const encryption = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
  const publicJwk = { ...(await exportJWK(signing.publicKey)), alg: 'ES256' } as JWK;
  const encryptionJwk = { ...(await exportJWK(encryption.publicKey)), alg: 'ECDH-ES+A256KW', use: 'enc' } as JWK;
  if (fresh) {
    // One real decision through the hub's code gives the receipt's true size for the generated ones.
    const given = await fx.service.give(fx.residents[0], { dataUse: 'cashless.health-points', items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'] }, 'portal-form');
    const [{ len }] = await db.query(`SELECT length(jws) AS len FROM consent_receipts WHERE consent_version_id = (SELECT id FROM consents WHERE consent_id = $1)`, [given.consent.consentId]);
    out(`  [${label}] seeding ${Object.entries(size).map(([k, v]) => `${v.toLocaleString()} ${k}`).join(', ')}`);
    const s0 = performance.now();
    await seedScale(db, size, { anchor: new Date(), publicJwk, encryptionJwk, receiptJwsLength: Number(len), log: (l) => out(`  [${label}]${l}`) });
    seedSeconds = (performance.now() - s0) / 1000;
    out(`  [${label}] seed total: ${fmt(seedSeconds, 1)} s`);
  }
  // The grant path's two connectors (demo-cashless consumes cashless.health-points from demo-misasa-health).
  await db.query(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, encryption_jwk, status, status_changed_at, base_url)
    SELECT s.tenant_id, s.id, s.client_id || ' bench', $1, $2, 'approved', now(), 'http://127.0.0.1:1' FROM services s
    WHERE s.client_id IN ('demo-cashless', 'demo-misasa-health') ON CONFLICT ON CONSTRAINT connectors_tenant_name_key DO UPDATE SET public_jwk = $1, encryption_jwk = $2`,
  [JSON.stringify(publicJwk), JSON.stringify(encryptionJwk)]);
  const repo = new ConnectRepository(db);
  const [{ id: consumerId }] = await db.query(`SELECT c.id FROM connectors c JOIN services s ON s.id = c.service_id WHERE s.client_id = 'demo-cashless' AND c.name LIKE '% bench'`);
  const consumer = (await repo.findConnector(consumerId))!;
  const [use] = await db.query(`SELECT id, code, items, purpose_code FROM data_uses WHERE code = 'cashless.health-points'`);
  // Residents the grant can be issued for: a current, valid consent covering the items, identity verified, linked at both services.
  const grantResidents: { localId: string }[] = await db.query(
    `SELECT l.local_id AS "localId" FROM consents c JOIN residents r ON r.id = c.resident_id AND r.identity_verified_at IS NOT NULL
     JOIN service_links l ON l.resident_id = c.resident_id AND l.service_id = $2
     JOIN service_links m ON m.resident_id = c.resident_id AND m.service_id = (SELECT id FROM services WHERE client_id = 'demo-misasa-health')
     WHERE c.data_use_id = $1 AND c.superseded_at IS NULL AND c.state = 'active' AND c.valid_from <= now() AND (c.valid_until IS NULL OR c.valid_until > now())
       AND c.items @> $3::text[] AND l.local_id LIKE 'C-%' LIMIT 2000`, [use.id, consumer.service_id, use.items]);
  if (!grantResidents.length) throw new Error(`[${label}] no resident with a consent to cashless.health-points`);
  const consentVersionIds: string[] = (await db.query(
    `SELECT id FROM consents WHERE data_use_id = $1 AND superseded_at IS NULL AND state = 'active' LIMIT 2000`, [use.id])).map((r: { id: string }) => r.id);
  const [{ id: providerServiceId }] = await db.query(`SELECT id FROM services WHERE client_id = 'demo-misasa-health'`);
  const checkpoints = { afterAppend: () => undefined } as unknown as AuditCheckpointsService;
  const auditRepo = new AuditRepository(db);
  const audit = new AuditService(auditRepo, checkpoints);
  const grants = new GrantsService(db, repo, new GrantRecordsRepository(db), fx.service, fx.agreements, new HubSigningKeyService(fx.keys), audit);
  const dashboardRepo = new DashboardRepository(db);
  const settings = { current: async () => DEFAULT_PLATFORM_SETTINGS } as unknown as PlatformSettingsService;
  const verifier = new AuditVerifier(auditRepo, async () => (await new KeysRepository(db).listSigningKeys()).map((k) => k.public_jwk as JWK));
  const tenants = await db.query(`SELECT code, id FROM tenants ORDER BY code`);
  return {
    label, name, size, db, grants, consumer, grantResidents, provisions: { consentVersionIds, providerServiceId, items: use.items }, healthPoints: { code: use.code, items: use.items, purpose: use.purpose_code },
    ledger: new LedgerService(new LedgerRepository(db), systemClock), dashboard: new DashboardService(dashboardRepo, settings), dashboardRepo,
    audit, verifier, tenants, seedSeconds,
  };
}

interface RoundFigures {
  grantP50: number; grantP99: number;
  pageP50: number; pageP99: number; heavyPageP99: number;
  dashP50: number; dashP99: number; dashBigP99: number;
  appendRate: number; appendP99: number;
  ledgerRate: number; ledgerRateUntriggered: number;
  verifySecondsPerMillion: number; verifyRows: number;
}

async function timeEach<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (const item of items) {
    const t0 = performance.now();
    await fn(item);
    samples.push(performance.now() - t0);
  }
  return samples;
}

/** Ledger appends per second through LedgerRepository.append at C = 8 for APPEND_MS (each a new grant: a new row). */
async function ledgerAppends(b: Bench): Promise<{ rate: number; grants: string[] }> {
  const repo = new LedgerRepository(b.db);
  const { consentVersionIds, providerServiceId, items } = b.provisions;
  const grants: string[] = [];
  let n = 0;
  const deadline = performance.now() + APPEND_MS;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: APPEND_CONCURRENCY }, async () => {
    while (performance.now() < deadline) {
      const grantId = randomBytes(12).toString('hex');
      await repo.append({ consentVersionId: consentVersionIds[n++ % consentVersionIds.length], providerServiceId, items, outcome: 'provided', grantId, occurredAt: new Date(), side: 'provider' });
      grants.push(grantId);
    }
  }));
  return { rate: grants.length / ((performance.now() - t0) / 1000), grants };
}

async function round(b: Bench, r: number): Promise<RoundFigures> {
  const R = b.size.residents;
  // Grant decisions, one at a time, over residents who may be granted.
  const gs = b.grantResidents;
  const req = (i: number) => ({ localId: gs[i % gs.length].localId, dataUse: b.healthPoints.code, items: b.healthPoints.items, purpose: b.healthPoints.purpose });
  await timeEach(Array.from({ length: 50 }, (_, i) => i), (i) => b.grants.issue(b.consumer, TEST_ISSUER, req(i + r * 7)));
  const grant = stats(await timeEach(Array.from({ length: GRANTS }, (_, i) => i), (i) => b.grants.issue(b.consumer, TEST_ISSUER, req(i * 13 + r))));

  // The ledger page of residents drawn uniformly (each resident visits the portal alike), and of the 20 busiest.
  let seed = 12345 + r;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const uniform = Array.from({ length: PAGES }, () => residentId(Math.floor(rnd() * R)));
  const P = spreadPrime(R);
  const busiest = Array.from({ length: 20 }, (_, k) => residentId((k * P) % R));
  await timeEach(uniform.slice(0, 50), (id) => b.ledger.listForResident(id));
  const page = stats(await timeEach(uniform, (id) => b.ledger.listForResident(id)));
  const heavy = stats(await timeEach(Array.from({ length: 10 }, () => busiest).flat(), (id) => b.ledger.listForResident(id)));

  // Every tenant's dashboard in turn, and the biggest one (the prefecture's) on its own.
  const pref = b.tenants.find((t) => t.code === 'tottori-pref')!;
  await b.dashboard.figures(pref.id);
  const dashAll = stats(await timeEach(Array.from({ length: DASHBOARDS }, (_, i) => b.tenants[i % b.tenants.length].id), (id) => b.dashboard.figures(id)));
  const dashBig = stats(await timeEach(Array.from({ length: DASHBOARDS }, () => pref.id), (id) => b.dashboard.figures(id)));

  // Audit appends at concurrency 8 (serialised by the chain's lock, as in the hub).
  const appendSamples: number[] = [];
  const deadline = performance.now() + APPEND_MS;
  const a0 = performance.now();
  await Promise.all(Array.from({ length: APPEND_CONCURRENCY }, async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      await b.audit.record({
        type: 'grant.issued', actor: { kind: 'connector', id: b.consumer.id }, tenantId: b.consumer.tenant_id, subject: randomBytes(16).toString('hex'), outcome: 'success',
        details: { dataUse: b.healthPoints.code, items: b.healthPoints.items, purpose: b.healthPoints.purpose, consentVersion: 1 },
      });
      appendSamples.push(performance.now() - t0);
    }
  }));
  const appendRate = appendSamples.length / ((performance.now() - a0) / 1000);

  // Ledger appends (one per exchange) at C = 8 with the dashboard's rollup trigger, and with it disabled: the trigger's cost.
  // Which goes first alternates by round (the first run warms the caches for the second).
  const untriggered = async (): Promise<number> => {
    await b.db.query(`ALTER TABLE provision_records DISABLE TRIGGER dashboard_exchange_days`);
    try {
      const run = await ledgerAppends(b);
      // The rows the rollup never counted go again (the trigger still off), so the rollup stays exact.
      await b.db.query(`DELETE FROM provision_records WHERE grant_id = ANY($1)`, [run.grants]);
      return run.rate;
    } finally {
      await b.db.query(`ALTER TABLE provision_records ENABLE TRIGGER dashboard_exchange_days`);
    }
  };
  const ledgerRateUntriggered = r % 2 ? await untriggered() : NaN;
  const ledgerRate = (await ledgerAppends(b)).rate;
  const ledgerRateOff = r % 2 ? ledgerRateUntriggered : await untriggered();

  const v0 = performance.now();
  const verified = await b.verifier.verify();
  const verifySeconds = (performance.now() - v0) / 1000;
  if (!verified.ok) throw new Error(`[${b.label}] audit chain broken at ${verified.break?.seq}: ${verified.break?.reason}`);
  return {
    grantP50: grant.p50, grantP99: grant.p99, pageP50: page.p50, pageP99: page.p99, heavyPageP99: heavy.p99,
    dashP50: dashAll.p50, dashP99: dashAll.p99, dashBigP99: dashBig.p99, appendRate, appendP99: stats(appendSamples).p99, ledgerRate, ledgerRateUntriggered: ledgerRateOff,
    verifySecondsPerMillion: verifySeconds / (verified.rows / 1e6), verifyRows: verified.rows,
  };
}

/** EXPLAIN (ANALYZE, BUFFERS) of the slowest distinct statements that `work` sent. */
async function profile(b: Bench, label: string, work: (db: DataSource) => Promise<unknown>, top = 3): Promise<void> {
  const log: { sql: string; params: unknown[]; ms: number }[] = [];
  await work(recording(b.db, log));
  const slowest = [...new Map(log.sort((x, y) => y.ms - x.ms).map((e) => [e.sql, e])).values()].slice(0, top);
  out(`  ${label}: ${log.length} statements, ${fmt(log.reduce((s, e) => s + e.ms, 0), 1)} ms in all; the slowest:`);
  for (const e of slowest) {
    if (!/^\s*(SELECT|WITH)/i.test(e.sql)) continue;
    const plan: { 'QUERY PLAN': string }[] = await b.db.query(`EXPLAIN (ANALYZE, BUFFERS) ${e.sql}`, e.params);
    out(`    -- ${fmt(e.ms, 1)} ms: ${e.sql.replace(/\s+/g, ' ').slice(0, 160)}…`);
    for (const row of plan) out(`       ${row['QUERY PLAN']}`);
  }
}

async function sizes(b: Bench): Promise<{ table: string; rows: number; bytes: number }[]> {
  const measured: { table: string; rows: number; bytes: number }[] = await b.db.query(
    `SELECT t AS table, (SELECT reltuples FROM pg_class WHERE oid = t::regclass)::bigint::float8 AS rows, pg_total_relation_size(t)::float8 AS bytes
     FROM unnest(ARRAY['provision_records', 'dashboard_exchange_days', 'audit_events', 'consents', 'consent_receipts', 'grant_records', 'grant_audiences', 'residents', 'service_links']) t`);
  // The planner's estimate serves the big tables; the small ones (or never analysed: -1) are counted.
  for (const m of measured) {
    if (m.rows < 1_000_000) m.rows = Number((await b.db.query(`SELECT count(*)::float8 AS n FROM ${m.table}`))[0].n);
  }
  return measured;
}

async function main(): Promise<void> {
  const args = parseScaleArgs(process.argv.slice(2));
  const level = process.env.LOG_LEVEL;
  configureLogger({ level: isLogLevel(level) ? level : 'error' });
  const run = `${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  out(`Scale benchmark (run ${run}): scale ${args.scale}, ${args.rounds} round(s), Node ${process.version}, ${cpus().length} cores, ${fmt(totalmem() / 2 ** 30, 1)} GiB`);
  const benches: Bench[] = [];
  const keep: string[] = [];
  const drop: string[] = [];
  try {
    const baseName = `tsunagu_scale_base_${run}`;
    drop.push(baseName);
    benches.push(await open(baseName, true, sizesAt(args.scale / 1000), 'baseline'));
    const name = args.reuse ?? `tsunagu_scale_${run}`;
    if (args.reuse || args.keep) keep.push(name);
    else drop.push(name);
    benches.push(await open(name, !args.reuse, sizesAt(args.scale), 'scale'));
    const [base, scale] = benches;
    const [{ server_version: version }] = await scale.db.query('SHOW server_version');
    out(`PostgreSQL ${version}`);

    const figures: { base: RoundFigures[]; scale: RoundFigures[] } = { base: [], scale: [] };
    for (let r = 0; r < args.rounds; r++) {
      for (const b of [base, scale]) {
        const f = await round(b, r);
        (b === base ? figures.base : figures.scale).push(f);
        out(`  round ${r + 1} [${b.label}] grant p50/p99 ${fmt(f.grantP50)}/${fmt(f.grantP99)} ms; ledger page p50/p99 ${fmt(f.pageP50)}/${fmt(f.pageP99)} ms (busiest 20: p99 ${fmt(f.heavyPageP99)});`
          + ` dashboard p50/p99 ${fmt(f.dashP50)}/${fmt(f.dashP99)} ms (prefecture p99 ${fmt(f.dashBigP99)}); audit ${fmt(f.appendRate, 0)} appends/s (p99 ${fmt(f.appendP99)} ms);`
          + ` ledger ${fmt(f.ledgerRate, 0)}/s (trigger off ${fmt(f.ledgerRateUntriggered, 0)}/s);`
          + ` verify ${fmt(f.verifySecondsPerMillion)} s per million (${f.verifyRows.toLocaleString()} rows)`);
      }
    }

    out();
    out(`Results: median (min–max) of ${args.rounds} round(s); scale ${scale.size.ledgerRows.toLocaleString()} ledger rows, baseline ${base.size.ledgerRows.toLocaleString()}`);
    const lines: [string, keyof RoundFigures, 'ms' | '/s' | 's/M', boolean][] = [
      ['grant decision p99', 'grantP99', 'ms', true], ['grant decision p50', 'grantP50', 'ms', false],
      ['ledger page p99 (uniform residents)', 'pageP99', 'ms', true], ['ledger page p99 (20 busiest residents)', 'heavyPageP99', 'ms', true],
      ['tenant dashboard p99 (all tenants)', 'dashP99', 'ms', true], ['tenant dashboard p99 (prefecture)', 'dashBigP99', 'ms', true],
      ['audit appends (C=8)', 'appendRate', '/s', false],
      ['ledger appends (C=8), rollup trigger on', 'ledgerRate', '/s', false], ['ledger appends (C=8), trigger off', 'ledgerRateUntriggered', '/s', false], ['audit append p99', 'appendP99', 'ms', false], ['audit:verify per million rows', 'verifySecondsPerMillion', 's/M', false],
    ];
    out(`  ${'figure'.padEnd(40)} ${'scale'.padEnd(26)} ${'baseline'.padEnd(26)} ratio   goal`);
    for (const [label, key, unit, goal] of lines) {
      const s = medianAndSpread(figures.scale.map((f) => f[key]));
      const bl = medianAndSpread(figures.base.map((f) => f[key]));
      const cell = (m: { median: number; min: number; max: number }) => `${fmt(m.median)} (${fmt(m.min)}–${fmt(m.max)}) ${unit}`.padEnd(26);
      const verdict = goal ? (s.median < GOAL_P99_MS ? `PASS < ${GOAL_P99_MS} ms` : `MISS ≥ ${GOAL_P99_MS} ms`) : '';
      out(`  ${label.padEnd(40)} ${cell(s)} ${cell(bl)} ${fmt(s.median / bl.median)}×  ${verdict}`);
    }
    if (scale.seedSeconds !== undefined) out(`  seed time: ${fmt(scale.seedSeconds, 0)} s (baseline ${fmt(base.seedSeconds ?? NaN, 1)} s)`);

    out();
    out(`Growth per year at ${EXCHANGES_PER_SECOND.toLocaleString()} exchanges/s (bytes per row measured here: table, TOAST and indexes ÷ rows)`);
    // Per exchange: one ledger row, one grant record, its audit row, and two grant audiences (upserted per consent: at most,
    // counted as written). Consent versions and receipts grow with decisions, not exchanges: taken at one decision per 100 exchanges.
    const perExchange: Record<string, number> = { provision_records: 1, audit_events: 1, grant_records: 1, consents: 0.01, consent_receipts: 0.01 };
    const measured = await sizes(scale);
    for (const g of growthPerYear(measured.filter((m) => m.table in perExchange).map((m) => ({ ...m, rowsPerExchange: perExchange[m.table] })), EXCHANGES_PER_SECOND)) {
      out(`  ${g.table.padEnd(18)} ${fmt(g.bytesPerRow, 0).padStart(6)} B/row × ${fmt(g.rowsPerYear / 1e9, 2)} G rows/year = ${fmt(g.bytesPerYear / 2 ** 40, 2)} TiB/year`);
    }
    for (const m of measured) out(`  now: ${m.table.padEnd(18)} ${Math.round(m.rows).toLocaleString().padStart(12)} rows  ${fmt(m.bytes / 2 ** 30, 2)} GiB`);

    out();
    out('Profiles on the scale data set (EXPLAIN (ANALYZE, BUFFERS) of the slowest statements each sent):');
    const pref = scale.tenants.find((t) => t.code === 'tottori-pref')!;
    await profile(scale, 'tenant dashboard (prefecture)', (db) => new DashboardService(new DashboardRepository(db), { current: async () => DEFAULT_PLATFORM_SETTINGS } as unknown as PlatformSettingsService).figures(pref.id), 4);
    await profile(scale, 'ledger page (busiest resident)', (db) => new LedgerService(new LedgerRepository(db), systemClock).listForResident(residentId(0)), 1);
    await profile(scale, 'grant decision', async (db) => {
      const fx = { repo: new ConnectRepository(db) };
      const g = scale.grantResidents[0];
      const link = await fx.repo.findLinkByLocalId(scale.consumer.service_id, g.localId);
      const use = await fx.repo.findDataUse(scale.healthPoints.code);
      await fx.repo.findCurrentConsent(link!.resident_id, use!.id);
    }, 3);
  } finally {
    for (const b of benches) if (b.db.isInitialized) await b.db.destroy();
    for (const name of drop) await dropBenchDatabase(name);
    for (const name of keep) out(`Kept database ${name} (drop it with: psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE ${name}')`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
