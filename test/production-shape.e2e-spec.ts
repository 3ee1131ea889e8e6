import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Agent, fetch as undiciFetch, setGlobalDispatcher } from 'undici';
import { Pool } from 'pg';
import { pollUntil } from '@tsunagu/testing';
import { ConnectorClient, ConnectorSdkError } from '@tsunagu/connector-sdk';
import { loadConnectorConfigFile } from '../apps/connector/src/config/connector-file';
import { AdminClient } from './admin-support';
import { ARTIFACTS, launchBrowser, linkIfAsked, screenshot } from './support/browser';
import { startNginx, type TestNginx } from './support/nginx';
import { type PrivateServer, startPrivatePostgres, startPrivateRedis } from './support/private-servers';
import { type AppProcess, freePort, ROOT, startApp } from './support/processes';

const run = promisify(execFile);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of many shapes, checked by the assertions
type Json = any;

const HEALTH_POINTS = 'cashless.health-points';
const STEPS = 'misasa-health.daily-steps';
const VISITS = 'misasa-health.onsen-visits';

/** One request of the steady load: when it was sent and answered, and how. */
interface Shot { kind: string; sentAt: number; doneAt: number; status: number | 'error' }

/**
 * The production shape on this machine, with the parts a deployment runs (docs/operations.md):
 * Debian's nginx with the deployment's own configuration files terminating TLS (a certificate
 * from a CA made here) in front of two hub replicas (HUB_ROLE=web) and a worker process, all with
 * NODE_ENV=production and no demo seed, on a PostgreSQL and a Redis (append-only file) of this
 * test's own so it can restart them. Admins come from `admin:create`; tenants, services, offers,
 * a data use and its agreement are made through the admin API; both connectors are registered with
 * `connector:register` (keys 0600) and approved by their tenants' admins; the demo services are
 * relying parties over https. A resident then goes through the whole scenario in Chromium while a
 * steady load runs and a replica is SIGKILLed, Redis and PostgreSQL restarted.
 */
describe('The production shape: TLS load balancer, two replicas and a worker, real installs (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-production-'));
  const keyEncryptionKey = randomBytes(32).toString('base64url');
  const tokens = {
    cashless: { service: randomBytes(24).toString('base64url'), sdk: randomBytes(24).toString('base64url') },
    'misasa-health': { service: randomBytes(24).toString('base64url'), sdk: randomBytes(24).toString('base64url') },
  };
  let postgres: PrivateServer;
  let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
  let nginx: TestNginx;
  /** The test's own reads of the database (a pool: it reconnects after the PostgreSQL restart). */
  let db: Pool;
  const nativeFetch = globalThis.fetch;
  let dispatcher: Agent | undefined;
  const replicas: AppProcess[] = [];
  let worker: AppProcess;
  const others: AppProcess[] = [];
  /** Every process started, by name, for the logs written at the end. */
  const named: Record<string, AppProcess> = {};
  const started = (name: string, app: AppProcess) => ((named[name] = app), app);
  let hubEnv: Record<string, string>;
  let replicaPorts: number[];
  let hub: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const ports: Record<string, number> = {};
  const url = (name: string) => `http://127.0.0.1:${ports[name]}`;
  /** Where residents reach the demo services (https, through nginx). */
  const publicUrl: Record<string, string> = {};
  const admins: Record<string, AdminClient> = {};
  const ids: Record<string, string> = {};
  const secrets: Record<string, string> = {};

  /** The hub's own CLIs (dist/scripts), with the hub's production settings. */
  const hubCli = async (script: string, args: string[], input?: string) => {
    const child = run(process.execPath, [join(ROOT, 'dist', 'scripts', `${script}.js`), ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...hubEnv, LOG_LEVEL: 'warn' } });
    if (input !== undefined) { child.child.stdin!.end(input); }
    return (await child).stdout;
  };

  beforeAll(async () => {
    chmodSync(dir, 0o755); // the private PostgreSQL runs as its own user
    [postgres, redis] = await Promise.all([startPrivatePostgres(join(dir, 'postgres')), startPrivateRedis(join(dir, 'redis'))]);
    for (const name of ['replica1', 'replica2', 'worker', 'cashless', 'misasa', 'connector-cashless', 'connector-misasa-health']) ports[name] = await freePort();
    replicaPorts = [ports.replica1, ports.replica2];
    // The demo services are served over TLS too (a vendor's own terminator), with the same certificate.
    nginx = await startNginx(dir, replicaPorts.map((p) => `127.0.0.1:${p}`), [ports.cashless, ports.misasa]);
    [publicUrl.cashless, publicUrl.misasa] = nginx.sites;
    hub = nginx.url;
    // This process trusts the test CA as the platform's own processes do (NODE_EXTRA_CA_CERTS).
    // Jest's sandbox cannot reach the dispatcher of Node's own fetch: use undici's, with the CA.
    setGlobalDispatcher(dispatcher = new Agent({ connect: { ca: nginx.tls.ca } }));
    globalThis.fetch = undiciFetch as unknown as typeof fetch;
    hubEnv = {
      NODE_ENV: 'production', HOST: '127.0.0.1', PUBLIC_URL: hub, DATABASE_URL: postgres.url, REDIS_URL: redis.url,
      KEY_ENCRYPTION_KEY: keyEncryptionKey, SEED_DEMO: 'false', TRUST_PROXY: 'true', ADMIN_TRUSTED_PROXIES: '127.0.0.1/32',
      ADMIN_SYSTEM_ALLOWED_CIDRS: '127.0.0.1/32', METRICS_ALLOWED_CIDRS: '127.0.0.1/32',
      BACKUP_ENCRYPTION_KEY: randomBytes(32).toString('base64url'), BACKUP_DIR: join(dir, 'backups'), LOG_DIR: join(dir, 'logs'), DATA_DIR: join(dir, 'hub-data'),
      NODE_EXTRA_CA_CERTS: nginx.tls.caFile, LOG_LEVEL: 'info',
    };
    // The production way: migrations first, then the replicas and the worker.
    await hubCli('migrate', []);
    replicas.push(...await Promise.all(replicaPorts.map(async (port, i) => started(`hub-${i + 1}`, await startApp('apps/hub/src/main.js', { ...hubEnv, HUB_ROLE: 'web', PORT: String(port) }, port)))));
    worker = started('worker', await startApp('apps/hub/src/worker.main.js', { ...hubEnv, HUB_ROLE: 'worker', PORT: String(await freePort()), WORKER_PORT: String(ports.worker) }, ports.worker));
    db = new Pool({ connectionString: postgres.url, max: 2 });
    db.on('error', () => undefined); // the restart below ends its idle sessions too
  }, 120_000);

  afterAll(async () => {
    // Every process's output, for whoever reads a failure (test/artifacts is not committed).
    const logs = join(ARTIFACTS, 'production-shape');
    mkdirSync(logs, { recursive: true });
    for (const [name, p] of Object.entries(named)) writeFileSync(join(logs, `${name}.log`), p.output());
    await context?.close();
    await browser?.close();
    await Promise.all(others.map((p) => p.stop()));
    await Promise.all([...replicas, worker].map((p) => p?.stop()));
    await db?.end().catch(() => undefined);
    await nginx?.stop();
    await Promise.all([postgres?.stop(), redis?.stop()]);
    globalThis.fetch = nativeFetch;
    await dispatcher?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('serves over TLS only through nginx, with no demo seed and /metrics closed to the outside', async () => {
    const discovery = await (await fetch(`${hub}/oidc/.well-known/openid-configuration`)).json() as Json;
    expect(discovery.issuer).toBe(`${hub}/oidc`);
    expect((await fetch(`${hub}/metrics`)).status).toBe(404);
    // What the migrations create (the prefecture and its municipalities, the portal's own client) and nothing more.
    const counts = (await db.query(`SELECT (SELECT count(*)::int FROM residents) AS residents, (SELECT count(*)::int FROM admin_accounts) AS admins,
      (SELECT array_agg(client_id) FROM services) AS services, (SELECT count(*)::int FROM connectors) AS connectors, (SELECT count(*)::int FROM data_uses) AS uses`)).rows[0];
    expect(counts).toEqual({ residents: 0, admins: 0, services: ['tsunagu-portal'], connectors: 0, uses: 0 });
    const health = await (await fetch(`${url('worker')}/health`)).json();
    expect(health).toEqual({ status: 'ok', role: 'worker' });
  });

  it('creates the system admin with admin:create, and the tenants\' admins through the admin API', async () => {
    const created = JSON.parse(await hubCli('admin-create', ['--login', 'ops', '--system', '--json']));
    admins.system = new AdminClient(hub, 'ops', created.password, created.totpSecret);
    expect((await admins.system.signIn()).status).toBe(303);
    for (const [key, code, nameJa] of [['pref', 'tottori-pref', '鳥取県'], ['misasa', 'misasa', '三朝町']]) {
      ids[key] = (await db.query(`SELECT id FROM tenants WHERE code = $1`, [code])).rows[0].id;
      const nameEn = code === 'misasa' ? 'Misasa Town' : 'Tottori Prefecture';
      const kind = code === 'misasa' ? 'municipality' : 'prefecture';
      // Their admins work from the office network only.
      expect((await admins.system.post(`/system/tenants/${ids[key]}`, { nameJa, nameEn, kind, allowedCidrs: '127.0.0.1/32' })).status).toBe(303);
      const admin = await admins.system.post(`/system/tenants/${ids[key]}/admins`, { loginId: `admin-${code}`, displayName: `${nameJa} 担当者` });
      expect(admin.status).toBe(201);
      const page = await admin.text();
      const field = (id: string) => page.match(new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`))![1];
      admins[key] = new AdminClient(hub, `admin-${code}`, field('initial-password'), field('totp-secret'));
      expect((await admins[key].signIn()).status).toBe(303);
    }
  });

  it('registers each tenant\'s service as an OIDC client and gets its secret once', async () => {
    for (const [key, clientId, nameJa, nameEn, demo] of [['pref', 'demo-cashless', 'キャッシュレス決済基盤', 'Cashless payment base', 'cashless'], ['misasa', 'demo-misasa-health', '三朝温泉ヘルスケアアプリ', 'Misasa onsen health app', 'misasa']]) {
      const res = await admins[key].json('POST', '/admin/services', {
        clientId, nameJa, nameEn, redirectUris: `${publicUrl[demo]}/auth/callback`, postLogoutRedirectUris: `${publicUrl[demo]}/`, authMethod: 'client_secret_basic',
      });
      expect(res.status).toBe(201);
      ids[clientId] = res.body.id;
      secrets[clientId] = res.body.clientSecret;
    }
  });

  /** A connector's configuration file as its vendor writes it: the shipped one with this deployment's addresses. */
  function connectorConfig(name: 'cashless' | 'misasa-health', serviceUrl: string): string {
    const { source: _source, hub: _hub, keys: _keys, ...raw } = loadConnectorConfigFile(join(ROOT, 'connector-configs', `${name}.yaml`));
    const file = join(dir, `${name}.connector.json`);
    const port = ports[`connector-${name}`];
    writeFileSync(file, JSON.stringify({
      ...raw, hub: { url: hub }, service: { ...raw.service, url: serviceUrl }, listen: { host: '127.0.0.1', port },
      publicUrl: `http://127.0.0.1:${port}`, keys: { file: join(dir, 'connector-keys', `${name}.key.json`) },
    }));
    return file;
  }
  const connectorEnv = (name: 'cashless' | 'misasa-health', file: string) => ({
    NODE_ENV: 'production', CONNECTOR_CONFIG: file, CONNECTOR_SERVICE_TOKEN: tokens[name].service, CONNECTOR_SDK_TOKEN: tokens[name].sdk,
    NODE_EXTRA_CA_CERTS: nginx.tls.caFile, LOG_LEVEL: 'info',
  });

  it('starts the demo services as relying parties of the hub over https', async () => {
    for (const [name, prefix, clientId, connector] of [['cashless', 'DEMO_CASHLESS', 'demo-cashless', 'cashless'], ['misasa', 'DEMO_MISASA', 'demo-misasa-health', 'misasa-health']] as const) {
      others.push(started(clientId, await startApp(`apps/${clientId}/src/main.js`, {
        NODE_ENV: 'production', HUB_URL: hub, DEMO_STORE: 'memory', DATA_DIR: join(dir, 'demo-data'), NODE_EXTRA_CA_CERTS: nginx.tls.caFile,
        [`${prefix}_PORT`]: String(ports[name]), [`${prefix}_PUBLIC_URL`]: publicUrl[name], DEMO_TRUST_PROXY: 'true', [`${prefix}_CLIENT_SECRET`]: secrets[clientId],
        DEMO_SESSION_SECRET: randomBytes(32).toString('base64url'),
        CONNECTOR_SERVICE_TOKEN: tokens[connector].service, CONNECTOR_SDK_TOKEN: tokens[connector].sdk, CONNECTOR_SDK_URL: `http://127.0.0.1:${ports[`connector-${connector}`]}`,
      }, ports[name])));
    }
  });

  it('registers both connectors with connector:register (keys 0600), refuses a loose key file, and starts them once their tenants approve', async () => {
    for (const [name, demo, tenant] of [['cashless', 'cashless', 'pref'], ['misasa-health', 'misasa', 'misasa']] as const) {
      const file = connectorConfig(name, url(demo));
      const { stdout } = await run(process.execPath, [join(ROOT, 'dist/apps/connector/src/cli/register.js'), '--config', file, '--no-wait'], { cwd: ROOT, env: { PATH: process.env.PATH, ...connectorEnv(name, file) } });
      expect(stdout).toContain('pending');
      const keyFile = join(dir, 'connector-keys', `${name}.key.json`);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      ids[`connector-${name}`] = JSON.parse(readFileSync(join(dir, 'connector-keys', `${name}.key.registration.json`), 'utf8')).connectorId;
      // A key file others can read is refused before the connector serves anything.
      chmodSync(keyFile, 0o644);
      const port = ports[`connector-${name}`];
      await expect(startApp('apps/connector/src/main.js', connectorEnv(name, file), port)).rejects.toThrow(/permission|0600|mode/i);
      chmodSync(keyFile, 0o600);
      const approved = await admins[tenant].post(`/admin/connectors/${ids[`connector-${name}`]}/approve`);
      expect(approved.status).toBe(303);
      others.push(started(`connector-${name}`, await startApp('apps/connector/src/main.js', connectorEnv(name, file), port)));
    }
    const { rows } = await db.query(`SELECT name, status FROM connectors ORDER BY name`);
    expect(rows).toEqual([{ name: 'cashless', status: 'approved' }, { name: 'misasa-health', status: 'approved' }]);
  });

  it('publishes the offers the connector declared, writes the data use and has the provider approve it', async () => {
    for (const code of [STEPS, VISITS]) {
      const offer = await pollUntil(() => admins.misasa.json('GET', `/admin/offers/${code}`), (r) => r.status === 200, 15_000, 200);
      const version = offer.body.versions?.[0]?.version ?? offer.body.offer?.latestVersion ?? 1;
      expect((await admins.misasa.json('POST', `/admin/offers/${code}/versions/${version}/activate`)).status).toBeLessThan(300);
    }
    const use = await admins.pref.json('POST', '/admin/data-uses', {
      code: HEALTH_POINTS, consumerServiceId: ids['demo-cashless'], titleJa: '健康ポイント', titleEn: 'Health points',
      purposeCode: 'health-points', purposeCategory: 'PersonalisedBenefits', purposeJa: '三朝町のヘルスケアアプリの歩数と入浴の記録に応じて、キャッシュレス決済基盤のポイントを付与します。',
      purposeEn: 'Gives cashless points for the steps and onsen visits recorded by the Misasa health app.', items: [STEPS, VISITS], retentionDays: '90',
      consentValidDays: '365', controllerNameJa: '鳥取県', controllerNameEn: 'Tottori Prefecture', controllerContact: 'cashless@pref.tottori.example.jp',
      controllerType: 'public', privacyNoticeUrl: `${publicUrl.cashless}/privacy`,
    });
    expect(use.status).toBe(201);
    const agreements = await admins.misasa.json('GET', '/admin/agreements');
    const agreement = agreements.body.incoming.find((a: Json) => a.state === 'pending' && a.data_use_code === HEALTH_POINTS);
    expect((await admins.misasa.json('POST', `/admin/agreements/${agreement.id}/approve`, {})).status).toBeLessThan(300);
  });
  const RESIDENT = { loginId: 'inaba.sakura', displayName: '因幡 さくら', password: 'sakura-no-hana-2026' };
  const sdk = () => new ConnectorClient({ baseUrl: url('connector-cashless'), token: tokens.cashless.sdk });
  const exchange = () => sdk().request({ localId: 'C-2026-0001', dataUse: HEALTH_POINTS, purpose: 'health-points', items: [STEPS, VISITS] });
  /** The resident's hub cookies (from Chromium) and the portal's CSRF token. */
  const residentSession = async () => {
    const cookie = (await context.cookies(hub)).map((c) => `${c.name}=${c.value}`).join('; ');
    const me = await fetch(`${hub}/api/v1/portal/me`, { headers: { cookie } });
    return { cookie, csrf: me.ok ? ((await me.json()) as Json).csrfToken as string : '' };
  };
  const portalApi = async (method: string, path: string, body?: unknown, base = hub) => {
    const { cookie, csrf } = await residentSession();
    const res = await fetch(`${base}${path}`, {
      method, headers: { cookie, 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'x-forwarded-proto': 'https' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => undefined) as Json };
  };
  const consentId = async () => (await portalApi('GET', '/api/v1/portal/consents')).body.find((c: Json) => c.dataUse.code === HEALTH_POINTS).consent.consentId as string;

  /**
   * A steady load through nginx while `fault` runs: the portal's session API and discovery (GET),
   * and exchanges through the consumer connector's SDK (whose grants are POSTs to the hub).
   * Runs `settleMs` longer after the fault, and answers every request's timing and outcome.
   */
  async function underLoad(fault: () => Promise<void>, settleMs = 6000): Promise<{ shots: Shot[]; faultAt: number; faultDoneAt: number }> {
    const shots: Shot[] = [];
    let running = true;
    const { cookie } = await residentSession();
    const loop = async (kind: string, call: () => Promise<number>) => {
      while (running) {
        const sentAt = Date.now();
        const status = await call().catch(() => 'error' as const);
        shots.push({ kind, sentAt, doneAt: Date.now(), status });
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const loops = [
      loop('session', async () => (await fetch(`${hub}/api/v1/portal/me`, { headers: { cookie } })).status),
      loop('session', async () => (await fetch(`${hub}/api/v1/portal/consents`, { headers: { cookie } })).status),
      loop('discovery', async () => (await fetch(`${hub}/oidc/.well-known/openid-configuration`)).status),
      loop('exchange', () => exchange().then(() => 200, (e: unknown) => (e instanceof ConnectorSdkError ? e.status || 599 : 599))),
    ];
    // The load is measured over time windows (before, during and after the fault), not waited on.
    await new Promise((r) => setTimeout(r, 1500));
    const faultAt = Date.now();
    await fault();
    const faultDoneAt = Date.now();
    await new Promise((r) => setTimeout(r, settleMs));
    running = false;
    await Promise.all(loops);
    return { shots, faultAt, faultDoneAt };
  }
  const failed = (shots: Shot[]) => shots.filter((s) => s.status === 'error' || s.status >= 500);
  const summary = (shots: Shot[]) => Object.entries(shots.reduce<Record<string, number>>((n, s) => ({ ...n, [`${s.kind}:${s.status}`]: (n[`${s.kind}:${s.status}`] ?? 0) + 1 }), {}));

  it('takes a resident through the whole scenario in Chromium: sign up, single sign-on, link, opt in, exchange, ledger', async () => {
    browser = await launchBrowser([`--ignore-certificate-errors-spki-list=${nginx.tls.spkiSha256}`]);
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
    page = await context.newPage();
    await page.goto(publicUrl.cashless);
    await page.click('text=Tottori ID でログイン');
    await page.waitForSelector('#loginId');
    expect(page.url().startsWith(hub)).toBe(true);
    await Promise.all([page.waitForSelector('#displayName'), page.click('a[href*="/register"]')]);
    await page.fill('#displayName', RESIDENT.displayName);
    await page.fill('#loginId', RESIDENT.loginId);
    await page.fill('#password', RESIDENT.password);
    await page.click('form button[type=submit]');
    await page.waitForSelector('text=情報提供の確認');
    await page.click('button:has-text("許可する")');
    await page.waitForURL((u) => u.href.startsWith(publicUrl.cashless));
    await linkIfAsked(page, 'C-2026-0001', '1111');
    await page.goto(`${publicUrl.cashless}/member`);
    expect(await page.textContent('body')).toContain('C-2026-0001');

    await page.goto(publicUrl.misasa);
    await page.click('text=Tottori ID でログイン');
    await page.waitForSelector('text=情報提供の確認');
    expect(await page.locator('#password').count()).toBe(0); // signed in once, at the first service
    await page.click('button:has-text("許可する")');
    await page.waitForURL((u) => u.href.startsWith(publicUrl.misasa));
    await linkIfAsked(page, 'MH-0001', '1111');

    await page.goto(`${hub}/portal/data-uses/${HEALTH_POINTS}`);
    await Promise.all([page.waitForURL(/\/portal\/consents\/[0-9a-f-]+\?done=given/), page.click('[data-action=agree]')]);
    await page.goto(`${publicUrl.cashless}/member`);
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("健康ポイントを確認")')]);
    await page.waitForSelector('[data-testid=health-points-total]');
    await screenshot(page, 'production-01-health-points');
    await page.goto(`${hub}/portal/provisions`);
    expect(await page.innerText('[data-testid=provisions]')).toContain('1日ごとの歩数');
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM provision_records`);
    expect(rows[0].n).toBeGreaterThan(0);
  }, 120_000);

  it('keeps serving through the other replica when one is SIGKILLed under load, and a withdrawal it was answering is still enforced', async () => {
    const consent = await consentId();
    const replica = replicas[0];
    let killedAnswer: number | string = 'none';
    const { shots, faultAt } = await underLoad(async () => {
      // The withdrawal goes to the replica about to die; it dies the moment the withdrawal commits,
      // before it could answer or push it to the connectors.
      const answer = portalApi('POST', `/api/v1/portal/consents/${consent}/withdraw`, {}, replica.url).catch(() => ({ status: 'error' }));
      await pollUntil(async () => (await db.query(`SELECT count(*)::int AS n FROM consent_change_outbox WHERE consent_id = $1 AND version = 2`, [consent])).rows[0].n, (n) => n > 0, 10_000, 5);
      replica.child.kill('SIGKILL');
      // Almost always unanswered (the replica waits for both connectors' acknowledgements first);
      // answered or not, the withdrawal must be enforced — checked below.
      killedAnswer = (await answer).status;
    }, 8000);
    process.stdout.write(`withdrawal sent to the killed replica: answered ${killedAnswer}\n`);
    process.stdout.write(`replica SIGKILL under load: ${JSON.stringify(summary(shots))}\n`);
    // Reads never fail (nginx passes them to the other replica); a POST in flight may, only while nginx notices.
    expect(failed(shots.filter((s) => s.kind !== 'exchange'))).toEqual([]);
    expect(failed(shots).filter((s) => s.sentAt > faultAt + 2000)).toEqual([]);
    // Nobody got data after the withdrawal's enforcement time; the withdrawal is enforced by both connectors.
    const outbox = await pollUntil(async () => (await db.query(`SELECT enforced_at, enforce_by FROM consent_change_outbox WHERE consent_id = $1 AND version = 2`, [consent])).rows[0], (r) => r.enforced_at !== null, 20_000, 200);
    expect(shots.filter((s) => s.kind === 'exchange' && s.status === 200 && s.sentAt > Date.parse(outbox.enforced_at.toISOString())).length).toBe(0);
    await expect(exchange()).rejects.toMatchObject({ code: expect.stringMatching(/^consent_(withdrawn|revoked)$/) });
    // The resident's session lives on: the portal answers through the surviving replica.
    expect((await portalApi('GET', '/api/v1/portal/me')).status).toBe(200);
    await page.goto(`${hub}/account`);
    expect(await page.locator('#password').count()).toBe(0);
    // The replica comes back; consenting again works as before.
    replicas[0] = started('hub-1', await startApp('apps/hub/src/main.js', { ...hubEnv, HUB_ROLE: 'web', PORT: String(replicaPorts[0]) }, replicaPorts[0]));
    expect((await portalApi('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS, VISITS], expectedVersion: 2 })).status).toBe(201);
    await pollUntil(() => exchange().then(() => true, () => false), (ok) => ok, 10_000, 200);
  }, 120_000);

  for (const server of ['Redis', 'PostgreSQL'] as const) {
    it(`recovers from a ${server} restart under load without restarting the hub`, async () => {
      const { shots, faultDoneAt } = await underLoad(() => (server === 'Redis' ? redis : postgres).restart(), 8000);
      process.stdout.write(`${server} restart under load: ${JSON.stringify(summary(shots))}\n`);
      expect(failed(shots).filter((s) => s.sentAt > faultDoneAt + 3000)).toEqual([]);
      // While it is away, the answer is 503 with Retry-After (or nginx's retry on the other replica), never a 500.
      expect(shots.filter((s) => s.status === 500)).toEqual([]);
      expect(shots.filter((s) => s.sentAt > faultDoneAt + 3000 && s.kind === 'exchange' && s.status === 200).length).toBeGreaterThan(0);
      expect(replicas.every((r) => r.child.exitCode === null) && worker.child.exitCode === null).toBe(true);
      // The resident is still signed in (the session is kept across the restart).
      expect((await portalApi('GET', '/api/v1/portal/me')).status).toBe(200);
    }, 90_000);
  }

  it('opts out in the portal: enforced before the answer, and the cashless service is refused', async () => {
    await page.goto(`${hub}/portal/consents/${await consentId()}`);
    await Promise.all([page.waitForURL(/done=withdrawn/), page.click('[data-action=withdraw]')]);
    await page.goto(`${publicUrl.cashless}/member`);
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("健康ポイントを確認")')]);
    expect(await page.getAttribute('[data-testid=connector-problem]', 'data-code')).toMatch(/^consent_(withdrawn|revoked)$/);
    const latest = (await db.query(`SELECT enforced_at FROM consent_change_outbox ORDER BY seq DESC LIMIT 1`)).rows[0];
    expect(latest.enforced_at).not.toBeNull();
  }, 60_000);

  it('refuses a replica started with another KEY_ENCRYPTION_KEY, with a clear error', async () => {
    const port = await freePort();
    await expect(startApp('apps/hub/src/main.js', { ...hubEnv, HUB_ROLE: 'web', PORT: String(port), KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url') }, port))
      .rejects.toThrow(/KEY_ENCRYPTION_KEY/);
  }, 60_000);

  it('never writes a password, secret or token into the logs of the whole scenario', () => {
    const files = readdirSync(hubEnv.LOG_DIR, { recursive: true }).map(String).filter((f) => /\.log(\.gz)?$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const text = files.map((f) => readFileSync(join(hubEnv.LOG_DIR, f), 'utf8')).join('\n') + Object.values(named).map((p) => p.output()).join('\n');
    for (const secret of [RESIDENT.password, ...Object.values(secrets), tokens.cashless.sdk, tokens.cashless.service, tokens['misasa-health'].sdk, tokens['misasa-health'].service, keyEncryptionKey, hubEnv.BACKUP_ENCRYPTION_KEY, ...Object.values(admins).map((a) => a.password)]) {
      expect(text.includes(secret)).toBe(false);
    }
  });
});
