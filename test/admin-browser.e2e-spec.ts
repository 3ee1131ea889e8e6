import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../apps/hub/src/backoffice/auth/admin-demo-seed';
import { nextCode } from './admin-support';
import { type AxeViolation, axeViolations, launchBrowser, screenshot } from './support/browser';
import { type AppProcess, startHub } from './support/processes';

/**
 * The admin screens in Chromium, as municipal staff use them: sign in with a TOTP code, register
 * a service, allow it an offer, see both on the dashboard with Chart.js drawing under the hub's
 * CSP; the system admin's screens including bull-board (Redis). Every page is checked with
 * axe-core. Screenshots go to test/artifacts/.
 */
describe('Admin screens in Chromium (e2e)', () => {
  let hub: AppProcess;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    hub = await startHub('adminui');
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  async function newContext(options: { width?: number; bypassCSP?: boolean } = {}): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 }, locale: 'ja-JP', bypassCSP: options.bypassCSP });
    context.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    return context;
  }

  async function signIn(context: BrowserContext, loginId: string, expectUrl: RegExp): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${hub.url}/admin/login`);
    await page.fill('#loginId', loginId);
    await page.fill('#password', DEMO_ADMIN_PASSWORD);
    await page.fill('#code', await nextCode(loginId, DEMO_ADMIN_TOTP_SECRET));
    await Promise.all([page.waitForURL(expectUrl), page.click('button[type=submit]:has-text("ログイン")')]);
    return page;
  }

  it('signs in with a TOTP code, registers a service, grants it an offer and sees both on the dashboard', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/admin/login`);
    await screenshot(page, 'admin-01-login');
    await page.close();

    const admin = await signIn(context, 'admin-misasa', new RegExp(`${hub.url}/admin$`));
    expect(await admin.textContent('h1')).toBe('ダッシュボード');

    await admin.click('nav >> text=サービス');
    await admin.click('text=サービスを登録');
    await admin.fill('#clientId', 'misasa-onsen-stamp');
    await admin.fill('#nameJa', '三朝温泉スタンプラリー');
    await admin.fill('#nameEn', 'Misasa onsen stamp rally');
    await admin.fill('#redirectUris', 'https://stamp.misasa.example.jp/auth/callback');
    await admin.check('input[name=authMethod][value=client_secret_basic]');
    await screenshot(admin, 'admin-02-service-form');
    await Promise.all([admin.waitForLoadState('load'), admin.click('button:has-text("登録する")')]);
    expect(await admin.textContent('[data-testid=secret-value]')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await screenshot(admin, 'admin-03-service-secret-once');

    await admin.click('nav >> text=API利用許可');
    await admin.selectOption('#consumerServiceId', { label: '三朝温泉スタンプラリー (misasa-onsen-stamp)' });
    const offer = await admin.locator('#offerId option', { hasText: 'cashless.points-balance' }).getAttribute('value');
    await admin.selectOption('#offerId', offer!);
    await Promise.all([admin.waitForURL(/done=granted/), admin.click('button:has-text("利用を許可する")')]);
    expect(await admin.textContent('[data-testid=permissions]')).toContain('三朝温泉スタンプラリー');
    await screenshot(admin, 'admin-04-permissions');

    await admin.click('nav >> text=ダッシュボード');
    expect(await admin.textContent('[data-tile=permissions] .figure')).toBe('1');
    expect(await admin.textContent('[data-testid=dashboard-permissions]')).toContain('三朝温泉スタンプラリー');
    // Chart.js drew the charts (static script under the CSP) and folded the tables.
    await admin.waitForFunction(() => document.querySelectorAll('.chart .canvas:not([hidden]) canvas').length >= 2);
    expect(await admin.locator('details[data-table-for=chart-active-consents]').getAttribute('open')).toBeNull();
    const drawn = await admin.evaluate(() => {
      const canvas = document.getElementById('chart-active-consents') as HTMLCanvasElement;
      return canvas.width > 0 && !!(window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } }).Chart?.getChart(canvas);
    });
    expect(drawn).toBe(true);
    await screenshot(admin, 'admin-05-dashboard');

    await admin.setViewportSize({ width: 375, height: 800 });
    await screenshot(admin, 'admin-06-dashboard-375');
    await context.close();
    expect(cspViolations).toEqual([]);
  });

  it('shows the dashboard\'s figures as tables without JavaScript', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', javaScriptEnabled: false });
    const admin = await signIn(context, 'admin-misasa', new RegExp(`${hub.url}/admin$`));
    expect(await admin.locator('details[data-table-for=chart-active-consents]').getAttribute('open')).toBe('');
    expect(await admin.isVisible('details[data-table-for=chart-exchanges] table')).toBe(true);
    await screenshot(admin, 'admin-07-dashboard-no-js');
    await context.close();
  });

  it('lets the system admin see tenants, the audit log and the bull-board queues', async () => {
    const context = await newContext();
    const system = await signIn(context, 'system-admin', /\/system\/tenants$/);
    expect(await system.textContent('[data-testid=tenants]')).toContain('三朝町');
    await screenshot(system, 'admin-08-system-tenants');
    await system.click('nav >> text=監査ログ');
    await system.fill('#type', 'admin.');
    await Promise.all([system.waitForURL(/type=admin\./), system.click('button:has-text("検索する")')]);
    expect(await system.textContent('[data-testid=audit-rows]')).toContain('admin.change');
    await screenshot(system, 'admin-09-audit');
    await system.click('nav >> text=ジョブキュー');
    expect(await system.textContent('[data-testid=queues]')).toContain('maintenance');
    await system.click('text=キューのダッシュボードを開く');
    await system.waitForSelector('text=maintenance', { timeout: 15_000 });
    const api = await system.request.get(`${hub.url}/system/queues/board/api/queues`);
    expect(api.status()).toBe(200);
    expect((await api.json()).queues.map((q: { name: string }) => q.name).sort()).toEqual(['jpki', 'maintenance', 'revocations']);
    await system.click('a:has-text("maintenance")');
    await system.waitForLoadState('networkidle');
    await screenshot(system, 'admin-10-bull-board');
    await context.close();
  });

  it('has no axe-core violations on the admin and system pages', async () => {
    const context = await newContext({ bypassCSP: true });
    const tenant = await signIn(context, 'admin-kurayoshi', new RegExp(`${hub.url}/admin$`));
    const results: Record<string, AxeViolation[]> = {};
    const check = async (page: Page, path: string) => {
      await page.goto(`${hub.url}${path}`);
      results[path] = await axeViolations(page);
    };
    for (const path of ['/admin', '/admin/services', '/admin/services/new', '/admin/connectors', '/admin/permissions', '/admin/account', '/admin?lang=en']) {
      await check(tenant, path);
    }
    const login = await context.newPage();
    await check(login, '/admin/login');
    await context.clearCookies();
    const system = await signIn(context, 'system-admin', /\/system\/tenants$/);
    for (const path of ['/system/tenants', '/system/tenants/new', '/system/admins', '/system/settings', '/system/audit', '/system/queues', '/system/maintenance']) {
      await check(system, path);
    }
    await context.close();
    expect(Object.fromEntries(Object.entries(results).filter(([, v]) => v.length))).toEqual({});
  }, 180_000); // every admin and system page checked by axe-core
});
