import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Client } from 'pg';
import { createTestDatabase, testRedis } from '@tsunagu/testing';
import { FakeService } from '../apps/connector/src/testing/fake-service';
import { signInAdminPage } from './admin-support';
import { ARTIFACTS, launchBrowser, screenshot } from './support/browser';
import { japanDate, type Json, tearDown, waitUntilFresh } from './support/connect-harness';
import { type AppProcess, freePort, ROOT, startApp } from './support/processes';

const run = promisify(execFile);

const LOANS = 'kurayoshi-library.loans';
const READING = 'kurayoshi-library.reading-days';
const USE = 'cashless.library-points';
const PURPOSE = 'library-points';
const SDK_TOKEN = 'sdk-token-catalog-lifecycle-0123456789';

const loansSchema = {
  type: 'array', maxItems: 50,
  items: { type: 'object', required: ['date', 'title'], additionalProperties: false, properties: { date: { type: 'string', format: 'date' }, title: { type: 'string', maxLength: 200 } } },
};
const readingSchema = {
  type: 'object', required: ['days'], additionalProperties: false, properties: { days: { type: 'integer', minimum: 0, maximum: 366 } },
};

/**
 * The tenant-owned catalog end to end, every admin and resident step in Chromium (issue #12):
 * 倉吉市 (A) registers its library service, whose connector publishes two offers that A's admin
 * publishes; 鳥取県 (B) writes a data use over them for the cashless base; A approves; the resident
 * consents and the consumer connector gets the items peer to peer. B changes the purpose → the
 * consent is paused and the exchange refused until the resident agrees again; A suspends → refused
 * within the revocation bound; A retires → the consent ends, with a receipt.
 *
 * Real processes (hub, two connectors registered with `connector:register`), real PostgreSQL and
 * Redis; FakeService stands in for the library's internal API. The only SQL is the resident's
 * local IDs at the two services (what their sign-ins with Tottori ID would link).
 * Screenshots: test/artifacts/catalog-lifecycle-*.png.
 */
describe('Tenant-owned catalog lifecycle in Chromium, real processes (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-lifecycle-'));
  let hub: AppProcess;
  let db: Client;
  let browser: Browser;
  let library: FakeService;
  let cashlessApp: FakeService;
  let provider: AppProcess | undefined;
  let consumer: AppProcess | undefined;
  let a: Page; // 倉吉市の管理者 (provider tenant)
  let b: Page; // 鳥取県の管理者 (consumer tenant)
  let taro: Page; // the resident
  let dataUseUrl = '';
  let agreementUrl = '';
  let step = 0;
  const contexts: BrowserContext[] = [];

  const shot = (page: Page, name: string) => screenshot(page, `catalog-lifecycle-${String(++step).padStart(2, '0')}-${name}`);

  async function context(): Promise<BrowserContext> {
    const c = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
    contexts.push(c);
    return c;
  }

  const adminSignIn = async (loginId: string): Promise<Page> => signInAdminPage(await context(), hub.url, loginId);

  /** Submits the form of `selector` (a button) and waits for the page it leads to. */
  async function submit(page: Page, selector: string, url?: RegExp): Promise<void> {
    await Promise.all([url ? page.waitForURL(url) : page.waitForLoadState('load'), page.click(selector)]);
  }

  async function sdk(): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${consumer!.url}/sdk/v1/requests`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${SDK_TOKEN}` },
      body: JSON.stringify({ localId: 'C-0001', dataUse: USE, purpose: PURPOSE, items: [LOANS, READING] }),
    });
    return { status: res.status, body: await res.json() };
  }

  /** Calls the SDK until `done` holds (no sleeps beyond a short poll), returning the answer and how long it took. */
  async function sdkUntil(done: (r: { status: number; body: Json }) => boolean, timeoutMs: number): Promise<{ answer: { status: number; body: Json }; ms: number }> {
    const started = Date.now();
    for (;;) {
      const answer = await sdk();
      if (done(answer)) return { answer, ms: Date.now() - started };
      if (Date.now() - started > timeoutMs) throw new Error(`SDK answer never matched within ${timeoutMs} ms: ${JSON.stringify(answer)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** A connector configuration file (JSON), as an installer would write it from connector-configs/*.yaml. */
  function configFile(name: string, port: number, body: Json): string {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({
      version: 1, connector: { name }, ...body,
      hub: { url: hub.url }, peer: { timeoutMs: 5000 },
      listen: { host: '127.0.0.1', port }, publicUrl: `http://127.0.0.1:${port}`,
      keys: { file: join(dir, 'keys', `${name}.key.json`) },
      revocations: { pullIntervalSeconds: 1, stalenessSeconds: 5, retainSeconds: 600 },
    }));
    return file;
  }

  async function register(file: string): Promise<string> {
    const { stdout } = await run(process.execPath, [join(ROOT, 'dist/apps/connector/src/cli/register.js'), '--config', file, '--no-wait'], { cwd: ROOT });
    return stdout;
  }

  async function residentSignIn(loginId: string): Promise<Page> {
    const page = await (await context()).newPage();
    await page.goto(`${hub.url}/account`);
    await page.fill('#loginId', loginId);
    await page.fill('#password', 'tsunagu-demo-2026');
    await submit(page, 'button[type=submit]:has-text("ログイン")', new RegExp(`${hub.url}/account$`));
    return page;
  }

  /** Starts a registered connector in the background (tracked for the teardown as soon as it is up). */
  function startConnector(file: string, port: number, env: Record<string, string>, started: (c: AppProcess) => void): Promise<AppProcess> {
    const starting = startApp('apps/connector/src/main.js', { CONNECTOR_CONFIG: file, ...env }, port).then((c) => {
      started(c);
      return c;
    });
    starting.catch(() => undefined); // awaited later by the step that needs it
    return starting;
  }

  const connectorId = (name: string): string => JSON.parse(readFileSync(join(dir, 'keys', `${name}.key.registration.json`), 'utf8')).connectorId;

  beforeAll(async () => {
    const port = await freePort();
    const redis = testRedis();
    const url = await createTestDatabase('lifecycle');
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const old of readdirSync(ARTIFACTS, { withFileTypes: true }).filter((f) => f.name.startsWith('catalog-lifecycle-'))) rmSync(join(ARTIFACTS, old.name));
    [hub, browser, library, cashlessApp] = await Promise.all([
      startApp('apps/hub/src/main.js', {
        PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: url, REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix,
        KEY_ENCRYPTION_KEY: 'l'.repeat(43), SEED_DEMO: 'true', DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', DEMO_MISASA_URL: 'http://127.0.0.1:39102',
      }, port),
      launchBrowser(), new FakeService().start(), new FakeService().start(),
    ]);
    db = new Client({ connectionString: url });
    await db.connect();
    library.routes.set('/internal/v1/patrons/K-0001/loans', { body: { patron: 'K-0001', loans: [{ on: japanDate(-2), title: '砂丘の四季', shelf: 'A-12' }] } });
    library.routes.set('/internal/v1/patrons/K-0001/reading-days', { body: { patron: 'K-0001', readingDays: 12, lastVisit: japanDate(-2) } });
    // Each in a browser of their own: 倉吉市's admin, 鳥取県's admin and the resident.
    [a, b, taro] = await Promise.all([adminSignIn('admin-kurayoshi'), adminSignIn('admin-tottori-pref'), residentSignIn('tottori.taro')]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await tearDown({ connectors: [consumer, provider], hub, db, others: [library, cashlessApp], dir });
  });

  it('A registers the library service, its connector publishes two offers, A approves the connector and publishes both', async () => {
    await a.goto(`${hub.url}/admin/services/new`);
    await a.fill('#clientId', 'kurayoshi-library');
    await a.fill('#nameJa', '倉吉市立図書館');
    await a.fill('#nameEn', 'Kurayoshi City Library');
    await a.fill('#redirectUris', 'https://library.kurayoshi.example.jp/cb');
    await a.check('input[name=authMethod][value=client_secret_post]');
    await submit(a, 'button[type=submit]:has-text("登録する")');
    expect(await a.textContent('main')).toContain('倉吉市立図書館');
    await shot(a, 'a-service-registered');

    // The library's connector: two offers, each fetched from the library's internal API.
    const port = await freePort();
    const file = configFile('kurayoshi-library', port, {
      tenant: 'kurayoshi', service: { clientId: 'kurayoshi-library', url: library.url, timeoutMs: 2000 },
      offers: [
        {
          code: LOANS, name: { ja: '図書の貸出履歴', en: 'Library loans' },
          description: { ja: '市立図書館で借りた日と本の題名。', en: 'Dates and titles of the books you borrowed.' },
          specialCare: false, schema: loansSchema,
          fetch: { method: 'GET', url: '/internal/v1/patrons/{localId}/loans', select: '/loans', fields: { date: '/on', title: '/title' } },
        },
        {
          code: READING, name: { ja: '来館日数', en: 'Days at the library' },
          description: { ja: '今年度に図書館を利用した日数。', en: 'Days you visited the library this year.' },
          specialCare: false, schema: readingSchema,
          fetch: { method: 'GET', url: '/internal/v1/patrons/{localId}/reading-days', select: '', fields: { days: '/readingDays' } },
        },
      ],
    });
    expect(await register(file)).toContain('pending');

    await a.goto(`${hub.url}/admin/connectors`);
    const row = a.locator('[data-testid=connectors] tr[data-connector="kurayoshi-library"]');
    expect(await row.textContent()).toContain('承認待ち');
    await shot(a, 'a-connector-pending');
    await submit(a, 'button[aria-label="承認する: kurayoshi-library"]', /\/admin\/connectors\/[0-9a-f-]{36}\?done=1$/);
    expect(await a.textContent('[data-testid=connector-status]')).toBe('承認済み');
    await shot(a, 'a-connector-approved');
    // The connector starts while the admin reviews the drafts (published at registration).
    const providerReady = startConnector(file, port, {}, (c) => (provider = c)).then((c) => waitUntilFresh(c));

    await a.goto(`${hub.url}/admin/offers`);
    const offers = await a.textContent('main');
    expect(offers).toContain('図書の貸出履歴');
    expect(offers).toContain('来館日数');
    expect(offers).toContain('下書き（未公開）');
    await shot(a, 'a-offers-drafts');
    for (const code of [LOANS, READING]) {
      await a.goto(`${hub.url}/admin/offers/${code}`);
      expect(await a.textContent('[data-testid=activate]')).toContain('下書き（版 1）を公開する');
      await submit(a, '[data-testid=activate]', /done=activated$/);
      expect(await a.textContent('main')).toContain('下書きを公開しました。');
      expect(await a.getAttribute('[data-testid=offer-status] [data-status]', 'data-status')).toBe('active');
    }
    await shot(a, 'a-offer-published');
    await providerReady;
  });

  it('B writes a data use over both offers for the cashless base; its connector knows it; A approves the request', async () => {
    // The cashless base's connector, told of the data use and the schemas it accepts the items in; registered while B writes the data use.
    const port = await freePort();
    const file = configFile('cashless-library', port, {
      tenant: 'tottori-pref', service: { clientId: 'demo-cashless', url: cashlessApp.url, timeoutMs: 2000 },
      dataUses: [{ code: USE, purpose: PURPOSE, items: [{ code: LOANS, schema: loansSchema }, { code: READING, schema: readingSchema }] }],
    });
    const registered = register(file);
    registered.catch(() => undefined);
    await b.goto(`${hub.url}/admin/data-uses/new`);
    await b.fill('#code', USE);
    const consumerService = await b.locator('#consumerServiceId option', { hasText: 'demo-cashless' }).getAttribute('value');
    await b.selectOption('#consumerServiceId', consumerService!);
    await b.fill('#titleJa', '図書館の利用に応じたポイントの付与');
    await b.fill('#titleEn', 'Points for using the library');
    await b.fill('#purposeCode', PURPOSE);
    await b.selectOption('#purposeCategory', 'PersonalisedBenefits');
    await b.fill('#purposeJa', '図書館で本を借りた回数と来館日数に応じて、キャッシュレスのポイントを付与します。');
    await b.fill('#purposeEn', 'Gives cashless points for the books you borrow and the days you visit the library.');
    await b.check(`input[name=items][value="${LOANS}"]`);
    await b.check(`input[name=items][value="${READING}"]`);
    await b.fill('#retentionDays', '90');
    await b.fill('#controllerNameJa', '鳥取県 地域振興課');
    await b.fill('#controllerNameEn', 'Tottori Prefecture, Regional Promotion Division');
    await b.fill('#controllerContact', '0857-00-0000');
    await b.check('input[name=controllerType][value=public]');
    await b.fill('#privacyNoticeUrl', 'https://www.pref.tottori.example.jp/privacy');
    await shot(b, 'b-data-use-form');
    await submit(b, 'button[type=submit]:has-text("作成して承認を依頼する")', /\/admin\/data-uses\/[0-9a-f-]{36}\?done=created$/);
    expect(await b.textContent('[data-testid=notice]')).toContain('承認を依頼しました');
    dataUseUrl = b.url().replace(/\?.*$/, '');
    await shot(b, 'b-data-use-created');

    expect(await registered).toContain('pending');
    await b.goto(`${hub.url}/admin/connectors`);
    await submit(b, 'button[aria-label="承認する: cashless-library"]', /\/admin\/connectors\/[0-9a-f-]{36}\?done=1$/);
    expect(await b.textContent('[data-testid=connector-status]')).toBe('承認済み');
    await shot(b, 'b-connector-approved');
    const consumerReady = startConnector(file, port, { CONNECTOR_SDK_TOKEN: SDK_TOKEN }, (c) => (consumer = c));

    await a.goto(`${hub.url}/admin/agreements`);
    const incoming = a.locator(`[data-testid=incoming] tr[data-use="${USE}"]`);
    expect(await incoming.textContent()).toContain('承認待ち');
    await shot(a, 'a-agreements-incoming');
    await submit(a, `[data-testid=incoming] tr[data-use="${USE}"] a`, /\/admin\/agreements\/[0-9a-f-]{36}$/);
    agreementUrl = a.url();
    expect(await a.textContent('[data-testid=agreement-summary]')).toContain('図書の貸出履歴');
    await submit(a, '[data-testid=decide-approve] button', /done=approved$/);
    expect(await a.textContent('[data-testid=agreement-state]')).toContain('承認済み');
    await shot(a, 'a-agreement-approved');
    await consumerReady;
  });

  it('the resident consents on the portal, and the exchange succeeds peer to peer', async () => {
    // What the resident's sign-ins at the two services with Tottori ID would have linked.
    await db.query(`INSERT INTO service_links (tenant_id, service_id, resident_id, local_id)
      SELECT s.tenant_id, s.id, r.id, v.local_id FROM (VALUES ('demo-cashless', 'C-0001'), ('kurayoshi-library', 'K-0001')) AS v(client_id, local_id)
      JOIN services s ON s.client_id = v.client_id JOIN residents r ON r.login_id = 'tottori.taro'`);
    expect((await sdk()).body.error?.code).toBe('consent_required');

    await taro.goto(`${hub.url}/account`);
    expect(await taro.textContent('[data-testid=pending-requests]')).toContain('図書館の利用に応じたポイントの付与');
    await shot(taro, 'resident-home');
    await submit(taro, `a[href="/portal/data-uses/${USE}"]`, new RegExp(`/portal/data-uses/${USE}$`));
    const page = await taro.textContent('main');
    expect(page).toContain('図書の貸出履歴');
    expect(page).toContain('来館日数');
    expect(page).toContain('鳥取県 地域振興課');
    await shot(taro, 'resident-data-use');
    await submit(taro, '[data-action=agree]', /\/portal\/consents\/[0-9a-f-]+\?done=given/);
    expect(await taro.textContent('[role=status]')).toContain('同意しました');
    await shot(taro, 'resident-consented');

    const { answer } = await sdkUntil((r) => r.status === 200, 5000);
    expect(answer.body).toMatchObject({
      dataUse: USE, provider: { connectorId: connectorId('kurayoshi-library') },
      items: { [LOANS]: [{ date: japanDate(-2), title: '砂丘の四季' }], [READING]: { days: 12 } },
    });
    expect(JSON.stringify(answer.body)).not.toContain('A-12'); // only what the offer's fields name leaves the library
  });

  it('B changes the purpose: the consent is paused, the exchange refused, until the resident agrees to the new terms', async () => {
    await b.goto(`${dataUseUrl}/edit`);
    await b.fill('#purposeJa', '図書館で本を借りた回数と来館日数に応じて、キャッシュレスのポイントと県立図書館の特典を付与します。');
    await shot(b, 'b-data-use-edit');
    await submit(b, '[data-testid=data-use-form] button[type=submit]', /\/admin\/data-uses\/[0-9a-f-]{36}$/);
    expect(await b.textContent('[data-testid=paused]')).toContain('1');
    expect(await b.textContent('[data-testid=data-use-revision]')).toBe('2');
    await shot(b, 'b-data-use-changed');

    const { answer, ms } = await sdkUntil((r) => r.status !== 200, 10_000);
    expect(answer.status).toBe(403);
    // The consumer may first present a grant it still holds (the provider refuses it: consent_revoked); then the hub says why.
    const { answer: paused } = await sdkUntil((r) => r.body.error?.code === 'consent_paused', 10_000);
    expect(paused.status).toBe(403);
    process.stdout.write(`catalog-lifecycle: purpose change → exchange refused after ${ms} ms (first: ${answer.body.error?.code})\n`);

    await taro.goto(`${hub.url}/portal/data-uses/${USE}`);
    const page = await taro.textContent('main');
    expect(page).toContain('条件が変わりました');
    expect(page).toContain('県立図書館の特典');
    await shot(taro, 'resident-terms-changed');
    await submit(taro, '[data-action=agree]', /\/portal\/consents\/[0-9a-f-]+\?done=given/);
    expect(await taro.textContent('[role=status]')).toContain('同意しました');
    await shot(taro, 'resident-reconsented');
    await sdkUntil((r) => r.status === 200, 5000);
  });

  it('A suspends the agreement: the exchange is refused within the revocation bound, and the resident sees the consent paused with the reason', async () => {
    expect((await sdk()).status).toBe(200); // a grant is held by the consumer connector
    await a.goto(agreementUrl);
    await a.fill('#suspend-reason', '図書館システムの更新作業のため');
    await shot(a, 'a-agreement-suspend');
    const suspendedAt = Date.now();
    await submit(a, '[data-testid=decide-suspend] button');
    // Revocation bound: the push reaches the provider at once; at worst its pull (1 s) within the staleness bound (5 s).
    const { answer } = await sdkUntil((r) => r.status !== 200, 6000);
    const refusedMs = Date.now() - suspendedAt;
    expect(await a.textContent('[data-testid=agreement-state]')).toContain('一時停止');
    expect(await a.textContent('[data-testid=notice]')).toContain('県民の方の同意 1件を一時停止しました');
    await shot(a, 'a-agreement-suspended');
    process.stdout.write(`catalog-lifecycle: suspension → exchange refused ${refusedMs} ms after the admin pressed the button (${answer.body.error?.code})\n`);
    expect(answer.status).toBe(403);
    expect(refusedMs).toBeLessThan(6000);
    // Asked afresh, the hub refuses too (the consumer's held grant is gone by then).
    const { answer: fresh } = await sdkUntil((r) => r.status !== 200 && r.body.error?.code !== 'consent_revoked', 10_000);
    expect(fresh.body.error.code).toBe('permission_denied');

    await taro.goto(`${hub.url}/portal/consents`);
    expect(await taro.textContent('main')).toContain('一時停止');
    await shot(taro, 'resident-consents-paused');
    await taro.goto(`${hub.url}/portal/notices`);
    const notices = await taro.textContent('main');
    expect(notices).toContain('提供元の自治体等が、このデータ提供を一時停止しました');
    expect(notices).toContain('図書館の利用に応じたポイントの付与');
    await shot(taro, 'resident-notice-paused');
  });

  it('A retires the agreement through its confirmation page: the consent ends, with a receipt', async () => {
    await a.goto(agreementUrl);
    await submit(a, '[data-testid=retire-link]', /\/retire$/);
    await a.fill('#reason', '図書館ポイント事業の終了のため');
    await shot(a, 'a-agreement-retire-confirm');
    await submit(a, '[data-testid=confirm-button]');
    expect(await a.textContent('[data-testid=agreement-state]')).toContain('終了');
    expect(await a.textContent('[data-testid=notice]')).toContain('県民の方の同意 1件を終了しました');
    await shot(a, 'a-agreement-retired');
    const { answer } = await sdkUntil((r) => r.status !== 200 && r.body.error?.code !== 'consent_revoked', 10_000);
    expect({ status: answer.status, code: answer.body.error.code }).toEqual({ status: 403, code: 'permission_denied' });

    await taro.goto(`${hub.url}/portal/consents`);
    await submit(taro, `a[href^="/portal/consents/"]`, /\/portal\/consents\/[0-9a-f-]+$/);
    const history = await taro.textContent('main');
    expect(history).toContain('終了');
    expect(history).toContain('この同意は終了しました');
    await shot(taro, 'resident-consent-ended');
    await submit(taro, '[data-testid=history] tbody tr[data-state=ended] a', /\/portal\/receipts\//);
    const receipt = await taro.textContent('[data-testid=receipt]');
    expect(receipt).toContain('終了（データ利用の終了）');
    expect(receipt).toContain('理由: 提供元の自治体等が、このデータ提供を終了しました');
    await shot(taro, 'resident-receipt-ended');
  });
});
