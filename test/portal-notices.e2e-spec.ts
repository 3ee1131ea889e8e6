import { Client } from 'pg';
import { createTestDatabase, testCardEnv } from '@tsunagu/testing';
import { axeViolations, launchBrowser, screenshot } from './support/browser';
import { type AppProcess, startHub } from './support/processes';
import { PortalResident } from './support/portal-resident';

const HEALTH_POINTS = 'cashless.health-points';
const TERMS = `jsonb_build_object('titleJa', title_ja, 'titleEn', title_en, 'purposeCode', purpose_code, 'purposeCategory', purpose_category,
  'purposeJa', purpose_ja, 'purposeEn', purpose_en, 'items', to_jsonb(items), 'retentionDays', retention_days, 'consentValidDays', consent_valid_days,
  'controllerNameJa', controller_name_ja, 'controllerNameEn', controller_name_en, 'controllerContact', controller_contact,
  'controllerType', controller_type, 'privacyNoticeUrl', privacy_notice_url)`;

/** Retries `check` until it passes: the hub keeps a data use it has read for a few seconds (CATALOG_TTL_MS). */
async function eventually(check: () => Promise<void>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * The resident's side of a change of terms on a real hub: the notices (お知らせ) page and JSON,
 * the count on the home page, 「条件が変わりました」 with the diff on the data-use page, the lawful
 * basis of a public controller, and re-consent clearing the notice.
 */
describe('Portal notices and changed terms (e2e)', () => {
  let hub: AppProcess;
  let db: Client;
  let taro: PortalResident;
  const page = async (path: string) => {
    const { res } = await taro.agent.follow(`${hub.url}${path}`);
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    const url = await createTestDatabase('notices');
    hub = await startHub('notices', { DATABASE_URL: url, ...testCardEnv() });
    db = new Client({ connectionString: url });
    await db.connect();
    taro = await (await new PortalResident(hub.url).signIn('tottori.taro')).verifyIdentity();
  });
  afterAll(async () => {
    await db?.end();
    await hub?.stop();
  });

  it('has no notices before anything changed, and shows the controller type, purpose category and lawful basis where the resident decides', async () => {
    expect(await taro.api('GET', '/api/v1/portal/notices')).toMatchObject({ status: 200, body: { notices: [] } });
    expect((await taro.api('GET', '/api/v1/portal/me')).body.noticeCount).toBe(0);
    const use = (await taro.api('GET', `/api/v1/portal/data-uses/${HEALTH_POINTS}`)).body;
    expect(use.dataUse.controllerType).toMatchObject({ code: 'private', article: '27(1)', name: { ja: '民間事業者' } });
    expect(use.dataUse.purposeCategory).toMatchObject({ code: 'PersonalisedBenefits', iri: 'https://w3id.org/dpv#PersonalisedBenefits' });
    expect(use.termsChange).toBeUndefined();
    const html = await page(`/portal/data-uses/${HEALTH_POINTS}`);
    expect(html).toContain('data-controller-type="private"');
    expect(html).toContain('個人情報保護法第27条第1項');
    expect(html).toContain('ポイント・特典の付与');
    expect(await page('/account')).toContain('お知らせはありません');
    const given = await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, expectedVersion: 0 });
    expect(given.status).toBe(201);
    expect(given.body.receipt.receipt.purposes[0]).toMatchObject({ category: { code: 'PersonalisedBenefits' }, lawfulBasis: { article: '27(1)' } });
  });

  it('tells the resident the terms changed — notices page, JSON, home count — and shows what changed against what they agreed to', async () => {
    await db.query(`UPDATE data_uses SET revision = revision + 1, consent_revision = revision + 1, retention_days = 730, controller_type = 'public',
      updated_at = now() WHERE code = $1`, [HEALTH_POINTS]);
    await db.query(`INSERT INTO data_use_revisions (data_use_id, revision, terms, needs_consent) SELECT id, revision, ${TERMS}, true FROM data_uses WHERE code = $1`, [HEALTH_POINTS]);

    const { body } = await taro.api('GET', '/api/v1/portal/notices');
    expect(body.notices).toEqual([expect.objectContaining({
      kind: 'paused', dataUse: HEALTH_POINTS, reason: 'terms_changed', actionRequired: true, link: `/portal/data-uses/${HEALTH_POINTS}`,
    })]);
    expect((await taro.api('GET', '/api/v1/portal/me')).body.noticeCount).toBe(1);
    const home = await page('/account');
    expect(home).toContain('お知らせ 1件');
    expect(home).toContain('href="/portal/notices"');
    const notices = await page('/portal/notices');
    expect(notices).toContain('利用条件が変わりました');
    expect(notices).toContain(`href="/portal/data-uses/${HEALTH_POINTS}"`);
    expect(notices).toContain('name="viewport"');
    expect(await page('/portal/notices?lang=en')).toContain('The terms changed');

    await eventually(async () => {
      const use = (await taro.api('GET', `/api/v1/portal/data-uses/${HEALTH_POINTS}`)).body;
      expect(use.consent).toMatchObject({ needsReconsent: true });
      expect(use.termsChange).toMatchObject({ fromRevision: 1, toRevision: 2 });
      expect(use.termsChange.differences.map((d: { term: string }) => d.term)).toEqual(['retentionDays', 'controllerType']);
    });
    const html = await page(`/portal/data-uses/${HEALTH_POINTS}?lang=ja`);
    expect(html).toContain('条件が変わりました');
    expect(html).toMatch(/同意したときの条件: 365日[\s\S]*新しい条件: 730日/);
    expect(html).toContain('新しい条件: 行政機関等');
    expect(html).toContain('個人情報保護法第69条第2項第1号');
    expect(html).toContain('data-action="agree"');
  });

  it('fits the notices, the changed terms and the history on a phone, with no axe-core violations, in Japanese and English', async () => {
    const browser = await launchBrowser();
    try {
      // axe is injected as a script: the hub's CSP (script-src 'self') is bypassed for the check only.
      const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'ja-JP', bypassCSP: true });
      const tab = await context.newPage();
      await tab.goto(`${hub.url}/account`);
      await tab.fill('#loginId', 'tottori.taro');
      await tab.fill('#password', 'tsunagu-demo-2026');
      await Promise.all([tab.waitForURL(`${hub.url}/account`), tab.click('button[type=submit]:has-text("ログイン")')]);
      const consentId = (await taro.api('GET', '/api/v1/portal/notices')).body.notices[0].consentId;
      const found: Record<string, unknown> = {};
      for (const [name, path] of [['home', '/account'], ['notices', '/portal/notices'], ['terms-changed', `/portal/data-uses/${HEALTH_POINTS}`],
        ['paused-history', `/portal/consents/${consentId}`], ['consents', '/portal/consents'], ['notices-en', '/portal/notices?lang=en'],
        ['terms-changed-en', `/portal/data-uses/${HEALTH_POINTS}?lang=en`]]) {
        await tab.goto(`${hub.url}${path}`);
        const violations = await axeViolations(tab);
        if (violations.length) found[name] = violations;
        expect(await tab.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
        await screenshot(tab, `portal-notices-${name}-375`);
      }
      expect(found).toEqual({});
      await context.close();
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('clears the notice when the resident agrees to the new terms, with a receipt citing Art. 69(2)(i)', async () => {
    const consent = (await taro.api('GET', `/api/v1/portal/data-uses/${HEALTH_POINTS}`)).body.consent;
    const res = await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, expectedVersion: consent.version });
    expect(res.status).toBe(201);
    expect(res.body.receipt.receipt.purposes[0].lawfulBasis).toMatchObject({ article: '69(2)(i)' });
    expect(res.body.receipt.receipt.controllers[0].type).toBe('public');
    expect((await taro.api('GET', '/api/v1/portal/notices')).body.notices).toEqual([]);
    expect(await page('/portal/notices')).toContain('現在、お知らせはありません');
  });

  it('refuses the notices to a visitor who is not signed in', async () => {
    const res = await fetch(`${hub.url}/api/v1/portal/notices`);
    expect(res.status).toBe(401);
  });
});
