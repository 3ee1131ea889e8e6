import { connectorSectionHarness } from '@tsunagu/demo-kit/testing';
import { createApp, loadMisasaConfig } from '../app';
import { onsenSpendingFrom } from './onsen-spending';

const SDK_TOKEN = 'misasa-sdk-token-for-tests';

describe('member page: onsen spending through the connector SDK', () => {
  const demo = connectorSectionHarness({
    clientId: 'demo-misasa-health', clientSecret: 'demo-misasa-health-secret', sdkToken: SDK_TOKEN,
    start: (hubUrl, sdkEnv) => createApp(loadMisasaConfig({ DEMO_STORE: 'memory', DEMO_MISASA_PORT: '0', HUB_URL: hubUrl, DEMO_MISASA_PUBLIC_URL: 'http://localhost:3102', ...sdkEnv })),
    resident: { id: 'resident-hanako', name: '三朝 花子', acr: 'urn:tsunagu:loa:2', amr: ['pwd'] }, localId: 'MH-0002', button: '温泉でのお支払いを表示',
  });

  it('asks its connector for the monthly spending under misasa-health.onsen-spending and shows the onsen part', async () => {
    demo.sdk.answer = { status: 200, body: {
      grantId: 'g-1', dataUse: 'misasa-health.onsen-spending', provider: { connectorId: 'c-1' }, providedAt: new Date().toISOString(),
      items: { 'cashless.monthly-spending': [
        { month: '2026-10', category: 'onsen', amountYen: 1200 }, { month: '2026-10', category: 'retail', amountYen: 9999 },
        { month: '2026-11', category: 'onsen', amountYen: 500 },
      ] },
    } };
    const { agent, csrf } = await demo.signedIn();
    const res = await agent.post('/member/onsen-spending').type('form').send({ _csrf: csrf }).expect(200);
    expect(demo.sdk.calls).toEqual([{
      method: 'POST', path: '/sdk/v1/requests', authorization: `Bearer ${SDK_TOKEN}`,
      body: { localId: 'MH-0002', dataUse: 'misasa-health.onsen-spending', purpose: 'onsen-spending-display', items: ['cashless.monthly-spending'], consentedOnly: true },
    }]);
    expect(res.text).toContain('data-testid="onsen-spending-total">1,700 円');
    expect(res.text).not.toContain('9,999');
    // The result first, above the steps of the last two weeks.
    expect(res.text.indexOf('data-testid="onsen-spending"')).toBeLessThan(res.text.indexOf('data-testid="average-steps"'));
  });

  it.each(['consent_required', 'consent_withdrawn', 'items_not_consented'])('shows %s with a link to the hub portal opt-in page', async (code) => {
    demo.sdk.refuse(403, code);
    const { agent, csrf } = await demo.signedIn();
    const res = await agent.post('/member/onsen-spending').type('form').send({ _csrf: csrf }).expect(200);
    expect(res.text).toContain(`data-code="${code}"`);
    expect(res.text).toContain(`href="${demo.hub.url}/portal/data-uses/misasa-health.onsen-spending"`);
    expect(res.text).toContain('Tottori ID ポータルで同意を確認する');
    // The code is for support: visible only inside 「詳細」.
    const box = res.text.slice(res.text.indexOf('data-testid="connector-problem"'));
    expect(box.slice(0, box.indexOf('<details')).replace(`data-code="${code}"`, '')).not.toContain(code);
    expect(box).toMatch(/<summary>詳細<\/summary>/);
    expect(res.text.indexOf('data-testid="connector-problem"')).toBeLessThan(res.text.indexOf('data-testid="average-steps"'));
  });

  it('explains a resident not linked at the cashless base, without an opt-in link', async () => {
    demo.sdk.refuse(404, 'resident_not_linked');
    const { agent, csrf } = await demo.signedIn();
    const res = await agent.post('/member/onsen-spending?lang=en').type('form').send({ _csrf: csrf }).expect(200);
    expect(res.text).toContain('not linked with Tottori ID yet');
    expect(res.text).not.toContain('data-testid="opt-in-link"');
  });

  it('keeps only the onsen category, newest month first', () => {
    expect(onsenSpendingFrom({ 'cashless.monthly-spending': [
      { month: '2026-09', category: 'onsen', amountYen: 100 }, { month: '2026-11', category: 'onsen', amountYen: 300 }, { month: '2026-10', category: 'lodging', amountYen: 50 },
    ] })).toEqual({ months: [{ month: '2026-11', amountYen: 300 }, { month: '2026-09', amountYen: 100 }], totalYen: 400 });
  });
});
