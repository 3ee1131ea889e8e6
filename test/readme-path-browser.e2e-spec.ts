import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { pollUntil } from '@tsunagu/testing';
import { launchBrowser, linkIfAsked, screenshot } from './support/browser';
import { ROOT } from './support/processes';

/** The addresses the README's quick start lists: `npm start` always uses these. */
const HUB = 'http://localhost:3000';
const CASHLESS = 'http://localhost:3101';
const MISASA = 'http://localhost:3102';
const PORTS = [3000, 3101, 3102, 3201, 3202];

/** Internal codes a person must never read outside 「詳細」: acr URNs and snake_case error codes. */
const CODE = /urn:tsunagu|\b[a-z]+(?:_[a-z]+)+\b/;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false)).listen(port, () => server.close(() => resolve(true)));
  });
}

/**
 * The README's path, as a new user walks it: `npm start` (the real start script, on the embedded
 * default: PGlite, in-process queues, the demo connectors registered and approved), then in
 * Chromium, at a phone's width and a PC's: sign in at the cashless demo with Tottori ID, link the
 * member number, be signed in at the Misasa demo without the password, verify identity with the
 * development test card, opt in to a data use, see the exchange answered in words at the demo and
 * recorded by name in the portal's ledger, sign out and be told so; then Ctrl+C stops everything.
 * No page shows an internal code outside 「詳細」. Screenshots go to test/artifacts/readme-*.png.
 *
 * `npm start` keeps its data under ./data of the repository root it runs from, so it runs from a
 * scratch root whose dist/, node_modules/, docs/ and connector-configs/ are links to this one's.
 */
describe('The README path on the embedded default, in Chromium (e2e)', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsunagu-readme-'));
  let platform: ChildProcess;
  let output = '';
  let browser: Browser;

  beforeAll(async () => {
    const busy = [];
    for (const port of PORTS) if (!(await portFree(port))) busy.push(port);
    if (busy.length) throw new Error(`npm start needs ports ${PORTS.join(', ')}; in use: ${busy.join(', ')}`);
    for (const entry of ['dist', 'node_modules', 'docs', 'connector-configs', 'package.json']) symlinkSync(join(ROOT, entry), join(root, entry));
    // --preserve-symlinks-main: the script finds its root (and ./data) from its own path.
    platform = spawn(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', join(root, 'dist', 'scripts', 'start-all.js')], {
      cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' },
    });
    platform.stdout!.on('data', (d) => (output += d));
    platform.stderr!.on('data', (d) => (output += d));
    await pollUntil(() => output.includes('Press Ctrl+C to stop.') || platform.exitCode !== null, Boolean, 240_000, 250);
    if (platform.exitCode !== null) throw new Error(`npm start exited with ${platform.exitCode}:\n${output}`);
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (platform?.exitCode === null && platform.signalCode === null) {
      process.kill(-platform.pid!, 'SIGKILL');
    }
    rmSync(root, { recursive: true, force: true });
  });

  /** The page's visible words (closed 「詳細」 are not rendered, so their codes are not read). */
  async function expectNoCodes(page: Page): Promise<void> {
    const text = await page.innerText('body');
    expect({ url: page.url(), code: CODE.exec(text)?.[0] }).toEqual({ url: page.url(), code: undefined });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  }

  const walks = [
    { width: 375, height: 812, resident: 'tottori.taro', member: ['C-2026-0001', '1111'], health: ['MH-0001', '1111'] },
    { width: 1280, height: 900, resident: 'misasa.hanako', member: ['C-2026-0002', '2222'], health: ['MH-0002', '2222'] },
  ];

  it.each(walks)('walks the quick start at $width px as $resident', async (walk) => {
    const context = await browser.newContext({ viewport: { width: walk.width, height: walk.height }, locale: 'ja-JP' });
    const page = await context.newPage();
    const shot = (step: string) => screenshot(page, `readme-${walk.width}-${step}`);

    // 1. The cashless demo: 「Tottori ID でログイン」, the hub's sign-in and consent screens, linking.
    await page.goto(CASHLESS);
    await shot('01-cashless');
    await page.click('text=Tottori ID でログイン');
    await page.waitForSelector('#loginId');
    expect(page.url().startsWith(HUB)).toBe(true);
    expect(await page.textContent('header.site')).toContain('鳥取県 パーソナル系データ連携基盤');
    await shot('02-hub-sign-in');
    await page.fill('#loginId', walk.resident);
    await page.fill('#password', 'tsunagu-demo-2026');
    await page.click('button:has-text("ログイン")');
    await page.waitForSelector('text=情報提供の確認');
    await expectNoCodes(page);
    await page.click('button:has-text("許可する")');
    await page.waitForURL((url) => url.href.startsWith(CASHLESS));
    await linkIfAsked(page, walk.member[0], walk.member[1]);
    await page.goto(`${CASHLESS}/member`);
    expect(await page.textContent('body')).toContain(walk.member[0]);
    await expectNoCodes(page);
    await shot('03-cashless-member');

    // 2. The Misasa demo: signed in without the password (single sign-on).
    await page.goto(MISASA);
    await page.click('text=Tottori ID でログイン');
    await page.waitForSelector('text=情報提供の確認');
    expect(await page.locator('#password').count()).toBe(0);
    await page.click('button:has-text("許可する")');
    await page.waitForURL((url) => url.href.startsWith(MISASA));
    await linkIfAsked(page, walk.health[0], walk.health[1]);
    await page.goto(`${MISASA}/member`);
    expect(await page.textContent('body')).toContain(walk.health[0]);
    await shot('04-misasa-member');

    // 3. The portal: what the platform is for, both links, as cards on a phone.
    await page.goto(`${HUB}/account`);
    expect(await page.textContent('[data-testid=purpose]')).toContain('ひとつの Tottori ID');
    expect(await page.textContent('[data-testid=links]')).toContain(walk.member[0]);
    expect(await page.locator('footer.site a').allTextContents()).toEqual(['操作マニュアル', 'お問い合わせ', 'お問い合わせフォーム', '停止・終了のお知らせ', 'プライバシーポリシー', '利用規約']);
    await expectNoCodes(page);
    await shot('05-portal-home');

    // 4. Identity proofing with the development test card: answered at once, the hub stays responsive.
    await page.goto(`${HUB}/account/verify`);
    const started = Date.now();
    await Promise.all([page.waitForURL(/done=1/, { timeout: 15_000 }), page.click('button:has-text("テスト用カードで本人確認する")')]);
    const verifyMs = Date.now() - started;
    expect(await page.textContent('[data-testid=verification-status]')).toContain('本人確認済みです');
    expect((await fetch(`${HUB}/health`, { signal: AbortSignal.timeout(3000) })).status).toBe(200);
    await expectNoCodes(page);
    await shot('06-verified');
    process.stdout.write(`README path at ${walk.width} px: test card answered in ${verifyMs} ms\n`);

    // 5. Opt in to the health-points data use.
    await page.goto(`${HUB}/portal/data-uses/cashless.health-points`);
    await expectNoCodes(page);
    await shot('07-opt-in');
    await Promise.all([page.waitForURL(/\/portal\/consents\/[0-9a-f-]+\?done=given/), page.click('[data-action=agree]')]);
    await expectNoCodes(page);
    await shot('08-consented');

    // 6. The exchange at the cashless demo, answered in words at the top of the page.
    await page.goto(`${CASHLESS}/member`);
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("健康ポイントを確認")')]);
    await page.waitForSelector('[data-testid=health-points-total]');
    await expectNoCodes(page);
    await shot('09-health-points');

    // 7. The ledger names the items that were provided (not their codes).
    await page.goto(`${HUB}/portal/provisions`);
    const ledger = await page.innerText('[data-testid=provisions]');
    expect(ledger).toContain('1日ごとの歩数');
    expect(ledger).not.toContain('misasa-health.');
    if (walk.width < 768) {
      expect(await page.locator('[data-testid=provisions] tbody tr').first().evaluate((r) => getComputedStyle(r).display)).toBe('block');
    }
    await expectNoCodes(page);
    await shot('10-ledger');

    // 8. Sign out: the hub asks, then says what is true.
    await page.goto(`${HUB}/account`);
    await page.click('nav.site a:has-text("ログアウト")');
    await page.waitForSelector('button[name=logout]');
    await expectNoCodes(page);
    await shot('11-sign-out');
    await Promise.all([page.waitForURL(`${HUB}/account/signed-out`), page.click('button[name=logout]')]);
    expect(await page.textContent('h1')).toBe('ログアウトしました');
    await expectNoCodes(page);
    await shot('12-signed-out');
    await page.goto(`${HUB}/account/signed-out`);
    expect(page.url()).toBe(`${HUB}/account/signed-out`);
    await context.close();
  }, 180_000);

  it('stops every process on Ctrl+C', async () => {
    const started = Date.now();
    const exited = new Promise((resolve) => platform.once('exit', resolve));
    // A terminal's Ctrl+C reaches the whole foreground process group.
    process.kill(-platform.pid!, 'SIGINT');
    await exited;
    expect(await pollUntil(async () => (await Promise.all(PORTS.map(portFree))).every(Boolean), Boolean, 10_000, 100)).toBe(true);
    process.stdout.write(`README path: Ctrl+C stopped the platform in ${Date.now() - started} ms\n`);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);
});
