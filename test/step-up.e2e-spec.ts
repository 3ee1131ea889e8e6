import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { BrowserAgent, createTestDatabase, formAction, hiddenFields, pollUntil } from '@tsunagu/testing';
import { discover } from './support/oidc-flow';
import { type AppProcess, freePort, startApp } from './support/processes';

const JPKI = 'urn:tsunagu:loa:jpki';
const PASSWORD = 'urn:tsunagu:loa:password';

/**
 * Step-up (security review finding 10): a service asking for the card-verified level
 * (`acr_values` or an essential `acr` claim) for a resident who is not verified gets the
 * `identity_verification` prompt, the development test card verifies, and the flow comes back
 * with `acr=urn:tsunagu:loa:jpki`; declining is an OAuth error at the service's redirect URI.
 */
describe('Step-up to card verification (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-stepup-'));
  const callback = 'http://127.0.0.1:39101/auth/callback';
  let hub: AppProcess;
  let cashless: oidc.Configuration;

  beforeAll(async () => {
    const port = await freePort();
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: await createTestDatabase('stepup'), KEY_ENCRYPTION_KEY: 'e'.repeat(43),
      DATA_DIR: join(dir, 'hub'), JPKI_TEST_CARD: 'true', DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', THROTTLE_JPKI_PER_MINUTE: '1000',
    }, port);
    cashless = await discover(`${hub.url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
  }, 90_000);
  afterAll(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  interface Walk { agent: BrowserAgent; verifier: string; state: string; screens: string[]; page?: string; url: string; callbackUrl?: string }

  /** Goes through sign-in and consent screens until the service's callback or another screen (the step-up). */
  async function walk(w: Walk, first: Awaited<ReturnType<BrowserAgent['follow']>>, loginId: string): Promise<Walk> {
    let step = first;
    while (!step.stoppedAt) {
      const page = await step.res.text();
      const login = formAction(page, '/login', step.url);
      const confirm = formAction(page, '/confirm', step.url);
      if (login) {
        w.screens.push('login');
        step = await w.agent.follow(login, { form: { ...hiddenFields(page, '/login'), loginId, password: 'tsunagu-demo-2026' } }, callback);
      } else if (confirm) {
        w.screens.push('consent');
        step = await w.agent.follow(confirm, { form: hiddenFields(page, '/confirm') }, callback);
      } else {
        return { ...w, page, url: step.url, callbackUrl: undefined };
      }
    }
    return { ...w, page: undefined, url: step.url, callbackUrl: step.stoppedAt };
  }

  async function start(loginId: string, extra: Record<string, string>, agent = new BrowserAgent()): Promise<Walk> {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(cashless, {
      redirect_uri: callback, scope: 'openid profile', state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
    });
    return walk({ agent, verifier, state, screens: [], url: url.href }, await agent.follow(url.href, {}, callback), loginId);
  }

  async function redeem(w: Walk) {
    expect(w.callbackUrl).toBeDefined();
    return oidc.authorizationCodeGrant(cashless, new URL(w.callbackUrl!), { pkceCodeVerifier: w.verifier, expectedState: w.state });
  }

  /** The step-up screen's form whose action ends with `suffix`, posted as the browser would. */
  async function press(w: Walk, suffix: string, loginId: string): Promise<Walk> {
    const action = formAction(w.page!, suffix, w.url);
    expect(action).toBeDefined();
    return walk(w, await w.agent.follow(action!, { form: hiddenFields(w.page!, suffix) }, callback), loginId);
  }

  function expectStepUpScreen(w: Walk): void {
    expect(w.callbackUrl).toBeUndefined();
    expect(new URL(w.url).pathname).toMatch(/^\/interaction\/[A-Za-z0-9_-]+$/);
    expect(w.page).toContain('マイナンバーカードによる本人確認');
    expect(w.page).toContain('id="verify-identity"');
    expect(formAction(w.page!, '/abort', w.url)).toBeDefined();
  }

  it('asks an unverified resident for the card, and after the test card the ID token says acr=jpki', async () => {
    const w = await start('tottori.taro', { acr_values: JPKI });
    // Before the fix: a code at once, with acr=password.
    expectStepUpScreen(w);
    expect(w.screens).toEqual(['login']);
    const interactionPath = new URL(w.url).pathname;

    // The way to the verification carries the return into this interaction, and only that.
    const href = /id="verify-identity" href="([^"]+)"/.exec(w.page!)![1].replace(/&amp;/g, '&');
    const verify = await w.agent.follow(new URL(href, w.url).href);
    const verifyPage = await verify.res.text();
    expect(new URL(verify.url).pathname).toBe('/account/verify');
    expect(hiddenFields(verifyPage, '/account/verify/test-card')).toMatchObject({ return: interactionPath });

    const testCard = formAction(verifyPage, '/account/verify/test-card', verify.url)!;
    const back = await w.agent.follow(testCard, { form: hiddenFields(verifyPage, '/account/verify/test-card') }, callback);
    const done = await walk(w, back, 'tottori.taro');
    expect(done.screens).toEqual(['login', 'consent']);
    const tokens = await redeem(done);
    expect(tokens.claims()).toMatchObject({ acr: JPKI, amr: expect.arrayContaining(['pwd', 'sc', 'hwk']) });
  });

  it('lets a verified resident straight through with acr=jpki, no extra screen', async () => {
    // A new browser: sign-in and this browser's consent, and no step-up screen in between.
    const w = await start('tottori.taro', { acr_values: JPKI });
    expect(w.screens).toEqual(['login', 'consent']);
    expect((await redeem(w)).claims()).toMatchObject({ acr: JPKI, amr: ['pwd'] });
    // The same single sign-on session, now with an essential acr: no screen at all.
    const essential = await start('tottori.taro', { claims: JSON.stringify({ id_token: { acr: { essential: true, values: [JPKI] } } }) }, w.agent);
    expect(essential.screens).toEqual([]);
    expect((await redeem(essential)).claims()!.acr).toBe(JPKI);
  });

  it('answers a cancelled step-up with access_denied at the redirect URI', async () => {
    const w = await start('kurayoshi.jiro', { acr_values: JPKI });
    expectStepUpScreen(w);
    const cancelled = await press(w, '/abort', 'kurayoshi.jiro');
    const url = new URL(cancelled.callbackUrl!);
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('state')).toBe(w.state);
    expect(url.searchParams.get('code')).toBeNull();

    // Still signed in at the password level: without screens (prompt=none) the step-up cannot happen.
    const silent = await start('kurayoshi.jiro', { acr_values: JPKI, prompt: 'none' }, w.agent);
    expect(new URL(silent.callbackUrl!).searchParams.get('error')).toBe('interaction_required');
  });

  it('answers a cancelled essential acr with unmet_authentication_requirements, and offers no way round it', async () => {
    const w = await start('misasa.hanako', { claims: JSON.stringify({ id_token: { acr: { essential: true, values: [JPKI] } } }) });
    expectStepUpScreen(w);
    expect(formAction(w.page!, '/continue-unverified', w.url)).toBeUndefined();
    // Posting the voluntary way out anyway is a cancellation, not a way round.
    const forced = await w.agent.follow(new URL(`${new URL(w.url).pathname}/continue-unverified`, w.url).href, { form: hiddenFields(w.page!, '/abort') }, callback);
    const url = new URL(forced.stoppedAt!);
    expect(url.searchParams.get('error')).toBe('unmet_authentication_requirements');
    expect(url.searchParams.get('code')).toBeNull();
  });

  it('answers a voluntary acr_values the resident chose not to meet with the session\'s level (OIDC Core §5.5.1.1)', async () => {
    const w = await start('kurayoshi.jiro', { acr_values: JPKI });
    expectStepUpScreen(w);
    // Like every form of the screens, only with the interaction's own anti-forgery token.
    const forged = await w.agent.request(formAction(w.page!, '/continue-unverified', w.url)!, { form: {} });
    expect(forged.status).toBe(403);
    const continued = await press(w, '/continue-unverified', 'kurayoshi.jiro');
    expect((await redeem(continued)).claims()!.acr).toBe(PASSWORD);
  });

  it('fails an essential acr the hub never issues with unmet_authentication_requirements', async () => {
    const w = await start('kurayoshi.jiro', { claims: JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:example:loa:4'] } } }) });
    expect(new URL(w.callbackUrl!).searchParams.get('error')).toBe('unmet_authentication_requirements');
  });

  it('shows on the consent screen a claim asked for by name (the claims parameter is on for the essential acr)', async () => {
    const agent = new BrowserAgent();
    const url = oidc.buildAuthorizationUrl(cashless, {
      redirect_uri: callback, scope: 'openid', state: oidc.randomState(), claims: JSON.stringify({ id_token: { name: null } }),
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    });
    const first = await agent.follow(url.href, {}, callback);
    const loginPage = await first.res.text();
    const consent = await agent.follow(formAction(loginPage, '/login', first.url)!, { form: { ...hiddenFields(loginPage, '/login'), loginId: 'misasa.hanako', password: 'tsunagu-demo-2026' } }, callback);
    const page = await consent.res.text();
    expect(formAction(page, '/confirm', consent.url)).toBeDefined();
    expect(page).toContain('お名前（表示名）');
  });

  it('takes only the hub\'s own interaction screen as the place to return to after verifying', async () => {
    const w = await start('kurayoshi.jiro', { acr_values: JPKI });
    for (const bad of ['https://evil.example/interaction/x', '//evil.example/interaction/x', '/interaction/x/../../admin', '/account/verify']) {
      const page = await w.agent.follow(`${hub.url}/account/verify?return=${encodeURIComponent(bad)}`);
      const text = await page.res.text();
      expect(hiddenFields(text, '/account/verify/test-card').return).toBeUndefined();
      expect(text).not.toContain('evil.example');
    }
  });

  it('finishes the step-up without a screen for a resident who verified in the portal after signing in', async () => {
    const plain = await start('kurayoshi.jiro', {});
    expect((await redeem(plain)).claims()!.acr).toBe(PASSWORD);
    const verify = await plain.agent.follow(`${hub.url}/account/verify`);
    const verifyPage = await verify.res.text();
    const done = await plain.agent.follow(formAction(verifyPage, '/account/verify/test-card', verify.url)!, { form: hiddenFields(verifyPage, '/account/verify/test-card') });
    expect(new URL(done.url).search).toBe('?done=1');
    // "Used in this sign-in" compares whole seconds: start the next sign-in in a later second than the verification.
    const verifiedSecond = Math.floor(Date.now() / 1000);
    await pollUntil(() => Math.floor(Date.now() / 1000), (second) => second > verifiedSecond, 2_000, 20);
    // The single sign-on session still says password: the step-up prompt is raised and finishes at once.
    const stepped = await start('kurayoshi.jiro', { acr_values: JPKI }, plain.agent);
    expect(stepped.screens).toEqual([]);
    // The card was not used in this sign-in: amr stays the password's.
    expect((await redeem(stepped)).claims()).toMatchObject({ acr: JPKI, amr: ['pwd'] });
  });
});
