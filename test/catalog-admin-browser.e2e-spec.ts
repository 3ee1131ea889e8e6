import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestDatabase } from '@tsunagu/testing';
import { signInAdminPage } from './admin-support';
import { type AxeViolation, axeViolations, launchBrowser, screenshot } from './support/browser';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * The data use and agreement screens in Chromium on a phone (375 px): 倉吉市 registers a service
 * and writes a data use by ticking the offers of 三朝町; 三朝町 approves the request. Every page
 * stays within 375 px and has no axe-core violations. Screenshots go to test/artifacts/.
 */
describe('Data use and agreement screens in Chromium (e2e)', () => {
  let hub: AppProcess;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: await createTestDatabase('catalogui'), KEY_ENCRYPTION_KEY: 'd'.repeat(43),
    }, port);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  const signIn = (context: BrowserContext, loginId: string) => signInAdminPage(context, hub.url, loginId);

  it('writes a data use on a phone, the provider approves it, every page within 375 px and without axe violations', async () => {
    const widths: Record<string, number> = {};
    const violations: Record<string, AxeViolation[]> = {};
    const check = async (page: Page, name: string) => {
      widths[name] = await page.evaluate(() => document.documentElement.scrollWidth);
      const found = await axeViolations(page);
      if (found.length) violations[name] = found;
      await screenshot(page, `catalog-${name}-375`);
    };
    const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'ja-JP', bypassCSP: true });
    const b = await signIn(context, 'admin-kurayoshi');
    await b.goto(`${hub.url}/admin/services/new`);
    await b.fill('#clientId', 'kurayoshi-library');
    await b.fill('#nameJa', '倉吉市立図書館');
    await b.fill('#nameEn', 'Kurayoshi City Library');
    await b.fill('#redirectUris', 'https://library.kurayoshi.example.jp/cb');
    await b.check('input[name=authMethod][value=client_secret_post]');
    await Promise.all([b.waitForLoadState(), b.click('button[type=submit]:has-text("登録する")')]);

    await b.goto(`${hub.url}/admin/data-uses`);
    await check(b, 'data-uses-empty');
    await Promise.all([b.waitForURL(/\/admin\/data-uses\/new$/), b.click('[data-testid=new-data-use]')]);
    await check(b, 'data-use-form');
    await b.fill('#code', 'kurayoshi-library.walking-points');
    await b.fill('#titleJa', '歩いて図書館ポイント');
    await b.fill('#titleEn', 'Walk-to-the-library points');
    await b.fill('#purposeCode', 'walking-points');
    await b.selectOption('#purposeCategory', 'PersonalisedBenefits');
    await b.fill('#purposeJa', '毎日の歩数に応じて、図書館で使えるポイントを付与します。');
    await b.fill('#purposeEn', 'Gives points usable at the library for daily steps.');
    await b.check('input[name=items][value="misasa-health.daily-steps"]');
    await b.fill('#retentionDays', '0');
    await b.fill('#controllerNameJa', '倉吉市教育委員会');
    await b.fill('#controllerNameEn', 'Kurayoshi City Board of Education');
    await b.fill('#controllerContact', '0858-00-0000');
    await b.check('input[name=controllerType][value=public]');
    await b.fill('#privacyNoticeUrl', 'https://library.kurayoshi.example.jp/privacy');
    // A refused form comes back with the error beside the field and everything still filled in.
    await Promise.all([b.waitForLoadState(), b.click('button[type=submit]:has-text("作成して承認を依頼する")')]);
    expect(await b.textContent('#retentionDays-error')).toContain('保存期間（日）');
    expect(await b.isChecked('input[name=items][value="misasa-health.daily-steps"]')).toBe(true);
    expect(await b.inputValue('#titleJa')).toBe('歩いて図書館ポイント');
    await check(b, 'data-use-form-error');
    await b.fill('#retentionDays', '90');
    await Promise.all([b.waitForURL(/\/admin\/data-uses\/[0-9a-f-]{36}\?done=created$/), b.click('button[type=submit]:has-text("作成して承認を依頼する")')]);
    expect(await b.textContent('[data-testid=notice]')).toContain('承認を依頼しました');
    await check(b, 'data-use');

    const a = await signIn(await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'ja-JP', bypassCSP: true }), 'admin-misasa');
    await a.goto(`${hub.url}/admin/agreements`);
    await check(a, 'agreements');
    await Promise.all([a.waitForURL(/\/admin\/agreements\/[0-9a-f-]{36}$/), a.click('[data-testid=incoming] a')]);
    await check(a, 'agreement-pending');
    await Promise.all([a.waitForURL(/done=approved$/), a.click('[data-testid=decide-approve] button')]);
    expect(await a.textContent('[data-testid=agreement-state]')).toContain('承認済み');
    await check(a, 'agreement-approved');
    await Promise.all([a.waitForURL(/\/retire$/), a.click('[data-testid=retire-link]')]);
    await check(a, 'agreement-retire');

    await b.reload();
    expect(await b.textContent('[data-testid=data-use-status]')).toContain('案内中');
    await b.goto(`${hub.url}/admin/data-uses`);
    await check(b, 'data-uses');
    expect(Object.fromEntries(Object.entries(widths).filter(([, w]) => w > 375))).toEqual({});
    expect(violations).toEqual({});
    await context.close();
  }, 120_000);
  it('writes a statistics data use within what the offer allows, and the resident reads that only aggregates leave the provider', async () => {
    const widths: Record<string, number> = {};
    const violations: Record<string, AxeViolation[]> = {};
    const check = async (page: Page, name: string) => {
      widths[name] = await page.evaluate(() => document.documentElement.scrollWidth);
      const found = await axeViolations(page);
      if (found.length) violations[name] = found;
      await screenshot(page, `catalog-${name}-375`);
    };
    const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'ja-JP', bypassCSP: true });
    const pref = await signIn(context, 'admin-tottori-pref');
    await pref.goto(`${hub.url}/admin/data-uses/new`);
    // The form says which offers may be counted, and by what.
    expect(await pref.textContent('[data-testid=statistics-offered]')).toContain('統計に利用可: 市町村・月');
    await pref.check('input[name=kind][value=statistics]');
    await pref.fill('#code', 'cashless.ebpm-steps');
    await pref.fill('#titleJa', '歩数の統計（健康施策の立案）');
    await pref.fill('#titleEn', 'Step statistics (health policy)');
    await pref.fill('#purposeCode', 'ebpm-steps');
    await pref.selectOption('#purposeCategory', 'ResearchAndDevelopment');
    await pref.fill('#purposeJa', '健康施策の立案のため、市町村・月ごとの平均歩数を集計します。');
    await pref.fill('#purposeEn', 'To plan health policy from mean daily steps per municipality and month.');
    await pref.check('input[name=items][value="misasa-health.daily-steps"]');
    await pref.selectOption('#statisticsAggregate', 'mean');
    await pref.check('input[name=statisticsGroupBy][value=municipality]');
    await pref.check('input[name=statisticsGroupBy][value=age_band]');
    await pref.fill('#statisticsFrom', '2026-01');
    await pref.fill('#statisticsTo', '2026-12');
    await pref.fill('#statisticsK', '10');
    await pref.fill('#retentionDays', '365');
    await pref.fill('#controllerNameJa', '鳥取県');
    await pref.fill('#controllerNameEn', 'Tottori Prefecture');
    await pref.fill('#controllerContact', '0857-00-0000');
    await pref.check('input[name=controllerType][value=public]');
    await pref.fill('#privacyNoticeUrl', 'https://pref.tottori.example.jp/ebpm');
    // The provider does not group by age: refused, said in words, the boxes still ticked.
    await Promise.all([pref.waitForLoadState(), pref.click('button[type=submit]:has-text("作成して承認を依頼する")')]);
    expect(await pref.getAttribute('[data-error-code]', 'data-error-code')).toBe('statistics_use_invalid');
    expect(await pref.textContent('main')).toContain('統計の定義が、提供データで認められている範囲を超えているか');
    expect(await pref.isChecked('input[name=kind][value=statistics]')).toBe(true);
    await check(pref, 'statistics-use-refused');
    await pref.uncheck('input[name=statisticsGroupBy][value=age_band]');
    await pref.check('input[name=statisticsGroupBy][value=month]');
    await Promise.all([pref.waitForURL(/\/admin\/data-uses\/[0-9a-f-]{36}\?done=created$/), pref.click('button[type=submit]:has-text("作成して承認を依頼する")')]);
    const page = await pref.textContent('main');
    expect(page).toContain('統計（集計値のみ。個人のデータは受け取らない）');
    expect(page).toContain('「1日ごとの歩数」の平均（市町村・月）、2026-01〜2026-12、k = 10');
    await check(pref, 'statistics-use');

    const misasa = await signIn(context, 'admin-misasa');
    await misasa.goto(`${hub.url}/admin/agreements`);
    await Promise.all([misasa.waitForURL(/\/admin\/agreements\/[0-9a-f-]{36}$/), misasa.click('[data-testid=incoming] a:has-text("歩数の統計")')]);
    await Promise.all([misasa.waitForURL(/done=approved$/), misasa.click('[data-testid=decide-approve] button')]);

    const resident = await context.newPage();
    await resident.goto(`${hub.url}/account`);
    await resident.fill('#loginId', 'tottori.taro');
    await resident.fill('#password', 'tsunagu-demo-2026');
    await Promise.all([resident.waitForURL(new RegExp(`${hub.url}/account$`)), resident.click('button[type=submit]:has-text("ログイン")')]);
    await resident.goto(`${hub.url}/portal/data-uses`);
    expect(await resident.textContent('[data-data-use="cashless.ebpm-steps"] [data-testid=statistics-tag]')).toContain('統計（集計値のみ）');
    await resident.goto(`${hub.url}/portal/data-uses/cashless.ebpm-steps`);
    const box = await resident.textContent('[data-testid=statistics-box]');
    expect(box).toContain('あなたのデータそのものは送られません');
    expect(box).toContain('10人未満のまとまりは伏せられ');
    expect(box).toContain('撤回すると、その後の集計には含まれません');
    await check(resident, 'statistics-consent');
    expect(Object.fromEntries(Object.entries(widths).filter(([, w]) => w > 375))).toEqual({});
    expect(violations).toEqual({});
    await context.close();
  }, 120_000);
});
