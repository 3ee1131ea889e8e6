import type { Browser, BrowserContext, Page } from 'playwright-core';
import { testCardEnv } from '@tsunagu/testing';
import { type AxeViolation, axeViolations, launchBrowser, screenshot, verifyWithTestCardIn } from './support/browser';
import { type AppProcess, startHub } from './support/processes';

/**
 * The resident portal in Chromium: the consent journey with JavaScript switched off (every core
 * action is a plain form), then every page checked with axe-core at phone and desktop widths.
 * Screenshots go to test/artifacts/.
 */
describe('Resident portal in Chromium (e2e)', () => {
  let hub: AppProcess;
  let browser: Browser;

  beforeAll(async () => {
    hub = await startHub('portal', { KEY_ENCRYPTION_KEY: 'e'.repeat(43), ...testCardEnv() });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  async function signIn(context: BrowserContext, loginId: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${hub.url}/account`);
    await page.waitForSelector('#loginId');
    await page.fill('#loginId', loginId);
    await page.fill('#password', 'tsunagu-demo-2026');
    await Promise.all([page.waitForURL(`${hub.url}/account`), page.click('button[type=submit]:has-text("ログイン")')]);
    return page;
  }

  it('lets a resident opt in with one item unticked, read the receipt, opt out and see the history — without JavaScript', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'ja-JP', javaScriptEnabled: false });
    const page = await signIn(context, 'tottori.taro');
    // The health-points data use requires a verified identity: before, its page links the card flow instead of an agree button.
    await page.goto(`${hub.url}/portal/data-uses/cashless.health-points`);
    expect(await page.getAttribute('[data-testid=identity-required]', 'data-identity')).toBe('not_verified');
    expect(await page.locator('[data-action=agree]').count()).toBe(0);
    await screenshot(page, 'portal-00-identity-required-375');
    await verifyWithTestCardIn(page, hub.url);
    await page.goto(`${hub.url}/account`);
    expect(await page.textContent('[data-testid=pending-requests]')).toContain('歩数と温泉利用に応じた健康ポイントの付与');
    await screenshot(page, 'portal-01-home-375');

    await page.click('a[href="/portal/data-uses/cashless.health-points"]');
    await page.waitForSelector('#consent-form');
    const [agree, decline] = await Promise.all([page.locator('[data-action=agree]').boundingBox(), page.locator('[data-action=decline]').boundingBox()]);
    // Opt-in and opt-out of equal prominence: same size, side by side, both within a 375 px screen.
    expect(agree!.width).toBeCloseTo(decline!.width, 0);
    expect(agree!.height).toBeCloseTo(decline!.height, 0);
    expect(agree!.y).toBeCloseTo(decline!.y, 0);
    expect(decline!.x + decline!.width).toBeLessThanOrEqual(375);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.uncheck('[id="item-misasa-health.daily-steps"]');
    await screenshot(page, 'portal-02-opt-in-375');
    await Promise.all([page.waitForURL(/\/portal\/consents\/[0-9a-f-]+\?done=given/), page.click('[data-action=agree]')]);
    expect(await page.textContent('[role=status]')).toContain('同意しました');
    await screenshot(page, 'portal-03-consent-375');

    await Promise.all([page.waitForURL(/\/portal\/receipts\//), page.click('tr[data-version="1"] a')]);
    const receipt = await page.textContent('[data-testid=receipt]');
    expect(receipt).toContain('温泉施設の利用履歴');
    expect(receipt).not.toContain('1日ごとの歩数');
    expect(receipt).toContain('とっとりキャッシュレス決済基盤（デモ）');
    await screenshot(page, 'portal-04-receipt-375');

    await Promise.all([page.waitForURL(/\/portal\/consents\/[0-9a-f-]+$/), page.click('text=履歴に戻る')]);
    await Promise.all([page.waitForURL(/done=withdrawn/), page.click('[data-action=withdraw]')]);
    expect(await page.textContent('[role=status]')).toContain('同意を撤回しました');
    // The truth about enforcement: here no connector held a grant, so nothing was flowing.
    expect(await page.getAttribute('[data-testid=enforcement]', 'data-complete')).toBe('true');
    expect(await page.textContent('[data-testid=enforcement]')).toContain('データを受け取っている連携先はありませんでした');
    const rows = await page.locator('[data-testid=history] tbody tr').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-version')}:${tr.getAttribute('data-state')}`));
    expect(rows).toEqual(['2:withdrawn', '1:active']);
    await screenshot(page, 'portal-05-history-375');
    await context.close();
  });

  it('has no axe-core violations on any portal page, at 375 px and at 1280 px, in Japanese and English', async () => {
    // axe is injected as a script: the hub's CSP (script-src 'self') is bypassed for the check only.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', bypassCSP: true });
    const page = await signIn(context, 'misasa.hanako');
    await page.goto(`${hub.url}/portal/data-uses/misasa-health.onsen-spending`);
    await Promise.all([page.waitForURL(/done=given/), page.click('[data-action=agree]')]);
    const consentPath = new URL(page.url()).pathname;
    const receiptPath = await page.getAttribute('tr[data-version="1"] a', 'href');

    const pages: [string, string][] = [
      ['home', '/account?lang=ja'],
      ['data-uses', '/portal/data-uses'],
      ['opt-in-identity-required', '/portal/data-uses/cashless.health-points'],
      ['consent-update', '/portal/data-uses/misasa-health.onsen-spending'],
      ['consents', '/portal/consents'],
      ['history', consentPath],
      ['receipt', receiptPath!],
      ['provisions', '/portal/provisions'],
      ['links', '/portal/links'],
      ['manual', '/portal/manual'],
      ['error', '/portal/consents/00000000-0000-4000-8000-000000000000'],
      ['opt-in-en', '/portal/data-uses/cashless.health-points?lang=en'],
      ['history-en', `${consentPath}?lang=en`],
    ];
    const found: Record<string, AxeViolation[]> = {};
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, path] of pages) {
        await page.goto(`${hub.url}${path}`);
        const violations = await axeViolations(page);
        if (violations.length) found[`${name}@${width}`] = violations;
        if (width === 1280 || name.startsWith('receipt') || name === 'manual') await screenshot(page, `portal-${name}-${width}`);
        if (width === 375) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      }
    }
    expect(found).toEqual({});
    await context.close();
  }, 180_000); // every portal page in two widths and two languages through axe-core: slow on 2 busy cores
});
