import { BrowserAgent, createTestDatabase, formAction, hiddenFields, testRedis } from '@tsunagu/testing';
import * as oidc from 'openid-client';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../apps/hub/src/backoffice/auth/admin-demo-seed';
import { AdminClient } from './admin-support';
import { discover } from './support/oidc-flow';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * Throttling instead of lockout (docs/security.md "Throttling and enumeration"), against a real
 * hub on PostgreSQL and Redis with small limits. The hub trusts X-Forwarded-For here (TRUST_PROXY,
 * ADMIN_TRUSTED_PROXIES), so each test plays its own client addresses.
 */
describe('Throttling of sign-in, registration and the token endpoint (e2e)', () => {
  let hub: AppProcess;
  let cashless: oidc.Configuration;
  const CASHLESS = 'http://127.0.0.1:39111';
  const cashlessCb = `${CASHLESS}/auth/callback`;
  const BLOCK_SECONDS = 2;
  let addresses = 0;
  /** A client address no other test used. */
  const address = () => `198.51.100.${++addresses}`;

  beforeAll(async () => {
    const port = await freePort();
    const redis = testRedis();
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: await createTestDatabase('throttle'), REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix,
      KEY_ENCRYPTION_KEY: 'e'.repeat(43), DEMO_CASHLESS_URL: CASHLESS, TRUST_PROXY: 'true', ADMIN_TRUSTED_PROXIES: '127.0.0.1/32', ADMIN_SYSTEM_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
      THROTTLE_ID_ATTEMPTS: '3', THROTTLE_ID_WINDOW_SECONDS: '60', THROTTLE_ID_BLOCK_SECONDS: String(BLOCK_SECONDS),
      THROTTLE_ID_ATTEMPTS_ANY_ADDRESS: '20', THROTTLE_ADDRESS_SIGN_INS_PER_MINUTE: '6', THROTTLE_ADDRESS_REGISTRATIONS_PER_HOUR: '3',
      THROTTLE_TOKEN_PER_CLIENT_PER_MINUTE: '4', THROTTLE_TOKEN_PER_ADDRESS_PER_MINUTE: '50',
    }, port);
    cashless = await discover(`${hub.url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
  }, 90_000);
  afterAll(async () => {
    await hub?.stop();
  });

  /** A fresh sign-in screen of the code flow: its form action and interaction uid. */
  async function signInForm(agent: BrowserAgent): Promise<{ action: string; uid: string; csrf: string }> {
    const url = oidc.buildAuthorizationUrl(cashless, { redirect_uri: cashlessCb, scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
    const start = await agent.follow(url.href);
    const page = await start.res.text();
    const action = formAction(page, '/login', start.url)!;
    return { action, uid: new URL(start.url).pathname.split('/').filter(Boolean).at(-1)!, csrf: hiddenFields(page, '/login').csrf };
  }

  interface Answer { status: number; retryAfter: string | null; page: string; ms: number }

  /** One resident sign-in from `from`, the page with what differs per interaction masked. */
  async function residentSignIn(agent: BrowserAgent, form: { action: string; uid: string; csrf: string }, loginId: string, password: string, from: string): Promise<Answer> {
    const started = performance.now();
    const res = await agent.request(form.action, { form: { csrf: form.csrf, loginId, password }, headers: { 'x-forwarded-for': from } });
    const text = await res.text();
    const ms = performance.now() - started;
    const page = text.replaceAll(form.uid, 'UID').replaceAll(loginId, 'LOGIN_ID').replace(/value="[A-Za-z0-9_-]{16,}"/g, 'value="TOKEN"');
    return { status: res.status, retryAfter: res.headers.get('retry-after'), page, ms };
  }

  it('answers a wrong password for an existing ID exactly as for an unknown one, also once throttled', async () => {
    const series = async (loginId: string) => {
      const agent = new BrowserAgent();
      const form = await signInForm(agent);
      const from = address();
      const answers: Answer[] = [];
      for (let i = 0; i < 6; i++) answers.push(await residentSignIn(agent, form, loginId, 'wrong-password-123', from));
      return answers;
    };
    const existing = await series('kurayoshi.jiro');
    const unknown = await series('nobody.lives.here');

    for (const answers of [existing, unknown]) {
      expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 429, 429, 429]);
      expect(answers.slice(0, 3).map((a) => a.retryAfter)).toEqual([null, null, null]);
      for (const a of answers.slice(3)) expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(answers[3].page).toContain('too_many_attempts');
    }
    expect(unknown.map((a) => a.page)).toEqual(existing.map((a) => a.page));
    expect(unknown.map((a) => a.retryAfter)).toEqual(existing.map((a) => a.retryAfter));
  });

  it('answers throttled sign-ins without a password hash check: far faster than a checked one', async () => {
    const agent = new BrowserAgent();
    const form = await signInForm(agent);
    const from = address();
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i++) answers.push(await residentSignIn(agent, form, 'nobody.timed', 'wrong-password-123', from));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 429, 429, 429]);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const checked = median(answers.slice(0, 3).map((a) => a.ms));
    const throttled = median(answers.slice(3).map((a) => a.ms));
    // argon2id at 19 MiB, t=2 costs tens of milliseconds; a refused attempt is a few Redis round trips.
    expect(throttled).toBeLessThan(checked / 2);
  });

  it('limits one address across different login IDs', async () => {
    const agent = new BrowserAgent();
    const form = await signInForm(agent);
    const from = address();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await residentSignIn(agent, form, `spray.${i}`, 'wrong-password-123', from)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
    // Another address is not affected, nor is the same ID from elsewhere.
    expect((await residentSignIn(agent, form, 'spray.0', 'wrong-password-123', address())).status).toBe(401);
  });

  it('does not let failures at one address lock the resident out at another', async () => {
    const attacker = new BrowserAgent();
    const attackerForm = await signInForm(attacker);
    const from = address();
    for (let i = 0; i < 4; i++) await residentSignIn(attacker, attackerForm, 'misasa.hanako', 'wrong-password-123', from);
    const resident = new BrowserAgent();
    const res = await residentSignIn(resident, await signInForm(resident), 'misasa.hanako', 'tsunagu-demo-2026', address());
    expect(res.status).toBe(303);
  });

  it('lets the resident sign in again after the block', async () => {
    const agent = new BrowserAgent();
    const form = await signInForm(agent);
    const from = address();
    for (let i = 0; i < 3; i++) expect((await residentSignIn(agent, form, 'kurayoshi.jiro', 'wrong-password-123', from)).status).toBe(401);
    const blocked = await residentSignIn(agent, form, 'kurayoshi.jiro', 'tsunagu-demo-2026', from);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeLessThanOrEqual(BLOCK_SECONDS);

    await new Promise((resolve) => setTimeout(resolve, Number(blocked.retryAfter) * 1000 + 200));
    expect((await residentSignIn(agent, form, 'kurayoshi.jiro', 'tsunagu-demo-2026', from)).status).toBe(303);
  });

  it('starts the count again after a successful sign-in', async () => {
    const from = address();
    const first = new BrowserAgent();
    const firstForm = await signInForm(first);
    for (let i = 0; i < 2; i++) expect((await residentSignIn(first, firstForm, 'tottori.taro', 'wrong-password-123', from)).status).toBe(401);
    expect((await residentSignIn(first, firstForm, 'tottori.taro', 'tsunagu-demo-2026', from)).status).toBe(303);

    const again = new BrowserAgent();
    const againForm = await signInForm(again);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await residentSignIn(again, againForm, 'tottori.taro', 'wrong-password-123', from)).status);
    expect(statuses).toEqual([401, 401, 401]);
  });

  it('registers with one answer for every refusal, and limits registrations per address', async () => {
    const agent = new BrowserAgent();
    const { uid } = await signInForm(agent);
    const registerUrl = `${hub.url}/interaction/${uid}/register`;
    const registerPage = await (await agent.request(registerUrl)).text();
    const action = formAction(registerPage, '/register', registerUrl)!;
    const { csrf } = hiddenFields(registerPage, '/register');
    const from = address();
    const register = (loginId: string) => agent.request(action, { form: { csrf, loginId, password: 'a-long-enough-pass', displayName: '新規' }, headers: { 'x-forwarded-for': from } });

    const taken = await register('tottori.taro');
    expect(taken.status).toBe(400);
    const text = await taken.text();
    expect(text).toContain('別のID');
    expect(text).not.toMatch(/既に使われて|already taken/);
    await (await register('tottori.taro')).text();
    await (await register('misasa.hanako')).text();
    const throttled = await register('someone.new');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await throttled.text()).toContain('too_many_attempts');
  });

  it('answers admin sign-ins for existing and unknown IDs alike, also once throttled', async () => {
    const series = async (loginId: string) => {
      const admin = new AdminClient(hub.url, loginId, 'wrong-password-123', DEMO_ADMIN_TOTP_SECRET);
      // The admin screens answer only allowed networks: the system admins' is all of loopback here.
      const headers = { 'x-forwarded-for': `127.0.9.${++addresses}` };
      const answers: { status: number; code: string | undefined; retryAfter: boolean }[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await admin.signIn({ headers, code: '000000' });
        answers.push({ status: res.status, code: /data-error-code="([a-z_]+)"/.exec(await res.text())?.[1], retryAfter: res.headers.has('retry-after') });
      }
      return answers;
    };
    const existing = await series('admin-tottori-city');
    const unknown = await series('nobody-admin');
    expect(existing.map((a) => a.status)).toEqual([401, 401, 401, 429, 429, 429]);
    expect(existing[3]).toEqual({ status: 429, code: 'too_many_attempts', retryAfter: true });
    expect(unknown).toEqual(existing);
    // The real admin, from its own network, is not locked out by those failures.
    expect((await new AdminClient(hub.url, 'admin-tottori-city', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET).signIn()).status).toBe(303);
  });

  it('throttles the token endpoint per client, with Retry-After', async () => {
    const token = (clientId: string, secret: string) => fetch(`${hub.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'x-forwarded-for': '192.0.2.10' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'not-a-code', redirect_uri: cashlessCb, code_verifier: 'v'.repeat(43) }),
    });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await token('demo-cashless', 'demo-cashless-secret')).status);
    expect(statuses).toEqual([400, 400, 400, 400]);
    const throttled = await token('demo-cashless', 'demo-cashless-secret');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await throttled.json()).toMatchObject({ error: 'too_many_attempts' });
    // Another client from the same address is counted on its own.
    expect((await token('demo-misasa-health', 'demo-misasa-health-secret')).status).toBe(400);
    // The client ID in a form body (client_secret_post) is the same client.
    const posted = await fetch(`${hub.url}/oidc/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'not-a-code', client_id: 'demo-cashless', client_secret: 'demo-cashless-secret' }),
    });
    expect(posted.status).toBe(429);
  });
});
