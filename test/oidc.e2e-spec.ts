import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { BrowserAgent, createTestDatabase, formAction, hiddenFields, testRedis } from '@tsunagu/testing';
import { authorize, codeFlow, discover } from './support/oidc-flow';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * The hub's OpenID Provider end to end: a real hub process on real PostgreSQL and Redis, driven
 * with openid-client as the relying party.
 */
describe('OpenID Connect provider (e2e)', () => {
  let hub: AppProcess;
  let issuer: string;
  let cashless: oidc.Configuration;
  let misasa: oidc.Configuration;
  /** The hub's Redis (its key prefix): where oidc-provider keeps codes, read here to age one. */
  let store: Redis;
  let storePrefix = '';
  const CASHLESS = 'http://127.0.0.1:39101';
  const MISASA = 'http://127.0.0.1:39102';
  const cashlessCb = `${CASHLESS}/auth/callback`;
  const misasaCb = `${MISASA}/auth/callback`;
  const taro = { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' };
  const hanako = { loginId: 'misasa.hanako', password: 'tsunagu-demo-2026' };

  beforeAll(async () => {
    const port = await freePort();
    const redis = testRedis();
    store = new Redis(redis.url);
    storePrefix = redis.prefix;
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: await createTestDatabase('oidc'), REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix,
      KEY_ENCRYPTION_KEY: 'a'.repeat(43), DEMO_CASHLESS_URL: CASHLESS, DEMO_MISASA_URL: MISASA,
      OIDC_CODE_TTL_SECONDS: '4', THROTTLE_ID_ATTEMPTS: '3', THROTTLE_ID_BLOCK_SECONDS: '60',
      // Every test signs in from 127.0.0.1: the per-address limit is test/throttle.e2e-spec.ts's subject.
      THROTTLE_ADDRESS_SIGN_INS_PER_MINUTE: '1000', THROTTLE_ADDRESS_REGISTRATIONS_PER_HOUR: '1000',
    }, port);
    issuer = `${hub.url}/oidc`;
    cashless = await discover(issuer, 'demo-cashless', 'demo-cashless-secret');
    misasa = await discover(issuer, 'demo-misasa-health', 'demo-misasa-health-secret');
  });
  afterAll(async () => {
    await hub?.stop();
    await store?.quit();
  });

  it('publishes discovery and ES256 keys in JWKS', async () => {
    const meta = cashless.serverMetadata();
    expect(meta.issuer).toBe(issuer);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.subject_types_supported).toEqual(expect.arrayContaining(['pairwise']));
    for (const endpoint of ['introspection_endpoint', 'revocation_endpoint', 'end_session_endpoint', 'userinfo_endpoint'] as const) {
      expect(meta[endpoint]).toMatch(/^http:\/\/127\.0\.0\.1/);
    }
    const jwks = await (await fetch(meta.jwks_uri!)).json();
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(key.d).toBeUndefined();
    }
  });

  it('signs a resident in with the code flow and issues ID tokens that verify against JWKS', async () => {
    const agent = new BrowserAgent();
    const { tokens, screens } = await codeFlow(agent, cashless, cashlessCb, taro);
    expect(screens).toEqual(['login', 'consent']);
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('ES256');
    const { payload } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(cashless.serverMetadata().jwks_uri!)), { issuer, audience: 'demo-cashless' });
    expect(payload.acr).toBe('urn:tsunagu:loa:password');
    expect(payload.amr).toEqual(['pwd']);
    expect(tokens.refresh_token).toBeDefined();
    const info = await oidc.fetchUserInfo(cashless, tokens.access_token, payload.sub!);
    expect(info.name).toBe('鳥取 太郎');
    expect(JSON.stringify(info)).not.toMatch(/\d{16}/); // the common ID never leaves the hub
  });

  it('gives two services different subjects and one service the same subject each time, with SSO', async () => {
    const agent = new BrowserAgent();
    const first = await codeFlow(agent, cashless, cashlessCb, hanako);
    const again = await codeFlow(agent, cashless, cashlessCb);
    expect(again.screens).toEqual([]); // signed in and consented: straight back with a code
    const other = await codeFlow(agent, misasa, misasaCb);
    expect(other.screens).toEqual(['consent']); // SSO: no password typed again
    const subCashless = first.tokens.claims()!.sub;
    expect(again.tokens.claims()!.sub).toBe(subCashless);
    expect(other.tokens.claims()!.sub).not.toBe(subCashless);
    // A fresh browser signing in again still gets the same pairwise subject.
    const later = await codeFlow(new BrowserAgent(), cashless, cashlessCb, hanako);
    expect(later.tokens.claims()!.sub).toBe(subCashless);
  });

  it('refreshes tokens, introspects them and revokes them', async () => {
    const { tokens } = await codeFlow(new BrowserAgent(), cashless, cashlessCb, taro);
    const refreshed = await oidc.refreshTokenGrant(cashless, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    const active = await oidc.tokenIntrospection(cashless, refreshed.access_token);
    expect(active).toMatchObject({ active: true, client_id: 'demo-cashless' });
    // Another service may not introspect this service's token.
    expect((await oidc.tokenIntrospection(misasa, refreshed.access_token)).active).toBe(false);
    await oidc.tokenRevocation(cashless, refreshed.access_token);
    expect((await oidc.tokenIntrospection(cashless, refreshed.access_token)).active).toBe(false);
    await oidc.tokenRevocation(cashless, refreshed.refresh_token!);
    await expect(oidc.refreshTokenGrant(cashless, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  describe('bad requests get the standard OAuth errors', () => {
    async function tokenRequest(body: Record<string, string>, auth = 'demo-cashless:demo-cashless-secret') {
      const res = await fetch(cashless.serverMetadata().token_endpoint!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
        body: new URLSearchParams(body),
      });
      return { status: res.status, body: await res.json() };
    }

    it('refuses an unregistered redirect_uri without redirecting to it', async () => {
      const url = oidc.buildAuthorizationUrl(cashless, { redirect_uri: 'http://127.0.0.1:39101/evil', scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('redirect_uri');
    });

    it('refuses an unknown client', async () => {
      const res = await fetch(`${issuer}/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(cashlessCb)}`, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('invalid_client');
      const token = await tokenRequest({ grant_type: 'authorization_code', code: 'x', redirect_uri: cashlessCb }, 'nobody:secret');
      expect(token).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    });

    it('refuses an authorization request without PKCE', async () => {
      const res = await fetch(`${issuer}/auth?client_id=demo-cashless&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(cashlessCb)}`, { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
    });

    it('refuses a wrong PKCE verifier, a reused code and an expired code', async () => {
      const agent = new BrowserAgent();
      await codeFlow(agent, cashless, cashlessCb, taro); // sign in and consent once
      const wrong = await authorize(agent, cashless, cashlessCb);
      const code = new URL(wrong.callbackUrl).searchParams.get('code')!;
      const bad = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: cashlessCb, code_verifier: oidc.randomPKCECodeVerifier() });
      expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

      const ok = await authorize(agent, cashless, cashlessCb);
      const okCode = new URL(ok.callbackUrl).searchParams.get('code')!;
      const first = await tokenRequest({ grant_type: 'authorization_code', code: okCode, redirect_uri: cashlessCb, code_verifier: ok.verifier });
      expect(first.status).toBe(200);
      const reused = await tokenRequest({ grant_type: 'authorization_code', code: okCode, redirect_uri: cashlessCb, code_verifier: ok.verifier });
      expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
      // Reuse of a code revokes what it issued (RFC 6749 §4.1.2).
      expect((await oidc.tokenIntrospection(cashless, first.body.access_token)).active).toBe(false);

      // An expired code, without waiting for it: the hub gives codes OIDC_CODE_TTL_SECONDS (4 s here) both
      // in their claims and as their Redis expiry; the stored code is then moved 5 s into its past, as
      // it would be 5 s later (oidc-provider takes its time from Date.now(): nothing else can move it).
      const late = await authorize(agent, cashless, cashlessCb);
      const lateCode = new URL(late.callbackUrl).searchParams.get('code')!;
      const key = `${storePrefix}oidc:AuthorizationCode:${lateCode}`;
      const stored = JSON.parse((await store.get(key))!) as { iat: number; exp: number };
      expect(stored.exp - stored.iat).toBe(4);
      const ttl = await store.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(4_000);
      await store.set(key, JSON.stringify({ ...stored, iat: stored.iat - 5, exp: stored.exp - 5 }), 'KEEPTTL');
      const expired = await tokenRequest({ grant_type: 'authorization_code', code: lateCode, redirect_uri: cashlessCb, code_verifier: late.verifier });
      expect(expired).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    });

    it('refuses a code issued to another client', async () => {
      const agent = new BrowserAgent();
      const result = await authorize(agent, misasa, misasaCb, taro);
      const code = new URL(result.callbackUrl).searchParams.get('code')!;
      const stolen = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: misasaCb, code_verifier: result.verifier });
      expect(stolen).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    });
  });

  it('throttles repeated failed sign-ins, the right password included, with Retry-After', async () => {
    const agent = new BrowserAgent();
    const url = oidc.buildAuthorizationUrl(cashless, { redirect_uri: cashlessCb, scope: 'openid', code_challenge: 'y'.repeat(43), code_challenge_method: 'S256' });
    const start = await agent.follow(url.href);
    const page = await start.res.text();
    const action = formAction(page, '/login', start.url)!;
    const { csrf } = hiddenFields(page, '/login');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await agent.request(action, { form: { csrf, loginId: 'kurayoshi.jiro', password: 'wrong-password-123' } });
      statuses.push(res.status);
      await res.text();
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const throttled = await agent.request(action, { form: { csrf, loginId: 'kurayoshi.jiro', password: 'tsunagu-demo-2026' } });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await throttled.text()).toContain('試行回数が多すぎます');
  });

  it('registers a resident with a common ID whose check digit validates, in Japanese by default', async () => {
    const agent = new BrowserAgent();
    const url = oidc.buildAuthorizationUrl(cashless, { redirect_uri: cashlessCb, scope: 'openid', code_challenge: 'z'.repeat(43), code_challenge_method: 'S256' });
    const start = await agent.follow(url.href);
    const loginPage = await start.res.text();
    expect(loginPage).toContain('lang="ja"');
    expect(loginPage).toContain('Tottori ID でログイン');
    const registerUrl = start.url + '/register';
    const form = await agent.request(registerUrl);
    const formPage = await form.text();
    const action = formAction(formPage, '/register', registerUrl)!;
    const { csrf } = hiddenFields(formPage, '/register');
    const weak = await agent.request(action, { form: { csrf, loginId: 'new.resident', password: 'short', displayName: '新規 住民' } });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('10文字以上');
    const taken = await agent.request(action, { form: { csrf, loginId: 'tottori.taro', password: 'a-long-enough-pass', displayName: '重複' } });
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain('別のIDを指定してください');
    const done = await agent.follow(action, { form: { csrf, loginId: 'new.resident', password: 'a-long-enough-pass', displayName: '新規 住民' } }, cashlessCb);
    expect(done.stoppedAt ?? (await done.res.text())).toBeDefined();
    // The new resident is signed in: the portal shows the common ID.
    const account = await agent.follow(`${hub.url}/account`, {}, undefined);
    const html = await account.res.text();
    const id = /data-testid="common-id">([\d-]+)</.exec(html)?.[1];
    expect(id).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}$/);
  });

  it('answers malformed bodies with a typed JSON error, not a crash', async () => {
    const res = await fetch(`${hub.url}/api/v1/links`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer abcdefghijkl' }, body: '{"localId":' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_request');
  });

  it('answers with response_mode=form_post whose one inline script the CSP allows by hash', async () => {
    const agent = new BrowserAgent();
    await codeFlow(agent, cashless, cashlessCb, taro); // signed in and consented: the next answer is the form
    const url = oidc.buildAuthorizationUrl(cashless, {
      redirect_uri: cashlessCb, scope: 'openid', response_mode: 'form_post',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    });
    const { res } = await agent.follow(url.href, {}, cashlessCb);
    const page = await res.text();
    expect(page).toContain(`action="${cashlessCb}"`);
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1];
    const digest = createHash('sha256').update(script).digest('base64');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp.split(';').find((d) => d.startsWith('script-src '))).toBe(`script-src 'self' 'sha256-${digest}'`);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('signs out everywhere with RP-initiated logout', async () => {
    const agent = new BrowserAgent();
    const { tokens } = await codeFlow(agent, cashless, cashlessCb, taro);
    const end = oidc.buildEndSessionUrl(cashless, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${CASHLESS}/` });
    const confirm = await agent.follow(end.href);
    const page = await confirm.res.text();
    // The confirmation page cannot be framed (a framed "sign out" button is a clickjacking target).
    expect(confirm.res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(confirm.res.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    expect(confirm.res.headers.get('x-frame-options')).toBe('DENY');
    const action = /<form[^>]*action="([^"]+)"/.exec(page)![1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)![1];
    const out = await agent.follow(new URL(action, confirm.url).href, { form: { xsrf, logout: 'yes' } }, `${CASHLESS}/`);
    expect(out.stoppedAt).toBe(`${CASHLESS}/`);
    const next = await authorize(agent, misasa, misasaCb, taro);
    expect(next.screens[0]).toBe('login');
  });
});

describe('Sign-in screens (e2e)', () => {
  let hub: AppProcess;
  beforeAll(async () => {
    const port = await freePort();
    hub = await startApp('apps/hub/src/main.js', { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: await createTestDatabase('screens'), KEY_ENCRYPTION_KEY: 'd'.repeat(43) }, port);
  });
  afterAll(() => hub?.stop());

  it('answers an unknown or expired interaction with a page that says what to do', async () => {
    const res = await fetch(`${hub.url}/interaction/does-not-exist`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('有効期限');
    const en = await fetch(`${hub.url}/interaction/does-not-exist?lang=en`);
    expect(await en.text()).toContain('has expired');
  });

  it('refuses a forged sign-in POST that lacks the interaction cookie', async () => {
    const res = await fetch(`${hub.url}/interaction/abc/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'loginId=tottori.taro&password=tsunagu-demo-2026' });
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie().join(';')).not.toContain('_session=');
  });
});
