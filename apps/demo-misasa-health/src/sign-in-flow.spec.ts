import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { FakeHub, csrfFrom, signInThroughHub } from '@tsunagu/demo-kit/testing';
import { ActivityController } from './activity/activity.controller';
import { createApp } from './app';
import { loadMisasaConfig } from './misasa.config';

const PUBLIC_URL = 'http://localhost:3102';

describe(`${ActivityController.name} sign-in flow`, () => {
  let hub: FakeHub;
  let app: NestExpressApplication;

  beforeAll(async () => {
    hub = await FakeHub.start([{ clientId: 'demo-misasa-health', clientSecret: 'demo-misasa-health-secret' }]);
    app = await createApp(loadMisasaConfig({ DEMO_STORE: 'memory', DEMO_MISASA_PORT: '0', HUB_URL: hub.url, DEMO_MISASA_PUBLIC_URL: PUBLIC_URL }));
  });
  afterAll(async () => {
    await app?.close();
    await hub?.close();
  });
  beforeEach(() => {
    hub.links.clear();
    hub.resident = { id: 'resident-hanako', name: '三朝 花子', acr: 'urn:tsunagu:loa:3', amr: ['hwk'] };
  });

  it('links a first-time resident with user ID and PIN, then shows steps and onsen visits', async () => {
    const agent = request.agent(app.getHttpServer());
    const callback = await signInThroughHub(agent);
    expect(callback.headers.location).toBe('/link');
    const linkPage = await agent.get('/link').expect(200);
    expect(linkPage.text).toContain('ユーザー ID');
    await agent.post('/link').type('form').send({ _csrf: csrfFrom(linkPage.text), localId: 'mh-0002', pin: '2222' })
      .expect(303).expect('location', '/member?linked=1');
    expect([...hub.links.values()]).toEqual([expect.objectContaining({ localId: 'MH-0002' })]);

    const member = await agent.get('/member').expect(200);
    expect(member.text).toContain('MH-0002');
    expect(member.text).toContain('三朝 花子');
    expect(member.text).toContain('最近 14 日間の歩数');
    expect(member.text.match(/<div class="bar"/g)).toHaveLength(14);
    expect(member.text).toContain('三朝温泉 たまわりの湯');
  });

  it('renders the member page in English', async () => {
    hub.links.set(`demo-misasa-health ${hub.pairwiseSub('demo-misasa-health', 'resident-hanako')}`, { localId: 'MH-0002', linkedAt: new Date().toISOString() });
    const agent = request.agent(app.getHttpServer());
    await signInThroughHub(agent, '/auth/login?lang=en');
    const member = await agent.get('/member?lang=en').expect(200);
    expect(member.text).toContain('Steps, last 14 days');
    expect(member.text).toContain('Onsen visits');
  });

  it('refuses an unknown user ID with 404 on the page', async () => {
    const agent = request.agent(app.getHttpServer());
    await signInThroughHub(agent);
    const linkPage = await agent.get('/link').expect(200);
    const res = await agent.post('/link').type('form').send({ _csrf: csrfFrom(linkPage.text), localId: 'MH-0999', pin: '1111' }).expect(404);
    expect(res.text).toContain('ユーザー ID MH-0999 は登録されていません');
    expect(hub.links.size).toBe(0);
  });
});
