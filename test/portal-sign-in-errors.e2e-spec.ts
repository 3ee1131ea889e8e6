import { freePort } from '@tsunagu/common';
import { BrowserAgent, createTestDatabase, formAction, hiddenFields } from '@tsunagu/testing';
import { type RunningHub, startHub } from '../apps/hub/src/hub.app';

/** Every way the portal's sign-in callback can fail ends on a page that explains it and offers sign-in again. */
describe('portal sign-in callback errors (e2e, in process)', () => {
  let hub: RunningHub;

  beforeAll(async () => {
    const port = await freePort();
    // Without Redis: bull's blocking clients, cut off when a hub closes seconds after it started,
    // can leave an unhandled "Connection is closed" in the test's own process.
    hub = await startHub({
      NODE_ENV: 'test', LOG_LEVEL: 'error', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: await createTestDatabase('sign-in-errors'), KEY_ENCRYPTION_KEY: 'f'.repeat(43),
    });
  });
  // A hub closed a second after it started may still be starting its background work on Redis.
  afterAll(() => hub?.close().catch((error: Error) => { if (!/Connection is closed/.test(error.message)) throw error; }));

  /** A sign-in started at the portal: the agent holds the one-time cookie, `state` is its state. */
  async function started(): Promise<{ agent: BrowserAgent; state: string; cookie: string; login: string; csrf: string }> {
    const agent = new BrowserAgent();
    const start = await agent.follow(`${hub.url}/account/login`);
    const page = await start.res.text();
    const login = formAction(page, '/login', start.url)!;
    const cookie = agent.cookie(hub.url, 'portal_auth')!;
    return { agent, state: JSON.parse(decodeURIComponent(cookie)).state, cookie, login, csrf: hiddenFields(page, '/login').csrf };
  }

  async function expectRetryPage(res: Response, words: string): Promise<void> {
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('html');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.getSetCookie().join()).toMatch(/portal_auth=;/);
    const page = await res.text();
    expect(page).toContain(words);
    expect(page).toContain('href="/account/login"');
    expect(page).toContain('もう一度ログインする');
  }

  const issuer = () => encodeURIComponent(`${hub.config.PUBLIC_URL}/oidc`);

  it('explains a cancelled sign-in (access_denied from the hub)', async () => {
    const { agent } = await started();
    const page = await agent.follow(`${hub.url}/account/login`);
    const html = await page.res.text();
    const abort = formAction(html, '/abort', page.url)!;
    const done = await agent.follow(abort, { form: hiddenFields(html, '/abort') });
    expect(new URL(done.url).pathname).toBe('/account/callback');
    await expectRetryPage(done.res, 'ログインを取りやめました');
  });

  it('explains login_required, a bad code, a missing code and a wrong state', async () => {
    for (const query of [
      (state: string) => `error=login_required&state=${state}&iss=${issuer()}`,
      (state: string) => `code=not-a-real-code&state=${state}&iss=${issuer()}`,
      (state: string) => `state=${state}&iss=${issuer()}`,
      () => `code=not-a-real-code&state=wrong-state&iss=${issuer()}`,
    ]) {
      const { agent, state } = await started();
      const res = await agent.request(`${hub.url}/account/callback?${query(state)}`);
      await expectRetryPage(res, 'ログインを完了できませんでした');
    }
  });

  it('explains a replayed code', async () => {
    const { agent, cookie, login, csrf } = await started();
    const signedIn = await agent.follow(login, { form: { csrf, loginId: 'tottori.taro', password: 'tsunagu-demo-2026' } }, `${hub.url}/account/callback`);
    const callback = signedIn.stoppedAt!;
    expect((await agent.follow(callback)).url).toBe(`${hub.url}/account`);
    const replay = await fetch(callback, { redirect: 'manual', headers: { cookie: `portal_auth=${cookie}` } });
    await expectRetryPage(replay, 'ログインを完了できませんでした');
  });

  it('explains in English when the resident reads English', async () => {
    const { agent, state } = await started();
    const res = await agent.request(`${hub.url}/account/callback?error=access_denied&state=${state}&iss=${issuer()}&lang=en`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('You cancelled the sign-in');
  });
});
