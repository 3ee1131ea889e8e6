import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchBrowser, screenshot } from './support/browser';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * The main reset flow in Chromium on a phone, on the embedded default `npm start` uses (PGlite
 * behind one connection, sessions in memory, no SMTP server): the portal says that e-mail reset
 * is not available and the card path is; a resident who verified with the (development) test
 * card resets the password with it, every session ends, the new password signs in; the sessions
 * page lists the devices. Without JavaScript, and every page checked with axe-core.
 */
describe('Password reset and sessions in Chromium, embedded default (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-recovery-browser-'));
  let hub: AppProcess;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: join(dir, 'hub'), JPKI_TEST_CARD: 'true',
      DEMO_CASHLESS_URL: 'http://127.0.0.1:39111', DEMO_MISASA_URL: 'http://127.0.0.1:39112',
    }, port);
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(context: BrowserContext, loginId: string, password: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${hub.url}/account`);
    await page.waitForSelector('#loginId');
    await page.fill('#loginId', loginId);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL(`${hub.url}/account`), page.click('button[type=submit]:has-text("ログイン")')]);
    return page;
  }

  async function expectAccessible(page: Page): Promise<void> {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await axeViolations(page)).toEqual([]);
  }

  it('resets a forgotten password with the My Number card on a phone, and every session ends', async () => {
    const phone = { viewport: { width: 375, height: 800 }, locale: 'ja-JP', javaScriptEnabled: false, userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1' };
    const axe = { ...phone, javaScriptEnabled: true, bypassCSP: true };
    // Before: the resident verified the account with the card, and is signed in on a second device.
    const before = await browser.newContext(axe);
    const home = await signIn(before, 'tottori.taro', 'tsunagu-demo-2026');
    await home.goto(`${hub.url}/account/verify`);
    await Promise.all([home.waitForURL(/done=1/), home.click('form[action="/account/verify/test-card"] button')]);
    const other = await browser.newContext({ ...phone, userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36' });
    await signIn(other, 'tottori.taro', 'tsunagu-demo-2026');
    await home.goto(`${hub.url}/account`);
    await Promise.all([home.waitForURL(/\/account\/sessions$/), home.click('[data-testid=sessions-link]')]);
    expect(await home.locator('[data-testid=sessions] > li').count()).toBe(2);
    expect(await home.textContent('[data-current=true]')).toContain('iPhone の Safari');
    expect(await home.textContent('[data-current=false]')).toContain('Windows パソコン の Chrome');
    await screenshot(home, 'recovery-01-sessions-375');
    await expectAccessible(home);
    await home.goto(`${hub.url}/account/email`);
    expect(await home.textContent('[data-testid=email-unavailable]')).toContain('メールを送れない');
    await expectAccessible(home);

    // The resident forgot the password: from the sign-in page, with JavaScript off.
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await page.goto(`${hub.url}/account`);
    await Promise.all([page.waitForURL(/\/account\/recovery$/), page.click('[data-testid=forgot-password]')]);
    expect(await page.textContent('[data-testid=email-unavailable]')).toContain('メールでの再設定は使えません');
    await screenshot(page, 'recovery-02-choice-375');
    await Promise.all([page.waitForURL(/\/account\/recovery\/card$/), page.click('[data-testid=reset-by-card]')]);
    await page.fill('#loginId', 'tottori.taro');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).toContain('カードで署名してください');
    await screenshot(page, 'recovery-03-card-375');
    await Promise.all([page.waitForURL(/\/account\/recovery\/reset\?token=/), page.click('[data-testid=test-card-form] button')]);
    await page.fill('#loginId', 'tottori.taro');
    await page.fill('#password', 'phone-reset-2026');
    await page.fill('#passwordConfirm', 'phone-reset-2026');
    await screenshot(page, 'recovery-04-new-password-375');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await page.textContent('[data-testid=reset-done]')).toContain('すべての端末とサービスからログアウトしました');
    await screenshot(page, 'recovery-05-done-375');

    // Both earlier sessions are gone; the old password no longer signs in, the new one does.
    for (const ctx of [before, other]) {
      const check = await ctx.newPage();
      await check.goto(`${hub.url}/account`);
      expect(new URL(check.url()).pathname).toMatch(/^\/interaction\//);
    }
    const again = await browser.newContext(axe);
    const fresh = await signIn(again, 'tottori.taro', 'phone-reset-2026');
    expect(await fresh.textContent('[data-testid=common-id]')).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}$/);
    for (const path of ['/account/recovery', '/account/recovery/card', '/account/recovery/email', '/account/recovery/reset?token=x']) {
      await fresh.goto(`${hub.url}${path}`);
      await expectAccessible(fresh);
    }
    await Promise.all([before.close(), other.close(), context.close(), again.close()]);
  });
});
