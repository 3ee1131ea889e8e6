import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestDatabase, testCardEnv, testRedis } from '@tsunagu/testing';
import { signInAdminPage, sql } from './admin-support';
import { launchBrowser, screenshot, verifyWithTestCardIn } from './support/browser';
import { type AppProcess, freePort, startApp } from './support/processes';

const HOUR = 3_600_000;

/** `YYYY-MM-DDTHH:mm` in Japan time, `ms` from now (what a datetime-local field takes). */
function jst(ms: number): string {
  return new Date(Date.now() + ms + 9 * HOUR).toISOString().slice(0, 16);
}

/**
 * The compliance records of issue #18 in Chromium at 375 px, as staff and a resident use them: a
 * planned stop announced 8 days ahead on the sign-in page; an incident discovered 2 days 20 hours
 * ago whose 速報 is due in 4 hours, in red, with its PPC leak-report export; the handling ledger
 * (台帳) showing a provision made in the test; a resident's inquiry, its receipt number and the
 * admin's answer in the portal.
 */
describe('Compliance records in Chromium (e2e)', () => {
  let hub: AppProcess;
  let browser: Browser;
  let databaseUrl: string;
  let system: Page;
  let misasa: Page;
  let resident: Page;
  const query = <T = Record<string, any>>(text: string, values: unknown[] = []) => sql<T>(databaseUrl, text, values); // eslint-disable-line @typescript-eslint/no-explicit-any

  const context = (): Promise<BrowserContext> => browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'ja-JP' });

  beforeAll(async () => {
    const port = await freePort();
    const redis = testRedis();
    databaseUrl = await createTestDatabase('compliance');
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: databaseUrl, REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, KEY_ENCRYPTION_KEY: 'c'.repeat(43), ...testCardEnv(),
    }, port);
    browser = await launchBrowser();
    [system, misasa] = await Promise.all([
      context().then((c) => signInAdminPage(c, hub.url, 'system-admin', /\/system\/tenants$/)),
      context().then((c) => signInAdminPage(c, hub.url, 'admin-misasa')),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('shows a planned stop announced 8 days ahead on the resident sign-in page', async () => {
    await system.goto(`${hub.url}/system/maintenance`);
    await system.fill('#startsAt', jst(8 * 24 * HOUR));
    await system.fill('#endsAt', jst(8 * 24 * HOUR + 2 * HOUR));
    await system.fill('#titleJa', '基盤の計画停止');
    await system.fill('#titleEn', 'Planned stop');
    await system.fill('#bodyJa', 'サーバーの更新のため停止します。');
    await system.fill('#bodyEn', 'Server update.');
    await Promise.all([system.waitForURL(/done=created/), system.click('button[type=submit]:has-text("登録する")')]);

    resident = await (await context()).newPage();
    await resident.goto(`${hub.url}/account`);
    await resident.waitForSelector('#loginId');
    expect(await resident.textContent('[data-testid=maintenance-notice]')).toContain('基盤の計画停止');
    expect(await resident.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(resident, 'compliance-01-sign-in-notice-375');
    await resident.fill('#loginId', 'tottori.taro');
    await resident.fill('#password', 'tsunagu-demo-2026');
    await Promise.all([resident.waitForURL(`${hub.url}/account`), resident.click('button[type=submit]:has-text("ログイン")')]);
    expect(await resident.textContent('[data-testid=maintenance-notice]')).toContain('基盤の計画停止');
  });

  it('records an incident discovered 2 days 20 hours ago: 速報 due in 4 hours, in red, and exports every PPC field', async () => {
    await misasa.goto(`${hub.url}/admin/incidents`);
    await misasa.fill('#title', '委託先でのメール誤送信');
    await misasa.fill('#discoveredAt', jst(-68 * HOUR));
    await misasa.fill('#summary', '利用者一覧を誤った宛先に送信した。');
    await misasa.fill('#items', '氏名、共通ID');
    await misasa.fill('#affectedCount', '12');
    await misasa.fill('#reporter', '三朝町 企画課 山田');
    await misasa.fill('#cause', '宛先の確認漏れ');
    await Promise.all([misasa.waitForURL(/\/admin\/incidents\/[0-9a-f-]+\?done=created/), misasa.click('button[type=submit]:has-text("記録する")')]);
    const quick = misasa.locator('[data-testid=deadlines] span[data-stage=quick]');
    expect(await quick.getAttribute('data-state')).toBe('urgent');
    expect(await quick.textContent()).toContain('あと4時間');
    const color = await quick.evaluate((el) => getComputedStyle(el).color);
    const [r, g, b] = color.match(/\d+/g)!.map(Number);
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(80);
    expect(await misasa.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(misasa, 'compliance-02-incident-375');

    const id = new URL(misasa.url()).pathname.split('/').pop()!;
    const json = await (await misasa.request.get(`${hub.url}/admin/incidents/${id}/ppc.json`)).json();
    for (const field of ['報告者', '発覚日時', '発生日時', '概要', '漏えい等が発生し又は発生したおそれがある個人データの項目', '本人の数', '原因', '二次被害又はそのおそれの有無及びその内容',
      '本人への対応の実施状況', '公表の実施状況', '再発防止のための措置', 'その他参考となる事項', '報告の状況']) expect(json).toHaveProperty(field);
    expect(json.本人の数).toBe(12);
    await misasa.click('[data-testid=ppc-page]');
    expect(await misasa.locator('[data-testid=ppc-fields] dt').count()).toBe(12);
    // Another tenant cannot see it.
    const other = await query(`SELECT count(*)::int AS n FROM incidents WHERE tenant_id = (SELECT id FROM tenants WHERE code = 'misasa')`);
    expect(other[0].n).toBe(1);
  });

  it('lists a provision made now in the handling ledger with its date and process', async () => {
    await verifyWithTestCardIn(resident, hub.url); // the data use requires a verified identity
    await resident.goto(`${hub.url}/portal/data-uses/cashless.health-points`);
    await Promise.all([resident.waitForURL(/\/portal\/consents\/[0-9a-f-]+\?done=given/), resident.click('[data-action=agree]')]);
    // The provision as the provider connector reports it (as test/admin.e2e-spec.ts records one; the
    // connector path itself is covered by test/connect-ledger.e2e-spec.ts).
    const [use] = await query(`SELECT c.id AS consent_version_id, c.resident_id, c.data_use_id, c.tenant_id, u.service_id FROM consents c JOIN data_uses u ON u.id = c.data_use_id
      JOIN residents r ON r.id = c.resident_id WHERE u.code = 'cashless.health-points' AND r.login_id = 'tottori.taro' ORDER BY c.version DESC LIMIT 1`);
    const [provider] = await query(`SELECT id, tenant_id FROM services WHERE client_id = 'demo-misasa-health'`);
    await query(`INSERT INTO provision_records (tenant_id, provider_tenant_id, resident_id, consent_version_id, data_use_id, provider_service_id, consumer_service_id, items, purpose_code, outcome, grant_id, occurred_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, '{misasa-health.daily-steps}', 'health-points', 'provided', 'g-compliance', now())`,
    [use.tenant_id, provider.tenant_id, use.resident_id, use.consent_version_id, use.data_use_id, provider.id, use.service_id]);
    await misasa.goto(`${hub.url}/admin/handling-ledger?kind=handover`);
    const row = misasa.locator('[data-testid=handling-ledger] tr[data-kind=handover]').first();
    const text = await row.textContent();
    expect(text).toContain('受け渡し');
    expect(text).toContain('コネクタ間のデータ提供');
    expect(text).toContain(new Intl.DateTimeFormat('ja-JP', { dateStyle: 'medium', timeZone: 'Asia/Tokyo' }).format(new Date()));
    await screenshot(misasa, 'compliance-03-ledger-375');
  });

  it('gives a resident’s inquiry a receipt number, and shows the admin’s answer in the portal', async () => {
    await resident.goto(`${hub.url}/inquiry`);
    expect(await resident.textContent('[data-testid=inquiry-signed-in]')).toBeTruthy();
    await resident.fill('#message', '同意の撤回はどこからできますか。');
    await resident.click('button[type=submit]:has-text("送信する")');
    const receipt = (await resident.textContent('[data-testid=receipt-no]'))!.trim();
    expect(receipt).toMatch(/^Q-\d{8}-[0-9A-Z]{6}$/);
    await screenshot(resident, 'compliance-04-inquiry-receipt-375');

    await system.goto(`${hub.url}/system/inquiries`);
    await Promise.all([system.waitForURL(/\/system\/inquiries\/[0-9a-f-]+$/), system.click(`a:has-text("${receipt}")`)]);
    await system.fill('#reply', 'ポータルの「同意の管理」から撤回できます。');
    await system.fill('#assignee', 'me');
    await Promise.all([system.waitForURL(/done=saved/), system.click('button[type=submit]:has-text("保存する")')]);
    expect(await system.textContent('[data-testid=inquiry-status]')).toBe('対応中');

    await resident.goto(`${hub.url}/portal/inquiries`);
    expect(await resident.textContent(`[data-inquiry="${receipt}"]`)).toContain('ポータルの「同意の管理」から撤回できます。');
    expect(await resident.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(resident, 'compliance-05-inquiry-answer-375');
  });
});
