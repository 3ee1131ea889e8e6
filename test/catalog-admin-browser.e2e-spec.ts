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
});
