import * as oidc from 'openid-client';
import { BrowserAgent, formAction, hiddenFields } from '@tsunagu/testing';
import { authorize, discover } from './support/oidc-flow';
import { type HubWithDemos, startHubWithDemos } from './support/processes';

/**
 * Back-channel logout with the real demo processes: a resident signed in at both demo services
 * signs out at the hub, and both demos end their sessions; removing one service in the portal
 * signs the resident out there and kills its tokens, while the other service keeps working.
 */
describe('Back-channel logout to the demo services (e2e)', () => {
  let platform: HubWithDemos;
  let hubUrl: string;
  let cashlessUrl: string;
  let misasaUrl: string;

  beforeAll(async () => {
    platform = await startHubWithDemos('bclogout');
    ({ hubUrl, cashlessUrl, misasaUrl } = platform);
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  });

  /** Signs in at a demo with Tottori ID (password only when asked, consent, member number link) and lands on its member page. */
  async function signInAtDemo(agent: BrowserAgent, demoUrl: string, loginId: string, localId: string, pin: string): Promise<void> {
    let step = await agent.follow(`${demoUrl}/auth/login`);
    for (let i = 0; i < 6 && new URL(step.url).pathname !== '/member'; i++) {
      const page = await step.res.text();
      const login = formAction(page, '/login', step.url);
      const confirm = formAction(page, '/confirm', step.url);
      if (login) step = await agent.follow(login, { form: { ...hiddenFields(page, '/login'), loginId, password: 'tsunagu-demo-2026' } });
      else if (confirm) step = await agent.follow(confirm, { form: hiddenFields(page, '/confirm') });
      else if (new URL(step.url).pathname === '/link') step = await agent.follow(`${demoUrl}/link`, { form: { ...hiddenFields(page, '/link'), localId, pin } });
      else throw new Error(`Unexpected page ${step.res.status} at ${step.url}: ${page.slice(0, 300)}`);
    }
    expect(new URL(step.url).pathname).toBe('/member');
  }

  /** Whether the demo still has the browser signed in: its member page answers, or sends it to the home page to sign in. */
  async function memberPage(agent: BrowserAgent, demoUrl: string): Promise<'signed in' | 'signed out'> {
    const res = await agent.request(`${demoUrl}/member`);
    if (res.status === 200) return 'signed in';
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/(\?lang=\w+)?$/);
    return 'signed out';
  }

  async function signInAtPortal(agent: BrowserAgent): Promise<void> {
    const done = await agent.follow(`${hubUrl}/account/login`);
    expect(new URL(done.url).pathname).toBe('/account');
  }

  /** Tokens of a service for the resident of `agent`'s hub session (the same grant the demo holds). */
  async function tokensOf(agent: BrowserAgent, clientId: string, demoUrl: string) {
    const config = await discover(`${hubUrl}/oidc`, clientId, `${clientId}-secret`);
    const flow = await authorize(agent, config, `${demoUrl}/auth/callback`);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(flow.callbackUrl), { pkceCodeVerifier: flow.verifier, expectedState: flow.state });
    return { config, tokens };
  }

  it('signing out at the hub signs the resident out of both demo services', async () => {
    const agent = new BrowserAgent();
    await signInAtDemo(agent, cashlessUrl, 'tottori.taro', 'C-2026-0001', '1111');
    await signInAtDemo(agent, misasaUrl, 'tottori.taro', 'MH-0001', '1111');
    expect([await memberPage(agent, cashlessUrl), await memberPage(agent, misasaUrl)]).toEqual(['signed in', 'signed in']);

    await signInAtPortal(agent);
    const question = await agent.follow(`${hubUrl}/account/logout`);
    const page = await question.res.text();
    expect(page).toContain('ログアウトの通知に対応したサービスからも、あわせてログアウトします');
    const confirm = formAction(page, '/session/end/confirm', question.url)!;
    const done = await agent.follow(confirm, { form: { ...hiddenFields(page, '/session/end/confirm'), logout: 'yes' } });
    expect(new URL(done.url).pathname).toBe('/account/signed-out');
    expect(await done.res.text()).toContain('ログアウトの通知に対応したサービスからもログアウトしました');

    expect([await memberPage(agent, cashlessUrl), await memberPage(agent, misasaUrl)]).toEqual(['signed out', 'signed out']);
  });

  it('removing a service in the portal signs the resident out there and kills its tokens; the other service keeps working', async () => {
    const agent = new BrowserAgent();
    await signInAtDemo(agent, cashlessUrl, 'misasa.hanako', 'C-2026-0002', '2222');
    await signInAtDemo(agent, misasaUrl, 'misasa.hanako', 'MH-0002', '2222');
    const cashless = await tokensOf(agent, 'demo-cashless', cashlessUrl);
    const misasa = await tokensOf(agent, 'demo-misasa-health', misasaUrl);
    expect((await oidc.tokenIntrospection(cashless.config, cashless.tokens.access_token)).active).toBe(true);

    await signInAtPortal(agent);
    const page = await (await agent.follow(`${hubUrl}/portal/links`)).res.text();
    const action = /action="(\/portal\/links\/services\/demo-cashless\/delete)"[^]*?name="csrf" value="([^"]+)"/.exec(page)!;
    const done = await agent.follow(`${hubUrl}${action[1]}`, { form: { csrf: action[2] } });
    expect(await done.res.text()).toContain('連携を解除しました');

    expect(await memberPage(agent, cashlessUrl)).toBe('signed out');
    expect(await memberPage(agent, misasaUrl)).toBe('signed in');
    expect((await oidc.tokenIntrospection(cashless.config, cashless.tokens.access_token)).active).toBe(false);
    await expect(oidc.refreshTokenGrant(cashless.config, cashless.tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(misasa.config, misasa.tokens.access_token)).active).toBe(true);
    expect((await oidc.refreshTokenGrant(misasa.config, misasa.tokens.refresh_token!)).access_token).toBeTruthy();
    // The hub's session is still there: the portal and the other service stay signed in.
    expect((await agent.request(`${hubUrl}/account`)).status).toBe(200);
  });

  it('signing out at one demo service signs the resident out of the other by back-channel logout', async () => {
    const agent = new BrowserAgent();
    await signInAtDemo(agent, cashlessUrl, 'kurayoshi.jiro', 'C-2026-0003', '3333');
    await signInAtDemo(agent, misasaUrl, 'kurayoshi.jiro', 'MH-0003', '3333');
    const member = await (await agent.follow(`${cashlessUrl}/member`)).res.text();
    const question = await agent.follow(formAction(member, '/auth/logout', `${cashlessUrl}/member`)!, { form: hiddenFields(member, '/auth/logout') });
    const page = await question.res.text();
    const confirm = formAction(page, '/session/end/confirm', question.url)!;
    await agent.follow(confirm, { form: { ...hiddenFields(page, '/session/end/confirm'), logout: 'yes' } });
    expect([await memberPage(agent, cashlessUrl), await memberPage(agent, misasaUrl)]).toEqual(['signed out', 'signed out']);
  });
});
