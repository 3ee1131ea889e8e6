import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BrowserAgent, pollUntil, testCardEnv } from '@tsunagu/testing';
import type { Client } from 'pg';
import { approveAsAdmin, endAdminSessions } from '../scripts/connector-dev';
import type { FakeService } from '../apps/connector/src/testing/fake-service';
import {
  connectHelpers, type ConnectorName, HEALTH_POINTS, type Json, type RegisteredPair, startFakeServices, startWithStandIns, STEPS, tearDown, waitUntilFresh,
} from './support/connect-harness';
import { codeFlow, discover } from './support/oidc-flow';
import { PortalResident } from './support/portal-resident';
import { type AppProcess, freePort, startApp } from './support/processes';

/** Kill rounds against the hub on PostgreSQL, and against the embedded default (PGlite). */
const ROUNDS = { postgres: 5, embedded: 2 };

/** One line of an outbox file, as the connector wrote it. */
type OutboxLine = { op: 'add'; report: { reportId: string; grantId: string; outcome: string } } | { op: 'done'; reportId: string };

/** One hub with both connectors, their stand-in services and the files of the connectors. */
interface Site {
  dir: string;
  hub: AppProcess;
  pair: RegisteredPair;
  running: Record<ConnectorName, AppProcess>;
  startConnector(pair: RegisteredPair, name: ConnectorName): Promise<AppProcess>;
  others: { stop(): Promise<void> }[];
}

/** The lines of a connector's outbox file (a torn last line is skipped, as the connector does). */
function outbox(site: Site, name: ConnectorName): OutboxLine[] {
  const file = join(site.dir, 'keys', `${name}.provisions.jsonl`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as OutboxLine];
    } catch {
      return [];
    }
  });
}

/** The reports of `grantId` that a connector's outbox holds (`add` lines), and whether the hub acknowledged each (`done`). */
function reportsOf(site: Site, name: ConnectorName, grantId: string): { outcome: string; done: boolean }[] {
  const lines = outbox(site, name);
  const done = new Set(lines.flatMap((l) => (l.op === 'done' ? [l.reportId] : [])));
  return lines.flatMap((l) => (l.op === 'add' && l.report.grantId === grantId ? [{ outcome: l.report.outcome, done: done.has(l.report.reportId) }] : []));
}

/**
 * One SDK call under a new grant (the consumer connector was just started: no grant cached);
 * both connectors get SIGKILL in the same tick the answer's head arrives, before its body is
 * read. Resolves with the answer and how long after its arrival both kill(2) calls were made.
 */
function exchangeThenKillBoth(site: Site): Promise<{ status: number; body: Json; killedAfterMs: number }> {
  const { cashless: consumer, 'misasa-health': provider } = site.running;
  const payload = JSON.stringify({ localId: 'C-0001', dataUse: HEALTH_POINTS, purpose: 'health-points', items: [STEPS] });
  return new Promise((resolve, reject) => {
    const req = http.request(`${consumer.url}/sdk/v1/requests`, {
      method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      const arrived = performance.now();
      // The kill(2) calls themselves (ChildProcess#kill adds bookkeeping that can take a millisecond).
      process.kill(consumer.child.pid!, 'SIGKILL');
      process.kill(provider.child.pid!, 'SIGKILL');
      const killedAfterMs = performance.now() - arrived;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), killedAfterMs }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function exited(app: AppProcess): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  await new Promise((r) => app.child.once('exit', r));
}

/**
 * `rounds` times: an exchange under a new grant, both connectors killed at its answer, and each
 * outbox checked at once (nothing ran after the kill: the files hold what they held when the data
 * moved); then both started again. Returns the grants and what was missing.
 */
async function killRounds(site: Site, rounds: number): Promise<{ grants: string[]; missing: string[]; killDelaysMs: number[] }> {
  const grants: string[] = [];
  const missing: string[] = [];
  const killDelaysMs: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const answer = await exchangeThenKillBoth(site);
    expect(answer.status).toBe(200);
    killDelaysMs.push(Number(answer.killedAfterMs.toFixed(2)));
    const grantId = answer.body.grantId as string;
    grants.push(grantId);
    await Promise.all([exited(site.running.cashless), exited(site.running['misasa-health'])]);
    for (const name of ['cashless', 'misasa-health'] as const) {
      if (!reportsOf(site, name, grantId).some((r) => r.outcome === 'provided')) missing.push(`round ${round}: the ${name} outbox has no report of grant ${grantId}`);
    }
    const [cashless, misasa] = await Promise.all([site.startConnector(site.pair, 'cashless'), site.startConnector(site.pair, 'misasa-health')]);
    site.running = { cashless, 'misasa-health': misasa };
    await waitUntilFresh(misasa);
  }
  return { grants, missing, killDelaysMs };
}

/**
 * "No provision without a record" (ARCHITECTURE.md §6, docs/connector.md §8) with real processes:
 * both connectors from the shipped configuration files, stand-ins for the apps' internal APIs.
 * The worst moment: both connectors are killed with SIGKILL as soon as the first data answer under
 * a new grant reaches the consuming service, before either has told the hub. Each connector's
 * report must already be in its fsync'd outbox, and once both are started again the ledger holds
 * the exchange, reported by both sides. Against the hub on PostgreSQL, and (fewer rounds, to keep
 * the file short) on the embedded default `npm start` uses, PGlite behind one connection.
 */
describe('Provision reports survive both connectors killed at the first data answer (e2e)', () => {
  const dirs = { postgres: mkdtempSync(join(tmpdir(), 'tsunagu-provdurable-')), embedded: mkdtempSync(join(tmpdir(), 'tsunagu-provdurable-embedded-')) };
  let postgres: Site | undefined;
  let embedded: Site | undefined;
  let db: Client | undefined;
  const agent = new BrowserAgent();
  let csrf = '';
  let resident: PortalResident | undefined;

  /** The hub on PostgreSQL: the harness's usual start (links and the resident's session in `agent`). */
  async function startPostgres(): Promise<Site> {
    const dir = dirs.postgres;
    let site: Partial<Site> = { dir };
    const h = connectHelpers({ dir, agent, hub: () => site.hub!, cashless: () => site.running!.cashless, csrf: () => csrf });
    const setup = await startWithStandIns('provdurable', agent);
    ({ db, csrf } = setup);
    site = { ...site, hub: setup.hub, others: [setup.misasaApp, setup.cashlessApp], startConnector: h.startConnector };
    site.pair = await h.registerPair({ cashless: setup.cashlessApp.url, 'misasa-health': setup.misasaApp.url });
    site.running = await h.approveAndStart(setup.db, site.pair);
    expect((await h.portal('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS], expectedVersion: 0 })).status).toBe(201);
    return site as Site;
  }

  /** The embedded default: no DATABASE_URL (nothing else may connect to it), so links, approvals and checks go through the hub's APIs. */
  async function startEmbedded(): Promise<Site> {
    const dir = dirs.embedded;
    let site: Partial<Site> = { dir };
    const h = connectHelpers({ dir, agent: new BrowserAgent(), hub: () => site.hub!, cashless: () => site.running!.cashless, csrf: () => resident!.csrf });
    const services: { misasaApp: FakeService; cashlessApp: FakeService } = await startFakeServices();
    const port = await freePort();
    const hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...testCardEnv(join(dir, 'hub')),
      DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', DEMO_MISASA_URL: 'http://127.0.0.1:39102',
    }, port);
    site = { ...site, hub, others: [services.misasaApp, services.cashlessApp], startConnector: h.startConnector };
    resident = await (await new PortalResident(hub.url).signIn('tottori.taro')).verifyIdentity();
    for (const [clientId, callback, localId] of [['demo-cashless', 'http://127.0.0.1:39101/auth/callback', 'C-0001'], ['demo-misasa-health', 'http://127.0.0.1:39102/auth/callback', 'MH-0001']]) {
      const { tokens } = await codeFlow(resident.agent, await discover(`${hub.url}/oidc`, clientId, `${clientId}-secret`), callback);
      const linked = await fetch(`${hub.url}/api/v1/links`, { method: 'POST', headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' }, body: JSON.stringify({ localId }) });
      expect(linked.status).toBe(201);
    }
    site.pair = await h.registerPair({ cashless: services.cashlessApp.url, 'misasa-health': services.misasaApp.url });
    expect(await approveAsAdmin(hub.url, 'tottori-pref', site.pair.ids.cashless)).toBe('approved');
    expect(await approveAsAdmin(hub.url, 'misasa', site.pair.ids['misasa-health'])).toBe('approved');
    await endAdminSessions(hub.url);
    const [cashless, misasa] = await Promise.all([h.startConnector(site.pair, 'cashless'), h.startConnector(site.pair, 'misasa-health')]);
    site.running = { cashless, 'misasa-health': misasa };
    await waitUntilFresh(misasa);
    expect((await resident.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS] })).status).toBe(201);
    return site as Site;
  }

  beforeAll(async () => {
    // Both sites start side by side: the file stays well under a minute.
    const [pg, em] = await Promise.allSettled([startPostgres(), startEmbedded()]);
    if (pg.status === 'fulfilled') postgres = pg.value;
    if (em.status === 'fulfilled') embedded = em.value;
    for (const started of [pg, em]) if (started.status === 'rejected') throw started.reason;
  }, 180_000);

  afterAll(async () => {
    for (const site of [postgres, embedded]) {
      if (!site) continue;
      await tearDown({ connectors: Object.values(site.running ?? {}), hub: site.hub, others: site.others, dir: site.dir });
    }
    await db?.end();
    for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps both sides' reports through ${ROUNDS.postgres} kills at the first data answer, and the ledger on PostgreSQL gets both after the restart`, async () => {
    const site = postgres!;
    const { grants, missing, killDelaysMs } = await killRounds(site, ROUNDS.postgres);
    // How late each kill(2) came after the answer's arrival is part of the failure message (a loaded
    // machine can delay the test process itself: a late kill only makes a round easier to pass).
    expect({ missing, killDelaysMs }).toEqual({ missing: [], killDelaysMs: expect.any(Array) });

    // Started again, each connector sends what its outbox holds; the hub records both sides.
    const rows = await pollUntil(async () => (await db!.query(
      `SELECT grant_id, outcome, provider_reported_at, consumer_reported_at FROM provision_records WHERE grant_id = ANY($1)`, [grants])).rows as Json[],
    (r) => r.length === grants.length && r.every((x) => x.provider_reported_at && x.consumer_reported_at), 15_000);
    expect(rows.map((r) => r.grant_id).sort()).toEqual([...grants].sort());
    for (const row of rows) expect(row).toMatchObject({ outcome: 'provided', provider_reported_at: expect.any(Date), consumer_reported_at: expect.any(Date) });
    // The resident sees each of them, its receipt confirmed by the consuming side (this database holds only these exchanges).
    const agentCookie = agent.cookieHeader(new URL(site.hub.url));
    const { provisions } = await (await fetch(`${site.hub.url}/api/v1/portal/provisions`, { headers: { cookie: agentCookie } })).json() as Json;
    const provided = (provisions as Json[]).filter((p) => p.outcome === 'provided');
    expect(provided.map((p) => p.receipt)).toEqual(grants.map(() => 'confirmed'));
  }, 120_000);

  it(`does the same on the embedded default (${ROUNDS.embedded} kills): the resident sees every provision, receipt confirmed`, async () => {
    const site = embedded!;
    const { grants, missing, killDelaysMs } = await killRounds(site, ROUNDS.embedded);
    expect({ missing, killDelaysMs }).toEqual({ missing: [], killDelaysMs: expect.any(Array) });
    // No second connection to PGlite: the resident's ledger shows the consumer side (receipt), the
    // provider's outbox that the hub acknowledged its report of each grant.
    const provided = await pollUntil(async () => ((await resident!.api('GET', '/api/v1/portal/provisions')).body.provisions as Json[]).filter((p) => p.outcome === 'provided'),
      (p) => p.length === grants.length && p.every((x) => x.receipt === 'confirmed'), 15_000);
    expect(provided.map((p) => p.receipt)).toEqual(grants.map(() => 'confirmed'));
    const acknowledged = await pollUntil(async () => grants.map((g) => reportsOf(site, 'misasa-health', g).some((r) => r.outcome === 'provided' && r.done)),
      (a) => a.every(Boolean), 15_000);
    expect(acknowledged).toEqual(grants.map(() => true));
  }, 120_000);
});
