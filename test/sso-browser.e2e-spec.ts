import type { Browser } from 'playwright-core';
import { launchBrowser, linkIfAsked, screenshot } from './support/browser';
import { type HubWithDemos, startHubWithDemos } from './support/processes';

/**
 * What a resident does, in a real browser: sign in at the cashless demo with Tottori ID, link the
 * member number, open the Misasa demo and be signed in without the password (SSO), then become
 * identity-verified in the portal with the development test card.
 */
describe('Single sign-on across the demo services, in Chromium (e2e)', () => {
  let platform: HubWithDemos;
  let hubUrl: string;
  let cashlessUrl: string;
  let misasaUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    platform = await startHubWithDemos('sso', { JPKI_TEST_CARD: 'true' });
    ({ hubUrl, cashlessUrl, misasaUrl } = platform);
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('signs in once and is signed in at the second service without the password', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'ja-JP' });
    const page = await context.newPage();

    await page.goto(cashlessUrl);
    await page.click('text=Tottori ID でログイン');
    await page.waitForSelector('#loginId');
    expect(page.url().startsWith(hubUrl)).toBe(true);
    await screenshot(page, 'sso-01-hub-login-375');
    await page.fill('#loginId', 'misasa.hanako');
    await page.fill('#password', 'tsunagu-demo-2026');
    await page.click('button:has-text("ログイン")');
    await page.waitForSelector('text=情報提供の確認');
    await screenshot(page, 'sso-02-consent-375');
    await page.click('button:has-text("許可する")');
    await page.waitForURL((url) => url.href.startsWith(cashlessUrl));
    await linkIfAsked(page, 'C-2026-0002', '2222');
    await page.goto(`${cashlessUrl}/member`);
    expect(await page.textContent('body')).toContain('C-2026-0002');
    // How the resident signed in, in words; the acr/amr codes only inside the closed 「詳細」.
    expect(await page.textContent('[data-testid=assurance-level]')).toBe('パスワードでログイン（本人確認なし）');
    expect(await page.textContent('[data-testid=sign-in-methods]')).toBe('パスワード');
    expect(await page.innerText('body')).not.toMatch(/urn:tsunagu|\bpwd\b/);
    await page.click('#tottori-id ~ details.support summary');
    expect(await page.innerText('#tottori-id ~ details.support')).toContain('urn:tsunagu:loa:password');
    await screenshot(page, 'sso-03-cashless-member-375');
    // The answer of 「健康ポイントを確認」 is at the top of the page, in view at 375×800 (no connector here: it says so in words).
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("健康ポイントを確認")')]);
    const answer = await page.locator('[data-testid=connector-problem]').boundingBox();
    expect(answer!.y + answer!.height).toBeLessThan(800);
    expect(await page.innerText('[data-testid=connector-problem]')).toContain('コネクタが設定されていません');
    expect(await page.innerText('[data-testid=connector-problem]')).not.toContain('not_configured');
    await screenshot(page, 'sso-03b-cashless-health-points-375');

    // The second service: no password, only its own consent screen.
    await page.goto(misasaUrl);
    await page.click('text=Tottori ID でログイン');
    await page.waitForSelector('text=情報提供の確認');
    expect(await page.locator('#password').count()).toBe(0);
    await page.click('button:has-text("許可する")');
    await page.waitForURL((url) => url.href.startsWith(misasaUrl));
    await linkIfAsked(page, 'MH-0002', '2222');
    await page.goto(`${misasaUrl}/member`);
    expect(await page.textContent('body')).toContain('MH-0002');
    await screenshot(page, 'sso-04-misasa-member-375');

    // The portal knows the resident too, and lists both links.
    await page.goto(`${hubUrl}/account`);
    const account = await page.textContent('body');
    expect(account).toContain('C-2026-0002');
    expect(account).toContain('MH-0002');
    await screenshot(page, 'sso-05-portal-375');

    // The privacy notice a data use links to is the service's real page.
    await page.goto(`${hubUrl}/portal/data-uses/cashless.health-points`);
    const [privacy] = await Promise.all([page.waitForNavigation(), page.click(`a[href="${cashlessUrl}/privacy"]`)]);
    expect(privacy?.status()).toBe(200);
    expect(page.url()).toBe(`${cashlessUrl}/privacy`);
    expect(await page.textContent('h1')).toBe('プライバシーポリシー');
    expect(await page.textContent('[data-testid=privacy-contact]')).toBe('privacy@cashless.example.jp');
    await screenshot(page, 'sso-05b-privacy-notice-375');

    // Identity proofing with the development test card.
    await page.goto(`${hubUrl}/account/verify`);
    expect(await page.textContent('[data-testid=verification-status]')).toContain('まだ本人確認をしていません');
    await page.click('button:has-text("テスト用カードで本人確認する")');
    await page.waitForURL(/done=1/);
    expect(await page.textContent('[data-testid=verification-status]')).toContain('本人確認済みです');
    await screenshot(page, 'sso-06-verified-375');
    await context.close();
  });

  it('answers 「許可しない」 at the hub with a normal page of the service: signed out, nothing shared, a way to try again', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' });
    const page = await context.newPage();
    await page.goto(misasaUrl);
    await page.click('text=Tottori ID でログイン');
    await page.waitForSelector('#loginId');
    await page.fill('#loginId', 'kurayoshi.jiro');
    await page.fill('#password', 'tsunagu-demo-2026');
    await page.click('button:has-text("ログイン")');
    await page.waitForSelector('text=情報提供の確認');
    const [declined] = await Promise.all([page.waitForNavigation({ url: (url) => url.href.startsWith(misasaUrl) }), page.click('button:has-text("許可しない")')]);
    expect(declined?.status()).toBe(200);
    await page.waitForSelector('[data-testid=sign-in-declined]');
    const body = await page.innerText('body');
    expect(body).toContain('あなたの情報は何も提供されていません');
    expect(body).not.toContain('処理できませんでした');
    expect(body).not.toContain('access_denied');
    await screenshot(page, 'sso-07-declined-1280');
    // Signed out at the service: the member page sends the visitor to the start page.
    await page.goto(`${misasaUrl}/member`);
    expect(new URL(page.url()).pathname).toBe('/');
    // Trying again from there: the hub asks once more, and allowing leads to the link page.
    await page.click('text=Tottori ID でログイン');
    await page.waitForSelector('text=情報提供の確認');
    await page.click('button:has-text("許可する")');
    await page.waitForURL((url) => url.href.startsWith(`${misasaUrl}/link`));
    await context.close();
  });
});
