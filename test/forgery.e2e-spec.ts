import * as oidc from 'openid-client';
import { BrowserAgent, createTestDatabase, formAction, hiddenFields, testCardEnv, testRedis } from '@tsunagu/testing';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../apps/hub/src/backoffice/auth/admin-demo-seed';
import { AdminClient, sql } from './admin-support';
import { discover } from './support/oidc-flow';
import { PortalResident } from './support/portal-resident';
import { type AppProcess, freePort, startApp } from './support/processes';

const EVIL = 'https://evil.example';
const crossSite = { origin: EVIL, 'sec-fetch-site': 'cross-site' };
const PASSWORD = 'tsunagu-demo-2026';
const CASHLESS_CB = 'http://127.0.0.1:39101/auth/callback';

/** A sign-in screen as a browser holds it: its agent (with the interaction cookie), its form and its token. */
interface Screen { agent: BrowserAgent; url: string; page: string; csrf: string; action: (suffix: string) => string }

/**
 * Forged and cross-site form posts against the real hub process: the sign-in interaction's own
 * anti-forgery token, and the one request-origin check in front of the sign-in screens, the
 * portal and the back office. Every refusal is checked to have changed nothing.
 */
describe('Forged and cross-site form posts (e2e)', () => {
  let hub: AppProcess;
  let databaseUrl: string;
  const query = <T = Record<string, any>>(text: string, values: unknown[] = []) => sql<T>(databaseUrl, text, values); // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    const port = await freePort();
    const redis = testRedis();
    databaseUrl = await createTestDatabase('forgery');
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: databaseUrl, REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix,
      KEY_ENCRYPTION_KEY: 'f'.repeat(43), DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', DEMO_MISASA_URL: 'http://127.0.0.1:39102', ...testCardEnv(),
    }, port);
  }, 60_000);
  afterAll(() => hub?.stop());

  async function screenAt(start: string, agent = new BrowserAgent(), stopAt?: string): Promise<Screen> {
    const step = await agent.follow(start, {}, stopAt);
    const page = await step.res.text();
    const { csrf } = { ...hiddenFields(page, '/confirm'), ...hiddenFields(page, '/login') };
    return { agent, url: step.url, page, csrf, action: (suffix) => formAction(page, suffix, step.url) ?? `${step.url}${suffix}` };
  }
  /** The hub's own sign-in screen (the portal's), in a fresh browser. */
  const loginScreen = () => screenAt(`${hub.url}/account/login`);
  const signedIn = async (agent: BrowserAgent) => (await fetch(`${hub.url}/api/v1/portal/me`, { headers: { cookie: agent.cookieHeader(new URL(hub.url)) } })).status === 200;
  const failedLogins = async (loginId: string) => (await query(`SELECT failed_logins FROM residents WHERE login_id = $1`, [loginId]))[0].failed_logins as number;
  const signInEvents = async () => Number((await query(`SELECT count(*) AS n FROM audit_events WHERE type LIKE 'auth.sign_in%'`))[0].n);

  describe('the sign-in interaction', () => {
    it('refuses a login POST without the interaction\'s token with a 403 page, and nothing happens', async () => {
      const screen = await loginScreen();
      const [failedBefore, eventsBefore] = [await failedLogins('tottori.taro'), await signInEvents()];

      for (const password of [PASSWORD, 'a-wrong-password']) {
        const res = await screen.agent.request(screen.action('/login'), { form: { loginId: 'tottori.taro', password } });
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toContain('text/html');
        expect(await res.text()).toContain('このログイン画面からのものと確認できませんでした');
      }
      expect(screen.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const empty = await screen.agent.request(screen.action('/login'), { form: { csrf: '', loginId: 'tottori.taro', password: PASSWORD } });
      expect(empty.status).toBe(403);
      expect(await signedIn(screen.agent)).toBe(false);
      expect(await failedLogins('tottori.taro')).toBe(failedBefore); // the password was never checked
      expect(await signInEvents()).toBe(eventsBefore);

      // The interaction is untouched: the same screen, with its token and from its own origin, signs in.
      const again = await screen.agent.follow(screen.url);
      expect(await again.res.text()).toContain('id="loginId"');
      const done = await screen.agent.follow(screen.action('/login'), {
        form: { csrf: screen.csrf, loginId: 'tottori.taro', password: PASSWORD }, headers: { origin: hub.url, 'sec-fetch-site': 'same-origin' },
      });
      expect(new URL(done.url).pathname).toBe('/account');
      expect(await signedIn(screen.agent)).toBe(true);
    });

    it('refuses a login POST carrying another interaction\'s token', async () => {
      const [mine, theirs] = [await loginScreen(), await loginScreen()];
      const res = await mine.agent.request(mine.action('/login'), { form: { csrf: theirs.csrf, loginId: 'tottori.taro', password: PASSWORD } });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('このログイン画面からのものと確認できませんでした');
      expect(theirs.csrf).not.toBe(mine.csrf);
      expect(await signedIn(mine.agent)).toBe(false);
    });

    it('refuses the consent and cancel posts without the token, and the consent stays to be given', async () => {
      const cashless = await discover(`${hub.url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
      const url = oidc.buildAuthorizationUrl(cashless, {
        redirect_uri: CASHLESS_CB, scope: 'openid profile', state: oidc.randomState(),
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
      });
      const login = await screenAt(url.href, new BrowserAgent(), CASHLESS_CB);
      const consent = await login.agent.follow(login.action('/login'), { form: { ...hiddenFields(login.page, '/login'), loginId: 'misasa.hanako', password: PASSWORD } }, CASHLESS_CB);
      const page = await consent.res.text();
      const { csrf } = hiddenFields(page, '/confirm');

      for (const suffix of ['/confirm', '/abort']) {
        const res = await login.agent.request(formAction(page, suffix, consent.url)!, { form: {} });
        expect(res.status).toBe(403);
        expect(res.headers.get('location')).toBeNull();
      }
      // The consent prompt is a new interaction: the sign-in screen's token, valid a moment ago, is another's now.
      expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(csrf).not.toBe(login.csrf);
      for (const token of [login.csrf, csrf.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))]) {
        const forged = await login.agent.request(formAction(page, '/confirm', consent.url)!, { form: { csrf: token } });
        expect(forged.status).toBe(403);
      }
      // Still the consent screen, and with its token it goes on to the service.
      expect(await (await login.agent.follow(consent.url)).res.text()).toContain('/confirm');
      const done = await login.agent.follow(formAction(page, '/confirm', consent.url)!, { form: { csrf } }, CASHLESS_CB);
      expect(done.stoppedAt).toMatch(/^http:\/\/127\.0\.0\.1:39101\/auth\/callback\?code=/);
    });

    it('refuses a registration POST without the token, creating no resident', async () => {
      const screen = await loginScreen();
      const registerUrl = `${screen.url}/register`;
      const form = await (await screen.agent.request(registerUrl)).text();
      expect(hiddenFields(form, '/register').csrf).toBe(screen.csrf);
      const res = await screen.agent.request(formAction(form, '/register', registerUrl)!, { form: { loginId: 'forged.resident', password: 'a-long-enough-pass', displayName: '偽造' } });
      expect(res.status).toBe(403);
      expect(await query(`SELECT 1 FROM residents WHERE login_id = 'forged.resident'`)).toEqual([]);
    });

    it('refuses the login form sent from another site, even with its token: 403 cross_site_request, nothing happens', async () => {
      const screen = await loginScreen();
      const [failedBefore, eventsBefore] = [await failedLogins('tottori.taro'), await signInEvents()];
      const senders: Record<string, string>[] = [crossSite, { origin: EVIL }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null', 'sec-fetch-site': 'cross-site' }];
      for (const headers of senders) {
        for (const password of [PASSWORD, 'a-wrong-password']) {
          const res = await screen.agent.request(screen.action('/login'), { form: { csrf: screen.csrf, loginId: 'tottori.taro', password }, headers });
          expect(res.status).toBe(403);
          expect(await res.text()).toContain('他のサイトから送信された操作は受け付けられません');
        }
      }
      expect(await signedIn(screen.agent)).toBe(false);
      expect(await failedLogins('tottori.taro')).toBe(failedBefore);
      expect(await signInEvents()).toBe(eventsBefore);
    });
  });

  describe('the portal', () => {
    it('refuses a withdrawal form sent from another site, with the session\'s token, and the consent stays active', async () => {
      const taro = await (await new PortalResident(hub.url).signIn('tottori.taro')).verifyIdentity();
      const given = await taro.api('POST', '/api/v1/portal/consents', { dataUse: 'cashless.health-points', items: ['misasa-health.daily-steps'], expectedVersion: 0 });
      expect(given.status).toBe(201);
      const consentId: string = given.body.consent.consentId;
      const versions = () => query(`SELECT version, state FROM consents WHERE consent_id = $1 ORDER BY version`, [consentId]);
      const withdraw = `${hub.url}/portal/consents/${consentId}/withdraw`;

      const senders: Record<string, string>[] = [crossSite, { origin: EVIL }, { origin: 'https://shop.127.0.0.1.example', 'sec-fetch-site': 'same-site' }];
      for (const headers of senders) {
        const res = await taro.agent.request(withdraw, { form: { csrf: taro.csrf, expectedVersion: '1' }, headers });
        expect(res.status).toBe(403);
        expect(await res.text()).toContain('他のサイトから送信された操作は受け付けられません');
      }
      const api = await taro.api('POST', `/api/v1/portal/consents/${consentId}/withdraw`, {}, { ...crossSite, accept: 'application/json' });
      expect(api).toMatchObject({ status: 403, body: { error: { code: 'cross_site_request' } } });
      expect(await versions()).toEqual([{ version: 1, state: 'active' }]);

      // From the portal's own page it is withdrawn.
      const own = await taro.agent.request(withdraw, { form: { csrf: taro.csrf, expectedVersion: '1' }, headers: { origin: hub.url, 'sec-fetch-site': 'same-origin' } });
      expect(own.status).toBe(303);
      expect(await versions()).toEqual([{ version: 1, state: 'active' }, { version: 2, state: 'withdrawn' }]);
    });
  });

  describe('the back office', () => {
    it('refuses an admin form sent from another site, with the session\'s token, and the settings stay as they were', async () => {
      const admin = new AdminClient(hub.url, 'system-admin', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
      expect((await admin.signIn()).status).toBe(303);
      const form = { connectorOfflineMinutes: '15', revocationSyncWarnSeconds: '45', revocationAckOverdueSeconds: '90', dashboardDays: '14', maintenanceNoticeDays: '7', supportContactJa: '偽の窓口', supportContactEn: 'Forged desk' };
      const settings = () => query(`SELECT key, value FROM platform_settings ORDER BY key`);
      const before = await settings();
      const res = await admin.post('/system/settings', form, crossSite);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('他のサイトから送信された操作は受け付けられません');
      const json = await admin.agent.request(`${hub.url}/system/settings`, { body: JSON.stringify(form), headers: { ...crossSite, accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': admin.csrf } });
      expect(json.status).toBe(403);
      expect((await json.json()).error.code).toBe('cross_site_request');
      expect(await settings()).toEqual(before);
      expect(await query(`SELECT 1 FROM audit_events WHERE type = 'admin.change' AND subject = 'platform_settings'`)).toEqual([]);
    });

    it('refuses the admin sign-in form sent from another site, opening no session', async () => {
      const admin = new AdminClient(hub.url, 'admin-misasa', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
      const res = await admin.signIn({ headers: { origin: EVIL } });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('他のサイトから送信された操作は受け付けられません');
      expect(await query(`SELECT 1 FROM admin_sessions s JOIN admin_accounts a ON a.id = s.admin_id WHERE a.login_id = 'admin-misasa'`)).toEqual([]);
    });
  });

  it('leaves the machine endpoints to their own credentials, whatever Origin a caller sends', async () => {
    const token = await fetch(`${hub.url}/oidc/token`, { method: 'POST', headers: { ...crossSite, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=x&client_id=demo-cashless' });
    expect((await token.json()).error).toMatch(/^invalid_/);
    const links = await fetch(`${hub.url}/api/v1/links`, { method: 'POST', headers: { ...crossSite, 'content-type': 'application/json', authorization: 'Bearer abcdefghijkl' }, body: '{}' });
    expect(links.status).not.toBe(403);
    expect((await links.json()).error.code).not.toBe('cross_site_request');
    const connect = await fetch(`${hub.url}/connect/v1/grants`, { method: 'POST', headers: { ...crossSite, 'content-type': 'application/json' }, body: '{}' });
    expect((await connect.json()).error.code).not.toBe('cross_site_request');
  });
});
