import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { FakeHub, csrfFrom, signInThroughHub } from '@tsunagu/demo-kit/testing';
import { createApp } from './app';
import { loadCashlessConfig } from './cashless.config';
import { MemberController } from './members/member.controller';

const PUBLIC_URL = 'http://localhost:3101';

describe(`${MemberController.name} sign-in flow`, () => {
  let hub: FakeHub;
  let app: NestExpressApplication;

  beforeAll(async () => {
    hub = await FakeHub.start([{ clientId: 'demo-cashless', clientSecret: 'demo-cashless-secret' }]);
    app = await createApp(loadCashlessConfig({ DEMO_STORE: 'memory', DEMO_CASHLESS_PORT: '0', HUB_URL: hub.url, DEMO_CASHLESS_PUBLIC_URL: PUBLIC_URL }));
  });
  afterAll(async () => {
    await app?.close();
    await hub?.close();
  });
  beforeEach(() => {
    hub.links.clear();
    hub.refuseWith = undefined;
    hub.resident = { id: 'resident-taro', name: '鳥取 太郎', acr: 'urn:tsunagu:loa:password', amr: ['pwd', 'otp'] };
  });

  it('asks a first-time resident to link, then shows the member page with points and payments', async () => {
    const agent = request.agent(app.getHttpServer());
    const callback = await signInThroughHub(agent);
    expect(callback.status).toBe(303);
    expect(callback.headers.location).toBe('/link');

    const linkPage = await agent.get('/link').expect(200);
    expect(linkPage.text).toContain('鳥取 太郎 さん');
    expect(linkPage.text).toContain('会員番号');
    const linked = await agent.post('/link').type('form')
      .send({ _csrf: csrfFrom(linkPage.text), localId: 'C-2026-0001', pin: '1111' }).expect(303);
    expect(linked.headers.location).toBe('/member?linked=1');
    expect([...hub.links.values()]).toEqual([expect.objectContaining({ localId: 'C-2026-0001' })]);

    const member = await agent.get('/member?linked=1').expect(200);
    expect(member.text).toContain('連携が完了しました');
    expect(member.text).toContain('C-2026-0001');
    expect(member.text).toContain('鳥取 太郎');
    expect(member.text).toContain('1,250');
    expect(member.text).toContain('三朝温泉 株湯');
    // How the resident signed in, in words; the codes only inside 「詳細」 for support.
    const card = member.text.slice(member.text.indexOf('id="tottori-id"'));
    expect(card).toContain('data-testid="assurance-level">パスワードでログイン（本人確認なし）');
    expect(card).toContain('data-testid="sign-in-methods">パスワード、その他の方法');
    const details = card.slice(card.indexOf('<details'), card.indexOf('</details>'));
    expect(details).toContain('urn:tsunagu:loa:password');
    expect(details).toContain('pwd, otp');
    expect(card.replace(details, '')).not.toMatch(/urn:tsunagu|pwd/);
  });

  it('signs a linked resident straight in to the member page next time', async () => {
    hub.links.set(`demo-cashless ${hub.pairwiseSub('demo-cashless', 'resident-taro')}`, { localId: 'C-2026-0001', linkedAt: new Date().toISOString() });
    const agent = request.agent(app.getHttpServer());
    const callback = await signInThroughHub(agent);
    expect(callback.headers.location).toBe('/member');
    const member = await agent.get('/member?lang=en').expect(200);
    expect(member.text).toContain('Points balance');
    expect(member.text).toContain('Recent payments');
  });

  it('refuses the link form sent from another site, with the session token: 403 cross_site_request, nothing linked', async () => {
    const agent = request.agent(app.getHttpServer());
    await signInThroughHub(agent);
    const csrf = csrfFrom((await agent.get('/link').expect(200)).text);
    const form = { _csrf: csrf, localId: 'C-2026-0001', pin: '1111' };
    const page = await agent.post('/link').type('form').set('origin', 'https://evil.example').set('sec-fetch-site', 'cross-site').send(form).expect(403);
    expect(page.text).toContain('data-code="cross_site_request"');
    expect(page.text).toContain('他のサイトから送信された操作は受け付けられません');
    await agent.post('/link').type('form').set('origin', 'http://127.0.0.1:3101').send(form).expect(403);
    expect(hub.links.size).toBe(0);
    await agent.get('/member').expect(303).expect('location', '/link');
    // From its own public origin the same form links.
    await agent.post('/link').type('form').set('origin', PUBLIC_URL).set('sec-fetch-site', 'same-origin').send(form).expect(303);
    expect(hub.links.size).toBe(1);
  });

  it('shows a wrong PIN on the page with 400 and links nothing', async () => {
    const agent = request.agent(app.getHttpServer());
    await signInThroughHub(agent);
    const linkPage = await agent.get('/link').expect(200);
    const res = await agent.post('/link').type('form').send({ _csrf: csrfFrom(linkPage.text), localId: 'C-2026-0002', pin: '1234' }).expect(400);
    expect(res.text).toContain('PIN が違います');
    expect(res.text).toContain('value="C-2026-0002"');
    expect(hub.links.size).toBe(0);
    await agent.get('/member').expect(303).expect('location', '/link');
  });

  it('shows garbage and missing fields as errors with 400', async () => {
    const agent = request.agent(app.getHttpServer());
    await signInThroughHub(agent);
    const csrf = csrfFrom((await agent.get('/link?lang=en').expect(200)).text);
    const res = await agent.post('/link?lang=en').type('form').send({ _csrf: csrf, localId: '<script>', pin: '' }).expect(400);
    expect(res.text).toContain('not in the right format');
    expect(res.text).toContain('Enter your PIN.');
    expect(res.text).not.toContain('<script>');
  });

  it('shows the hub refusal when the member number is linked to someone else', async () => {
    hub.links.set('demo-cashless someone-else', { localId: 'C-2026-0003', linkedAt: new Date().toISOString() });
    const agent = request.agent(app.getHttpServer());
    await signInThroughHub(agent);
    const linkPage = await agent.get('/link').expect(200);
    const res = await agent.post('/link').type('form').send({ _csrf: csrfFrom(linkPage.text), localId: 'C-2026-0003', pin: '3333' }).expect(409);
    expect(res.text).toContain('data-code="link_conflict"');
    expect(res.text).toContain('この番号は別の Tottori ID と連携済みです。');
    expect(res.text).toContain('This account is already linked to another Tottori ID.');
  });

  it('logs out at the hub with the ID token hint and the post-logout redirect', async () => {
    const agent = request.agent(app.getHttpServer());
    await signInThroughHub(agent);
    const home = await agent.get('/').expect(200);
    const res = await agent.post('/auth/logout').type('form').send({ _csrf: csrfFrom(home.text) }).expect(303);
    const location = new URL(res.headers.location);
    expect(`${location.origin}${location.pathname}`).toBe(`${hub.issuer}/session/end`);
    expect(location.searchParams.get('id_token_hint')?.split('.')).toHaveLength(3);
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC_URL}/`);
    await agent.get('/link').expect(303).expect('location', '/');
  });

  it('answers 「許可しない」 at the hub with a normal page: signed out, nothing shared, a way to try again', async () => {
    hub.refuseWith = 'access_denied';
    const agent = request.agent(app.getHttpServer());
    const res = await signInThroughHub(agent);
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-testid="sign-in-declined"');
    expect(res.text).toContain('あなたの情報は何も提供されていません');
    expect(res.text).toContain('href="/auth/login"');
    expect(res.text).not.toContain('class="alert"');
    expect(res.text).not.toContain('処理できませんでした');
    // Signed out: the member and link pages send the visitor to the start page, which offers the sign-in.
    await agent.get('/member').expect(303).expect('location', '/');
    await agent.get('/link').expect(303).expect('location', '/');
    expect((await agent.get('/').expect(200)).text).toContain('Tottori ID でログイン');
  });

  it('still shows another refusal of the hub as an error offering to sign in again', async () => {
    hub.refuseWith = 'login_required';
    const res = await signInThroughHub(request.agent(app.getHttpServer()));
    expect(res.status).toBe(401);
    expect(res.text).toContain('data-code="login_cancelled"');
    expect(res.text).toContain('もう一度ログイン');
  });
});
