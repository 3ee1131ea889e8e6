import request from 'supertest';
import { connectorSectionHarness } from '@tsunagu/demo-kit/testing';
import { createApp } from '../app';
import { loadCashlessConfig } from '../cashless.config';
import { healthPointsFrom } from './health-points';

const SDK_TOKEN = 'cashless-sdk-token-for-tests';

describe('member page: health points through the connector SDK', () => {
  const demo = connectorSectionHarness({
    clientId: 'demo-cashless', clientSecret: 'demo-cashless-secret', sdkToken: SDK_TOKEN,
    start: (hubUrl, sdkEnv) => createApp(loadCashlessConfig({ DEMO_STORE: 'memory', DEMO_CASHLESS_PORT: '0', HUB_URL: hubUrl, DEMO_CASHLESS_PUBLIC_URL: 'http://localhost:3101', ...sdkEnv })),
    resident: { id: 'resident-taro', name: '鳥取 太郎', acr: 'urn:tsunagu:loa:2', amr: ['pwd'] }, localId: 'C-2026-0001', button: '健康ポイントを確認',
  });

  it('asks its connector for steps and visits under cashless.health-points and shows the points', async () => {
    demo.sdk.answer = { status: 200, body: {
      grantId: 'g-1', dataUse: 'cashless.health-points', provider: { connectorId: 'c-2' }, providedAt: new Date().toISOString(),
      items: {
        'misasa-health.daily-steps': [{ date: '2026-11-20', steps: 6800 }, { date: '2026-11-21', steps: 12_400 }],
        'misasa-health.onsen-visits': [{ date: '2026-11-21', facilityId: 'misasa-kabuyu', facilityName: '三朝温泉 株湯' }],
      },
    } };
    const { agent, csrf } = await demo.signedIn();
    const res = await agent.post('/member/health-points').type('form').send({ _csrf: csrf }).expect(200);
    expect(demo.sdk.calls).toEqual([{
      method: 'POST', path: '/sdk/v1/requests', authorization: `Bearer ${SDK_TOKEN}`,
      body: {
        localId: 'C-2026-0001', dataUse: 'cashless.health-points', purpose: 'health-points', items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'],
        consentedOnly: true,
      },
    }]);
    // 6 + 12 step points, 50 for the visit.
    expect(res.text).toMatch(/data-testid="health-points-total">68 <small>pt/);
    expect(res.text).not.toContain('data-testid="health-points-partial"');
    expect(res.text).toContain('1,250'); // the rest of the member page is still there
    // The result comes first, where the resident looks: before the balance and the payments.
    expect(res.text.indexOf('data-testid="health-points"')).toBeLessThan(res.text.indexOf('data-testid="points-balance"'));
  });

  it('counts what the consent allows when the resident shares only the steps, and says so', async () => {
    demo.sdk.answer = { status: 200, body: {
      grantId: 'g-2', dataUse: 'cashless.health-points', provider: { connectorId: 'c-2' }, providedAt: new Date().toISOString(),
      items: { 'misasa-health.daily-steps': [{ date: '2026-11-20', steps: 6800 }, { date: '2026-11-21', steps: 12_400 }] },
      notConsented: ['misasa-health.onsen-visits'],
    } };
    const { agent, csrf } = await demo.signedIn();
    const res = await agent.post('/member/health-points').type('form').send({ _csrf: csrf }).expect(200);
    expect(res.text).toMatch(/data-testid="health-points-total">18 <small>pt/);
    expect(res.text).toContain('data-testid="health-points-visits">同意の対象外のため連携されていません');
    const partial = res.text.slice(res.text.indexOf('data-testid="health-points-partial"'));
    expect(partial).toContain('あなたの同意に温泉利用が含まれていない');
    expect(partial).toContain(`href="${demo.hub.url}/portal/data-uses/cashless.health-points"`);
    // The item code only inside 「詳細」.
    const before = partial.slice(0, partial.indexOf('<details'));
    expect(before).not.toContain('misasa-health.onsen-visits');
    expect(partial.slice(partial.indexOf('<details'), partial.indexOf('</details>'))).toContain('misasa-health.onsen-visits');
  });

  it.each(['consent_required', 'consent_withdrawn'])('shows %s in words with a link to the hub portal opt-in page, the code only in 「詳細」', async (code) => {
    demo.sdk.refuse(403, code);
    const { agent, csrf } = await demo.signedIn();
    const res = await agent.post('/member/health-points?lang=en').type('form').send({ _csrf: csrf }).expect(200);
    expect(res.text).toContain(`data-code="${code}"`);
    expect(res.text).toContain(`href="${demo.hub.url}/portal/data-uses/cashless.health-points?lang=en"`);
    expect(res.text).not.toContain('data-testid="health-points-total"');
    const box = res.text.slice(res.text.indexOf('data-testid="connector-problem"'));
    const words = box.slice(box.indexOf('>') + 1, box.indexOf('<details'));
    expect(words).toMatch(/consent/i);
    expect(words).not.toContain(code);
    expect(box.slice(box.indexOf('<details'), box.indexOf('</details>'))).toMatch(new RegExp(`<summary>Details</summary>[\\s\\S]*${code}[\\s\\S]*test-correlation`));
    // A missing consent is a normal state: a notice, not a red alert, at the top of the page.
    expect(res.text).not.toContain('class="alert"');
    expect(res.text.indexOf('data-testid="connector-problem"')).toBeLessThan(res.text.indexOf('data-testid="points-balance"'));
  });

  it('shows an unavailable provider without an opt-in link', async () => {
    demo.sdk.refuse(503, 'provider_unavailable');
    const { agent, csrf } = await demo.signedIn();
    const res = await agent.post('/member/health-points').type('form').send({ _csrf: csrf }).expect(200);
    expect(res.text).toContain('data-code="provider_unavailable"');
    expect(res.text).toContain('class="alert"');
    expect(res.text).not.toContain('data-testid="opt-in-link"');
  });

  it('says a data use the hub does not know in words, not as permission_denied', async () => {
    demo.sdk.refuse(404, 'data_use_not_found');
    const { agent, csrf } = await demo.signedIn();
    const res = await agent.post('/member/health-points').type('form').send({ _csrf: csrf }).expect(200);
    expect(res.text).toContain('このデータ連携は現在 Tottori ID に登録されていないため、利用できません。');
    expect(res.text).toContain('data-code="data_use_not_found"');
  });

  it('refuses the button without the CSRF token and asks nothing', async () => {
    const { agent } = await demo.signedIn();
    await agent.post('/member/health-points').type('form').send({}).expect(403);
    await request(demo.app.getHttpServer()).post('/member/health-points').type('form').send({}).expect(403);
    expect(demo.sdk.calls).toHaveLength(0);
  });

  it('computes 1 pt per full 1,000 steps a day and 50 pt per visit', () => {
    expect(healthPointsFrom({ 'misasa-health.daily-steps': [{ date: '2026-11-01', steps: 999 }, { date: '2026-11-02', steps: 2000 }], 'misasa-health.onsen-visits': [] }))
      .toMatchObject({ steps: 2999, stepPoints: 2, visitPoints: 0, total: 2, days: 2, stepsShared: true, visitsShared: true });
  });

  it('counts an item the consent left out as nothing, and marks it not shared', () => {
    expect(healthPointsFrom({ 'misasa-health.onsen-visits': [{ date: '2026-11-01', facilityId: 'f', facilityName: 'F' }] }, ['misasa-health.daily-steps']))
      .toMatchObject({ steps: 0, days: 0, stepPoints: 0, visitPoints: 50, total: 50, stepsShared: false, visitsShared: true, notConsented: ['misasa-health.daily-steps'] });
  });
});
