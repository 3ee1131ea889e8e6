import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core';
import { createTestDatabase, testRedis } from '@tsunagu/testing';
import { signInAdminPage, sql, TEST_CONNECTOR_JWK } from './admin-support';
import { type AxeViolation, axeViolations, launchBrowser, screenshot } from './support/browser';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * The admin screens in Chromium, as municipal staff use them: sign in with a TOTP code, register
 * a service, allow it an offer, see both on the dashboard with Chart.js drawing under the hub's
 * CSP; the system admin's screens including bull-board (Redis); the confirmation pages of the
 * irreversible actions, without JavaScript; phones (375 px) and PCs (1280 px). Every page is
 * checked with axe-core at both widths. Screenshots go to test/artifacts/.
 */
describe('Admin screens in Chromium (e2e)', () => {
  let hub: AppProcess;
  let browser: Browser;
  let databaseUrl: string;
  const cspViolations: string[] = [];
  const query = <T = Record<string, any>>(text: string, values: unknown[] = []) => sql<T>(databaseUrl, text, values); // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    const port = await freePort();
    const redis = testRedis();
    databaseUrl = await createTestDatabase('adminui');
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: databaseUrl, REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, KEY_ENCRYPTION_KEY: 'd'.repeat(43),
    }, port);
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

  /**
   * Each account signs in with its password and a TOTP code once (the first test proves that
   * path); later tests reuse its session cookies, so that no test waits for the next TOTP step
   * (the hub accepts each step once per account). A session that ended meanwhile signs in again.
   */
  const sessions = new Map<string, Cookie[]>();
  async function signIn(context: BrowserContext, loginId: string, landing: RegExp): Promise<Page> {
    const cookies = sessions.get(loginId);
    if (cookies) {
      await context.addCookies(cookies);
      const page = await context.newPage();
      await page.goto(`${hub.url}${loginId === 'system-admin' ? '/system/tenants' : '/admin'}`);
      if (landing.test(page.url())) return page;
      await page.close();
    }
    const page = await signInAdminPage(context, hub.url, loginId, landing);
    sessions.set(loginId, await context.cookies());
    return page;
  }

  it('signs in with a TOTP code, registers a service, writes a data use for it and sees the approved offers on the dashboard', async () => {
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

    // The new service asks for the prefecture's points balance: a data use, sent to the prefecture for approval.
    await admin.click('nav >> text=データ利用');
    await Promise.all([admin.waitForURL(/\/admin\/data-uses\/new$/), admin.click('[data-testid=new-data-use]')]);
    await admin.fill('#code', 'misasa-onsen-stamp.points');
    await admin.selectOption('#consumerServiceId', { label: '三朝温泉スタンプラリー (misasa-onsen-stamp)' });
    await admin.fill('#titleJa', 'スタンプラリーの景品とポイント');
    await admin.fill('#titleEn', 'Stamp rally prizes and points');
    await admin.fill('#purposeCode', 'stamp-rally-prizes');
    await admin.selectOption('#purposeCategory', 'PersonalisedBenefits');
    await admin.fill('#purposeJa', 'キャッシュレス決済のポイント残高に応じて、スタンプラリーの景品を選べるようにするため。');
    await admin.fill('#purposeEn', 'To let you choose stamp rally prizes according to your cashless points balance.');
    await admin.check('input[name=items][value="cashless.points-balance"]');
    await admin.fill('#retentionDays', '30');
    await admin.fill('#controllerNameJa', '三朝町 観光商工課');
    await admin.fill('#controllerNameEn', 'Misasa Town, Tourism and Commerce Division');
    await admin.fill('#controllerContact', 'kanko@town.misasa.example.jp');
    await admin.check('input[name=controllerType][value=public]');
    await admin.fill('#privacyNoticeUrl', 'https://stamp.misasa.example.jp/privacy');
    await screenshot(admin, 'admin-04-data-use-form');
    await Promise.all([admin.waitForURL(/\/admin\/data-uses\/[0-9a-f-]{36}\?done=created$/), admin.click('button[type=submit]:has-text("作成して承認を依頼する")')]);
    expect(await admin.textContent('h1')).toContain('スタンプラリーの景品とポイント');
    expect(await admin.textContent('[data-testid=data-use-status]')).toContain('提供元の承認待ち');

    await admin.click('nav >> text=ダッシュボード');
    // The seeded data use of the Misasa app is approved for its two cashless items; the new one waits for the prefecture.
    expect(await admin.textContent('[data-tile=permissions] .figure')).toBe('2');
    expect(await admin.textContent('[data-testid=dashboard-permissions]')).toContain('三朝温泉ヘルスケアアプリ');
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
    await admin.reload();
    await admin.waitForFunction(() => document.querySelectorAll('.chart .canvas:not([hidden]) canvas').length >= 2);
    expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
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

  /** Resources the confirmation pages act on (a connector, a notice and a tenant of their own). */
  async function confirmationTargets(): Promise<Record<string, string>> {
    const [svc] = await query(`SELECT id, tenant_id FROM services WHERE client_id = 'demo-misasa-health'`);
    const [stamp] = await query(`SELECT id FROM services WHERE client_id = 'misasa-onsen-stamp'`);
    const connector = (await query(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, status, base_url) VALUES ($1, $2, $3, $4, 'approved', 'https://c.health.misasa.example.jp') RETURNING id`, [svc.tenant_id, svc.id, `health-connector-${Date.now()}`, TEST_CONNECTOR_JWK]))[0];
    const [notice] = await query(`INSERT INTO maintenance_notices (starts_at, ends_at, title_ja, title_en, body_ja, body_en, urgent)
      VALUES (now() + interval '9 days', now() + interval '9 days 2 hours', 'サーバ更新', 'Server upgrade', '更新のため停止します。', 'Stopped for an upgrade.', false) RETURNING id`);
    const [tenant] = await query(`INSERT INTO tenants (code, name_ja, name_en, kind, admin_allowed_cidrs) VALUES ($1, $2, $3, 'municipality', '{}') RETURNING id`,
      [`hino-${Date.now()}`, `日野町${Date.now()}`, `Hino ${Date.now()}`]);
    const [city] = await query(`SELECT a.id, a.tenant_id FROM admin_accounts a WHERE a.login_id = 'admin-tottori-city'`);
    return {
      revoke: `/admin/connectors/${connector.id}/revoke`, rotate: `/admin/services/${stamp.id}/secret`, delete: `/admin/services/${stamp.id}/delete`,
      deactivate: `/system/tenants/${tenant.id}/deactivate`, reset: `/system/tenants/${city.tenant_id}/admins/${city.id}/reset`, cancel: `/system/maintenance/${notice.id}/cancel`,
    };
  }

  it('asks before each irreversible action on a page of its own, which works without JavaScript', async () => {
    const targets = await confirmationTargets();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', javaScriptEnabled: false });
    const tenant = await signIn(context, 'admin-misasa', new RegExp(`${hub.url}/admin$`));
    // From the connector's page: the revoke button is a link to its confirmation page.
    const connectorPage = targets.revoke.replace(/\/revoke$/, '');
    await tenant.goto(`${hub.url}${connectorPage}`);
    await Promise.all([tenant.waitForURL(`${hub.url}${targets.revoke}`), tenant.click('a:has-text("失効させる（元に戻せません）")')]);
    const pages: [Page, string, string][] = [[tenant, 'revoke', targets.revoke], [tenant, 'rotate', targets.rotate], [tenant, 'delete', targets.delete]];
    const systemContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', javaScriptEnabled: false });
    const system = await signIn(systemContext, 'system-admin', /\/system\/tenants$/);
    pages.push([system, 'deactivate', targets.deactivate], [system, 'reset', targets.reset], [system, 'cancel', targets.cancel]);
    for (const [page, action, path] of pages) {
      await page.goto(`${hub.url}${path}`);
      expect(await page.textContent('h1')).toMatch(/の確認$/);
      expect(await page.isVisible('[data-testid=confirm-consequences]')).toBe(true);
      const button = page.locator('[data-testid=confirm-button]');
      expect(await button.getAttribute('class')).toBe('button danger');
      // Danger styling: a red button (the design tokens' red 900), not the primary blue.
      expect(await button.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(206, 0, 0)');
      await screenshot(page, `admin-confirm-${action}`);
      await page.setViewportSize({ width: 375, height: 800 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, `admin-confirm-${action}-375`);
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    // Going ahead from the page (a plain form post, no script): the connector is revoked, with the reason typed.
    await tenant.goto(`${hub.url}${targets.revoke}`);
    await tenant.fill('#reason', '鍵の漏えいのため');
    await Promise.all([tenant.waitForURL(/done=revoked/), tenant.click('[data-testid=confirm-button]')]);
    expect(await tenant.textContent('[data-testid=connector-status]')).toBe('失効');
    const [row] = await query(`SELECT details FROM audit_events WHERE type = 'admin.change' AND subject = $1 ORDER BY seq DESC LIMIT 1`, [connectorPage.split('/').pop()]);
    expect(row.details).toMatchObject({ action: 'connector.revoke', reason: '鍵の漏えいのため' });
    await context.close();
    await systemContext.close();
  }, 120_000);

  it('lays tables out as cards on a phone, keeps every page within 375 px, and aligns the PC menu with the content', async () => {
    const context = await newContext({ width: 375 });
    const tenant = await signIn(context, 'admin-misasa', new RegExp(`${hub.url}/admin$`));
    const widths: Record<string, number> = {};
    const check = async (page: Page, path: string, table?: string) => {
      await page.goto(`${hub.url}${path}`);
      widths[path] = await page.evaluate(() => document.documentElement.scrollWidth);
      if (table) {
        const row = page.locator(`[data-testid=${table}] tbody tr`).first();
        expect({ path, display: await row.evaluate((r) => getComputedStyle(r).display) }).toEqual({ path, display: 'block' });
        const label = await row.locator('td').first().evaluate((td) => getComputedStyle(td, '::before').content);
        expect({ path, label: label.replace(/"/g, '') }).toEqual({ path, label: await page.locator(`[data-testid=${table}] thead th`).first().textContent() });
      }
    };
    await check(tenant, '/admin', 'dashboard-permissions');
    await check(tenant, '/admin/services', 'services');
    await check(tenant, '/admin/connectors', 'connectors');
    await check(tenant, '/admin/data-uses', 'data-uses');
    await screenshot(tenant, 'admin-17-data-uses-375');
    await tenant.goto(`${hub.url}/admin/connectors`);
    await screenshot(tenant, 'admin-18-connectors-375');
    await context.clearCookies();
    const system = await signIn(context, 'system-admin', /\/system\/tenants$/);
    await check(system, '/system/tenants', 'tenants');
    await check(system, '/system/audit', 'audit-rows');
    await screenshot(system, 'admin-19-audit-375');
    await check(system, '/system/admins', 'admins');
    await check(system, '/system/maintenance', 'notices');
    expect(Object.fromEntries(Object.entries(widths).filter(([, w]) => w > 375))).toEqual({});

    // On a PC the table stays a table, and the menu's first entry starts where the content does.
    await system.setViewportSize({ width: 1280, height: 900 });
    await system.goto(`${hub.url}/system/audit`);
    expect(await system.locator('[data-testid=audit-rows] tbody tr').first().evaluate((r) => getComputedStyle(r).display)).toBe('table-row');
    const edges = await system.evaluate(() => {
      const link = document.querySelector('nav.site a') as HTMLElement;
      const text = link.getBoundingClientRect().left + parseFloat(getComputedStyle(link).paddingLeft);
      return { menu: Math.round(text), content: Math.round(document.querySelector('main h1')!.getBoundingClientRect().left), brand: Math.round(document.querySelector('header.site .brand')!.getBoundingClientRect().left) };
    });
    expect(edges.menu).toBe(edges.content);
    expect(edges.brand).toBe(edges.content);
    await screenshot(system, 'admin-20-audit-1280');
    await context.close();
  }, 120_000);

  it('has no axe-core violations on the admin and system pages, on a phone and on a PC', async () => {
    const targets = await confirmationTargets();
    const results: Record<string, AxeViolation[]> = {};
    // The two widths side by side: each in its own context (the hub serves both at once).
    await Promise.all([1280, 375].map(async (width) => {
      const context = await newContext({ bypassCSP: true, width });
      const tenant = await signIn(context, 'admin-misasa', new RegExp(`${hub.url}/admin$`));
      const check = async (page: Page, path: string) => {
        await page.goto(`${hub.url}${path}`);
        results[`${width} ${path}`] = await axeViolations(page);
      };
      for (const path of ['/admin', '/admin/services', '/admin/services/new', '/admin/connectors', '/admin/offers', '/admin/data-uses', '/admin/data-uses/new', '/admin/agreements', '/admin/account', '/admin?lang=en', targets.revoke, targets.rotate, targets.delete]) {
        await check(tenant, path);
      }
      await check(tenant, '/admin?lang=ja');
      const login = await context.newPage();
      await context.clearCookies();
      await check(login, '/admin/login');
      const system = await signIn(context, 'system-admin', /\/system\/tenants$/);
      for (const path of ['/system/tenants', '/system/tenants/new', '/system/admins', '/system/settings', '/system/audit', '/system/queues', '/system/maintenance', targets.deactivate, targets.reset, targets.cancel]) {
        await check(system, path);
      }
      await context.close();
    }));
    expect(Object.keys(results).length).toBe(2 * 25);
    expect(Object.fromEntries(Object.entries(results).filter(([, v]) => v.length))).toEqual({});
  }, 300_000); // every admin, system and confirmation page checked by axe-core at two widths
});
