import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { type DiscoveryDocumentServer, startDiscoveryDocumentServer } from './discovery-document.server';

/** What differs between the two demo services in their app-level tests. */
export interface DemoAppUnderTest {
  /** Builds the app on an in-memory store, pointed at the given hub. */
  start(hubUrl: string): Promise<NestExpressApplication>;
  brand: string;
  sessionCookie: string;
  clientId: string;
  publicUrl: string;
  localId: string;
  /** The contact of its privacy notice (the data use's at the hub). */
  privacyContact: string;
}

/**
 * The app-level behaviour both demo services share (pages, headers, CSRF, the sign-in redirect),
 * as one suite each demo runs with its own settings. Call inside `describe`.
 */
export function demoAppSuite(demo: DemoAppUnderTest): void {
  let hub: DiscoveryDocumentServer;
  let app: NestExpressApplication;

  beforeAll(async () => {
    hub = await startDiscoveryDocumentServer();
    app = await demo.start(hub.hubUrl);
  });
  afterAll(async () => {
    await app?.close();
    await hub?.close();
  });

  it('renders the home page in Japanese with the Tottori ID sign-in button', async () => {
    const res = await request(app.getHttpServer()).get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<html lang="ja">');
    expect(res.text).toContain(demo.brand);
    expect(res.text).toContain('Tottori ID でログイン');
    expect(res.text).toContain('href="/auth/login"');
    expect(res.text).toContain('name="viewport" content="width=device-width, initial-scale=1"');
    expect(res.headers['set-cookie']?.toString() ?? '').not.toContain(demo.sessionCookie);
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
    const res = await request(app.getHttpServer()).post('/link').type('form').send({ localId: demo.localId, pin: '1111' }).expect(403);
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
    expect(location.searchParams.get('client_id')).toBe(demo.clientId);
    expect(location.searchParams.get('redirect_uri')).toBe(`${demo.publicUrl}/auth/callback`);
    expect(location.searchParams.get('scope')).toBe('openid profile');
    const cookie = res.headers['set-cookie']?.toString() ?? '';
    expect(cookie).toContain(`${demo.sessionCookie}=`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('refuses a callback that no sign-in started', async () => {
    const res = await request(app.getHttpServer()).get('/auth/callback?code=abc&state=xyz').expect(400);
    expect(res.text).toContain('data-code="login_failed"');
  });

  it('serves its privacy notice at /privacy (the page the hub\'s data uses link to), linked from every page', async () => {
    const home = await request(app.getHttpServer()).get('/').expect(200);
    expect(home.text).toContain('href="/privacy"');
    const res = await request(app.getHttpServer()).get('/privacy').expect(200);
    expect(res.text).toContain('<h1>プライバシーポリシー</h1>');
    expect(res.text).toContain(`data-testid="privacy-contact">${demo.privacyContact}`);
    expect(res.text).toContain(`href="${hub.hubUrl}/portal/data-uses/`);
    expect(res.text).toContain(`href="${hub.hubUrl}/portal/provisions"`);
    const en = await request(app.getHttpServer()).get('/privacy?lang=en').expect(200);
    expect(en.text).toContain('<h1>Privacy notice</h1>');
    expect(en.text).toContain('Who is responsible');
  });

  it('renders unknown pages as a 404 page', async () => {
    const res = await request(app.getHttpServer()).get('/nope').expect(404);
    expect(res.text).toContain('ページが見つかりません');
  });
}
