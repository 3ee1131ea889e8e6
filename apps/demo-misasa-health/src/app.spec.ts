import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { startDiscoveryDocumentServer, type DiscoveryDocumentServer } from '../../../libs/demo-kit/src/testing';
import { createApp } from './app';
import { loadMisasaConfig } from './misasa.config';
import { MisasaHealthModule } from './misasa.module';

describe(MisasaHealthModule.name, () => {
  let hub: DiscoveryDocumentServer;
  let app: NestExpressApplication;

  beforeAll(async () => {
    hub = await startDiscoveryDocumentServer();
    app = await createApp(loadMisasaConfig({
      DEMO_STORE: 'memory', DEMO_MISASA_PORT: '0', HUB_URL: hub.hubUrl, DEMO_MISASA_PUBLIC_URL: 'http://localhost:3102',
    }));
  });
  afterAll(async () => {
    await app?.close();
    await hub?.close();
  });

  it('renders the home page in Japanese with the Tottori ID sign-in button', async () => {
    const res = await request(app.getHttpServer()).get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<html lang="ja">');
    expect(res.text).toContain('三朝温泉ヘルスケア（デモ）');
    expect(res.text).toContain('Tottori ID でログイン');
    expect(res.text).toContain('href="/auth/login"');
    expect(res.text).toContain('name="viewport" content="width=device-width, initial-scale=1"');
    expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('demo-misasa-health.sid');
  });

  it('renders the home page in English with ?lang=en and remembers the choice', async () => {
    const res = await request(app.getHttpServer()).get('/?lang=en').expect(200);
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('Sign in with Tottori ID');
    expect(res.text).toContain('href="/auth/login?lang=en"');
    expect(res.headers['set-cookie']?.toString()).toContain('lang=en');
    const again = await request(app.getHttpServer()).get('/').set('cookie', 'lang=en').expect(200);
    expect(again.text).toContain('Sign in with Tottori ID');
  });

  it('sends security headers and no-store on pages', async () => {
    const res = await request(app.getHttpServer()).get('/').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain(`form-action 'self' ${hub.hubUrl}`);
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-correlation-id']).toBeTruthy();
  });

  it('answers /health', async () => {
    await request(app.getHttpServer()).get('/health').expect(200, { status: 'ok' });
  });

  it('sends anonymous visitors of the member and link pages to the home page', async () => {
    await request(app.getHttpServer()).get('/member').expect(303).expect('location', '/');
    await request(app.getHttpServer()).get('/link?lang=en').expect(303).expect('location', '/?lang=en');
  });

  it('refuses a form posted without the session CSRF token', async () => {
    const res = await request(app.getHttpServer()).post('/link').type('form').send({ localId: 'MH-0001', pin: '1111' }).expect(403);
    expect(res.text).toContain('data-code="csrf_invalid"');
    await request(app.getHttpServer()).post('/auth/logout').set('accept', 'application/json').send({}).expect(403)
      .expect((r) => expect(r.body.error.code).toBe('csrf_invalid'));
  });

  it('refuses a form posted with another token than the session one', async () => {
    const agent = request.agent(app.getHttpServer());
    await agent.get('/auth/login').expect(303);
    await agent.post('/auth/logout').type('form').send({ _csrf: 'forged' }).expect(403);
  });

  it('redirects /auth/login to the hub authorization endpoint with PKCE S256, state and nonce', async () => {
    const res = await request(app.getHttpServer()).get('/auth/login').expect(303);
    const location = new URL(res.headers.location);
    expect(`${location.origin}${location.pathname}`).toBe(`${hub.issuer}/auth`);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')).toBeTruthy();
    expect(location.searchParams.get('nonce')).toBeTruthy();
    expect(location.searchParams.get('client_id')).toBe('demo-misasa-health');
    expect(location.searchParams.get('redirect_uri')).toBe('http://localhost:3102/auth/callback');
    expect(location.searchParams.get('scope')).toBe('openid profile');
    const cookie = res.headers['set-cookie']?.toString() ?? '';
    expect(cookie).toContain('demo-misasa-health.sid=');
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('refuses a callback that no sign-in started', async () => {
    const res = await request(app.getHttpServer()).get('/auth/callback?code=abc&state=xyz').expect(400);
    expect(res.text).toContain('data-code="login_failed"');
  });

  it('renders unknown pages as a 404 page', async () => {
    const res = await request(app.getHttpServer()).get('/nope').expect(404);
    expect(res.text).toContain('ページが見つかりません');
  });
});
