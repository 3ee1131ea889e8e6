import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { FakeHub, SdkStandIn, csrfFrom, signInThroughHub } from '../../../../libs/demo-kit/src/testing';
import { createApp, loadMisasaConfig } from '../app';
import { onsenSpendingFrom } from './onsen-spending';

const SDK_TOKEN = 'misasa-sdk-token-for-tests';

describe('member page: onsen spending through the connector SDK', () => {
  let hub: FakeHub;
  let sdk: SdkStandIn;
  let app: NestExpressApplication;

  beforeAll(async () => {
    hub = await FakeHub.start([{ clientId: 'demo-misasa-health', clientSecret: 'demo-misasa-health-secret' }]);
    sdk = await SdkStandIn.start();
    app = await createApp(loadMisasaConfig({
      DEMO_STORE: 'memory', DEMO_MISASA_PORT: '0', HUB_URL: hub.url, DEMO_MISASA_PUBLIC_URL: 'http://localhost:3102',
      CONNECTOR_SDK_URL: sdk.url, CONNECTOR_SDK_TOKEN: SDK_TOKEN,
    }));
  });
  afterAll(async () => {
    await app?.close();
    await sdk?.close();
    await hub?.close();
  });
  beforeEach(() => {
    sdk.calls.length = 0;
    hub.resident = { id: 'resident-hanako', name: '三朝 花子', acr: 'urn:tsunagu:loa:2', amr: ['pwd'] };
    hub.links.set(`demo-misasa-health ${hub.pairwiseSub('demo-misasa-health', 'resident-hanako')}`, { localId: 'MH-0002', linkedAt: new Date().toISOString() });
  });

  async function signedIn(): Promise<{ agent: ReturnType<typeof request.agent>; csrf: string }> {
    const agent = request.agent(app.getHttpServer());
    await signInThroughHub(agent);
    const page = await agent.get('/member').expect(200);
    expect(page.text).toContain('温泉でのお支払いを表示');
    return { agent, csrf: csrfFrom(page.text) };
  }

  it('asks its connector for the monthly spending under misasa-health.onsen-spending and shows the onsen part', async () => {
    sdk.answer = { status: 200, body: {
      grantId: 'g-1', dataUse: 'misasa-health.onsen-spending', provider: { connectorId: 'c-1' }, providedAt: new Date().toISOString(),
      items: { 'cashless.monthly-spending': [
        { month: '2026-10', category: 'onsen', amountYen: 1200 }, { month: '2026-10', category: 'retail', amountYen: 9999 },
        { month: '2026-11', category: 'onsen', amountYen: 500 },
      ] },
    } };
    const { agent, csrf } = await signedIn();
    const res = await agent.post('/member/onsen-spending').type('form').send({ _csrf: csrf }).expect(200);
    expect(sdk.calls).toEqual([{
      method: 'POST', path: '/sdk/v1/requests', authorization: `Bearer ${SDK_TOKEN}`,
      body: { localId: 'MH-0002', dataUse: 'misasa-health.onsen-spending', purpose: 'onsen-spending-display', items: ['cashless.monthly-spending'] },
    }]);
    expect(res.text).toContain('data-testid="onsen-spending-total">1,700 円');
    expect(res.text).not.toContain('9,999');
  });

  it.each(['consent_required', 'consent_withdrawn', 'items_not_consented'])('shows %s with a link to the hub portal opt-in page', async (code) => {
    sdk.refuse(403, code);
    const { agent, csrf } = await signedIn();
    const res = await agent.post('/member/onsen-spending').type('form').send({ _csrf: csrf }).expect(200);
    expect(res.text).toContain(`data-code="${code}"`);
    expect(res.text).toContain(`href="${hub.url}/portal/data-uses/misasa-health.onsen-spending"`);
    expect(res.text).toContain('Tottori ID ポータルで同意を確認する');
  });

  it('explains a resident not linked at the cashless base, without an opt-in link', async () => {
    sdk.refuse(404, 'resident_not_linked');
    const { agent, csrf } = await signedIn();
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
