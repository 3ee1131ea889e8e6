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
      body: { localId: 'C-2026-0001', dataUse: 'cashless.health-points', purpose: 'health-points', items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'] },
    }]);
    // 6 + 12 step points, 50 for the visit.
    expect(res.text).toMatch(/data-testid="health-points-total">68 <small>pt/);
    expect(res.text).toContain('1,250'); // the rest of the member page is still there
  });

  it.each(['consent_required', 'consent_withdrawn'])('shows %s with a link to the hub portal opt-in page', async (code) => {
    demo.sdk.refuse(403, code);
    const { agent, csrf } = await demo.signedIn();
    const res = await agent.post('/member/health-points?lang=en').type('form').send({ _csrf: csrf }).expect(200);
    expect(res.text).toContain(`data-code="${code}"`);
    expect(res.text).toContain(`href="${demo.hub.url}/portal/data-uses/cashless.health-points?lang=en"`);
    expect(res.text).not.toContain('data-testid="health-points-total"');
  });

  it('shows an unavailable provider without an opt-in link', async () => {
    demo.sdk.refuse(503, 'provider_unavailable');
    const { agent, csrf } = await demo.signedIn();
    const res = await agent.post('/member/health-points').type('form').send({ _csrf: csrf }).expect(200);
    expect(res.text).toContain('data-code="provider_unavailable"');
    expect(res.text).not.toContain('data-testid="opt-in-link"');
  });

  it('refuses the button without the CSRF token and asks nothing', async () => {
    const { agent } = await demo.signedIn();
    await agent.post('/member/health-points').type('form').send({}).expect(403);
    await request(demo.app.getHttpServer()).post('/member/health-points').type('form').send({}).expect(403);
    expect(demo.sdk.calls).toHaveLength(0);
  });

  it('computes 1 pt per full 1,000 steps a day and 50 pt per visit', () => {
    expect(healthPointsFrom({ 'misasa-health.daily-steps': [{ date: '2026-11-01', steps: 999 }, { date: '2026-11-02', steps: 2000 }], 'misasa-health.onsen-visits': [] }))
      .toMatchObject({ steps: 2999, stepPoints: 2, visitPoints: 0, total: 2, days: 2 });
  });
});
