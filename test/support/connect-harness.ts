import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type BrowserAgent, createTestDatabase, formAction, hiddenFields, testCardEnv, testRedis, verifyWithTestCard } from '@tsunagu/testing';
import { Client } from 'pg';
import { loadConnectorConfigFile } from '../../apps/connector/src/config/connector-file';
import { FakeService } from '../../apps/connector/src/testing/fake-service';
import { type AppProcess, freePort, ROOT, startApp } from './processes';

const run = promisify(execFile);

export const HEALTH_POINTS = 'cashless.health-points';
export const STEPS = 'misasa-health.daily-steps';
export const VISITS = 'misasa-health.onsen-visits';

export type ConnectorName = 'cashless' | 'misasa-health';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of many shapes, checked by the assertions
export type Json = any;

/** A calendar date in Japan, `offsetDays` from today. */
export function japanDate(offsetDays = 0): string {
  return new Date(Date.now() + 9 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** The hub process, its database, and the resident `tottori.taro` signed in to the portal and verified with the test card. */
export interface HubSetup {
  hub: AppProcess;
  /** The hub's environment and port, to start it again after a test stopped it. */
  env: Record<string, string>;
  port: number;
  db: Client;
  csrf: string;
}

export interface HubSetupOptions {
  /** Prefix of the test database's name. */
  database: string;
  agent: BrowserAgent;
  /** The resident's local IDs, by the service's client_id (rows of `service_links`). */
  links: Record<string, string>;
  /** Where the hub sends residents to the demos (only the portal's links use them). */
  demoUrls?: { cashless: string; misasa: string };
  /** Adds to the hub's environment. */
  hubEnv?: Record<string, string>;
}

/**
 * Starts the hub on a fresh database and Redis prefix, signs the resident in (the session and the
 * portal's CSRF token end up in `agent`), verifies their identity with the development test card
 * (`cashless.health-points` requires a verified identity), links the resident's local IDs and
 * grants the API permissions — the state every cross-process connector spec starts from.
 */
export async function startHubWithResident(options: HubSetupOptions): Promise<HubSetup> {
  const port = await freePort();
  const redis = testRedis();
  const url = await createTestDatabase(options.database);
  const env = {
    PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: url,
    REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, KEY_ENCRYPTION_KEY: 'e'.repeat(43), ...testCardEnv(),
    DEMO_CASHLESS_URL: options.demoUrls?.cashless ?? 'http://127.0.0.1:39101', DEMO_MISASA_URL: options.demoUrls?.misasa ?? 'http://127.0.0.1:39102',
    ...options.hubEnv,
  };
  const hub = await startApp('apps/hub/src/main.js', env, port);
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const { agent } = options;
    const start = await agent.follow(`${hub.url}/account/login`);
    const loginPage = await start.res.text();
    await agent.follow(formAction(loginPage, '/login', start.url)!, { form: { ...hiddenFields(loginPage, '/login'), loginId: 'tottori.taro', password: 'tsunagu-demo-2026' } });
    const me = await fetch(`${hub.url}/api/v1/portal/me`, { headers: { cookie: agent.cookieHeader(new URL(hub.url)) } });
    const csrf = ((await me.json()) as Json).csrfToken as string;
    await verifyWithTestCard(agent, hub.url);
    await db.query(`INSERT INTO service_links (tenant_id, service_id, resident_id, local_id)
      SELECT s.tenant_id, s.id, r.id, v.local_id FROM unnest($1::text[], $2::text[]) AS v(client_id, local_id)
      JOIN services s ON s.client_id = v.client_id JOIN residents r ON r.login_id = 'tottori.taro'`, [Object.keys(options.links), Object.values(options.links)]);
    return { hub, env, port, db, csrf };
  } catch (error) {
    await db.end();
    await hub.stop();
    throw error;
  }
}

/**
 * Puts every agreement of a data use in a state, as the providing tenant's admin would by its
 * screens (the demo seed leaves them approved): `pending` to see the default deny.
 */
export async function setAgreementState(db: Client, dataUse: string, state: 'pending' | 'approved' | 'suspended'): Promise<void> {
  await db.query(`UPDATE data_agreements SET state = $2, updated_at = now() WHERE data_use_id = (SELECT id FROM data_uses WHERE code = $1)`, [dataUse, state]);
}

/** Stand-ins for both demos' internal APIs (the resident is `C-0001` / `MH-0001`), started; the Misasa one answers yesterday's steps and one visit. */
export async function startFakeServices(): Promise<{ misasaApp: FakeService; cashlessApp: FakeService }> {
  const [misasaApp, cashlessApp] = await Promise.all([new FakeService().start(), new FakeService().start()]);
  misasaApp.routes.set('/internal/v1/users/MH-0001/daily-steps', { body: { userId: 'MH-0001', days: [{ day: japanDate(-1), steps: 6800 }] } });
  misasaApp.routes.set('/internal/v1/users/MH-0001/onsen-visits', {
    body: { userId: 'MH-0001', visits: [{ date: japanDate(-1), time: '18:30', facilityId: 'misasa-kabuyu', facility: '三朝温泉 株湯', bathMinutes: 25 }] },
  });
  return { misasaApp, cashlessApp };
}

/** The start of the specs that fake both apps' internal APIs: resident `C-0001` / `MH-0001`, the cashless service permitted to use both Misasa items. */
export async function startWithStandIns(database: string, agent: BrowserAgent, hubEnv?: Record<string, string>): Promise<HubSetup & { misasaApp: FakeService; cashlessApp: FakeService }> {
  const setup = await startHubWithResident({
    database, agent, hubEnv, links: { 'demo-cashless': 'C-0001', 'demo-misasa-health': 'MH-0001' },
  });
  return { ...setup, ...await startFakeServices() };
}

/** Stops what a spec started — the connectors first (they talk to the hub), then the hub, its database client and the rest — and removes the spec's folder. */
export async function tearDown(parts: { connectors: (AppProcess | undefined)[]; hub?: AppProcess; db?: Client; others?: ({ stop(): Promise<void> } | undefined)[]; dir: string }): Promise<void> {
  await Promise.all(parts.connectors.map((c) => c?.stop()));
  await parts.hub?.stop();
  await parts.db?.end();
  await Promise.all((parts.others ?? []).map((o) => o?.stop()));
  rmSync(parts.dir, { recursive: true, force: true });
}

/** Polls a providing connector's `/health` until its revocation set is fresh (it refuses every exchange before). */
export async function waitUntilFresh(connector: AppProcess, fresh = true, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = await fetch(`${connector.url}/health`).then((r) => r.json() as Promise<Json>).catch(() => undefined);
    if (health?.revocations?.fresh === fresh) return;
    if (Date.now() > deadline) throw new Error(`connector never became ${fresh ? 'fresh' : 'stale'}:\n${connector.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Both connectors as registered by `connector:register`: their configuration files, ports and hub-assigned IDs. */
export interface RegisteredPair {
  files: Record<ConnectorName, string>;
  ports: Record<ConnectorName, number>;
  ids: Record<ConnectorName, string>;
}

/** What the helpers read from a spec's state (getters: the spec assigns its processes in beforeAll). */
export interface ConnectSpecState {
  dir: string;
  agent: BrowserAgent;
  hub(): AppProcess;
  cashless(): AppProcess;
  csrf(): string;
}

/** One SDK call: by default the cashless service asking for the Misasa items of `cashless.health-points` for `C-0001`. */
export interface SdkCall {
  connector?: AppProcess;
  localId?: string;
  dataUse?: string;
  purpose?: string;
  /** Ask for what the consent allows (`consentedOnly: true`). */
  consentedOnly?: boolean;
}

/**
 * Helpers of the cross-process connector specs: the resident portal's JSON API, the consumer
 * connector's SDK, connector configuration files derived from the shipped ones, the
 * `connector:register` CLI, and starting both connectors once approved.
 */
export function connectHelpers(state: ConnectSpecState) {
  async function portal(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const url = `${state.hub().url}${path}`;
    const res = await fetch(url, {
      method,
      headers: { cookie: state.agent.cookieHeader(new URL(url)), ...(body === undefined ? {} : { 'content-type': 'application/json', 'x-csrf-token': state.csrf() }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  async function sdk(items = [STEPS, VISITS], call: SdkCall = {}): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${(call.connector ?? state.cashless()).url}/sdk/v1/requests`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        localId: call.localId ?? 'C-0001', dataUse: call.dataUse ?? HEALTH_POINTS, purpose: call.purpose ?? 'health-points', items,
        ...(call.consentedOnly === undefined ? {} : { consentedOnly: call.consentedOnly }),
      }),
    });
    return { status: res.status, body: await res.json() };
  }

  async function configFile(name: ConnectorName, port: number, serviceUrl: string): Promise<string> {
    const { source: _source, hub: _hub, keys: _keys, ...raw } = loadConnectorConfigFile(join(ROOT, 'connector-configs', `${name}.yaml`));
    const file = join(state.dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({
      ...raw,
      hub: { url: state.hub().url },
      service: { ...raw.service, url: serviceUrl, timeoutMs: 2000 },
      listen: { host: '127.0.0.1', port },
      publicUrl: `http://127.0.0.1:${port}`,
      keys: { file: join(state.dir, 'keys', `${name}.key.json`) },
      revocations: { pullIntervalSeconds: 1, stalenessSeconds: 5, retainSeconds: 600 },
    }));
    return file;
  }

  async function register(file: string, extra: string[] = []): Promise<string> {
    const { stdout } = await run(process.execPath, [join(ROOT, 'dist/apps/connector/src/cli/register.js'), '--config', file, '--no-wait', ...extra], { cwd: ROOT });
    return stdout;
  }

  /** Writes both configuration files and registers both connectors; each registration must come back `pending`. */
  async function registerPair(serviceUrls: Record<ConnectorName, string>): Promise<RegisteredPair> {
    const ports = { cashless: await freePort(), 'misasa-health': await freePort() };
    const files = {
      cashless: await configFile('cashless', ports.cashless, serviceUrls.cashless),
      'misasa-health': await configFile('misasa-health', ports['misasa-health'], serviceUrls['misasa-health']),
    };
    for (const name of ['cashless', 'misasa-health'] as const) {
      const out = await register(files[name]);
      if (!out.includes('pending')) throw new Error(`${name} was not registered as pending:\n${out}`);
    }
    const id = (name: ConnectorName): string => JSON.parse(readFileSync(join(state.dir, 'keys', `${name}.key.registration.json`), 'utf8')).connectorId;
    return { files, ports, ids: { cashless: id('cashless'), 'misasa-health': id('misasa-health') } };
  }

  /** Starts one registered connector process. */
  function startConnector(pair: RegisteredPair, name: ConnectorName): Promise<AppProcess> {
    return startApp('apps/connector/src/main.js', { CONNECTOR_CONFIG: pair.files[name] }, pair.ports[name]);
  }

  /** Approves both connectors (as a tenant admin would), starts both, and waits until the Misasa provider has pulled the hub's signed feed. */
  async function approveAndStart(db: Client, pair: RegisteredPair): Promise<Record<ConnectorName, AppProcess>> {
    await db.query(`UPDATE connectors SET status = 'approved', status_changed_at = now()`);
    const [cashless, misasa] = await Promise.all([startConnector(pair, 'cashless'), startConnector(pair, 'misasa-health')]);
    await waitUntilFresh(misasa);
    return { cashless, 'misasa-health': misasa };
  }

  return { portal, sdk, configFile, register, registerPair, startConnector, approveAndStart };
}
