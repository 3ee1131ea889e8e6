import * as oidc from 'openid-client';
import { BrowserAgent } from '@tsunagu/testing';
import { codeFlow, discover } from './support/oidc-flow';
import { PortalResident } from './support/portal-resident';
import { type AppProcess, startHub } from './support/processes';

/** ID linking (個別ID紐づけ) between a service's local account and the resident, end to end. */
describe('ID linking API (e2e)', () => {
  let hub: AppProcess;
  let cashless: oidc.Configuration;
  let misasa: oidc.Configuration;
  const cashlessCb = 'http://127.0.0.1:39101/auth/callback';
  const misasaCb = 'http://127.0.0.1:39102/auth/callback';
  let taroAgent: BrowserAgent;
  let taroToken: string;
  let hanakoToken: string;

  async function link(token: string, body: unknown) {
    const res = await fetch(`${hub.url}/api/v1/links`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  beforeAll(async () => {
    hub = await startHub('links', { KEY_ENCRYPTION_KEY: 'b'.repeat(43), DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', DEMO_MISASA_URL: 'http://127.0.0.1:39102' });
    cashless = await discover(`${hub.url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
    misasa = await discover(`${hub.url}/oidc`, 'demo-misasa-health', 'demo-misasa-health-secret');
    taroAgent = new BrowserAgent();
    taroToken = (await codeFlow(taroAgent, cashless, cashlessCb, { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' })).tokens.access_token;
    hanakoToken = (await codeFlow(new BrowserAgent(), cashless, cashlessCb, { loginId: 'misasa.hanako', password: 'tsunagu-demo-2026' })).tokens.access_token;
  });
  afterAll(() => hub?.stop());

  it('links a local ID to the resident and answers the same link idempotently', async () => {
    const first = await link(taroToken, { localId: 'C-2026-0001' });
    expect(first).toMatchObject({ status: 201, body: { serviceId: 'demo-cashless', localId: 'C-2026-0001' } });
    const again = await link(taroToken, { localId: 'C-2026-0001' });
    expect(again).toMatchObject({ status: 200, body: { localId: 'C-2026-0001', linkedAt: first.body.linkedAt } });
    const me = await fetch(`${hub.url}/api/v1/links/me`, { headers: { authorization: `Bearer ${taroToken}` } });
    expect(await me.json()).toMatchObject({ serviceId: 'demo-cashless', localId: 'C-2026-0001' });
  });

  it('refuses to link the same local ID to a second resident', async () => {
    const res = await link(hanakoToken, { localId: 'C-2026-0001' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'link_conflict' });
    expect(res.body.error.message).toContain('別の方');
  });

  it('refuses a second local ID for a resident already linked at the service', async () => {
    const res = await link(taroToken, { localId: 'C-2026-0099' });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'resident_already_linked' } } });
  });

  it('keeps links per service: the same resident links a different local ID at another service', async () => {
    const token = (await codeFlow(taroAgent, misasa, misasaCb)).tokens.access_token;
    expect((await link(token, { localId: 'MH-0001' })).status).toBe(201);
    expect((await link(token, { localId: 'C-2026-0001' })).status).toBe(409); // already linked here to MH-0001
  });

  it('rejects bad bodies with every problem listed, and unknown fields', async () => {
    const bad = await link(hanakoToken, { localId: '', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect([...new Set(bad.body.error.details.map((d: { field: string }) => d.field))].sort()).toEqual(['extra', 'localId']);
    expect((await link(hanakoToken, { localId: 'has spaces and <tags>' })).status).toBe(400);
    expect((await link(hanakoToken, [])).status).toBe(400);
  });

  it('refuses missing, unknown and revoked tokens', async () => {
    expect((await link('not-a-real-token-value', { localId: 'X-1' })).body.error.code).toBe('invalid_token');
    const res = await fetch(`${hub.url}/api/v1/links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"localId":"X-1"}' });
    expect(res.status).toBe(401);
    const { tokens } = await codeFlow(new BrowserAgent(), cashless, cashlessCb, { loginId: 'kurayoshi.jiro', password: 'tsunagu-demo-2026' });
    await oidc.tokenRevocation(cashless, tokens.access_token);
    expect(await link(tokens.access_token, { localId: 'C-2026-0003' })).toMatchObject({ status: 401, body: { error: { code: 'invalid_token' } } });
  });

  it('shows the resident their links and lets them remove one', async () => {
    const account = await taroAgent.follow(`${hub.url}/account`);
    const page = await account.res.text();
    expect(account.res.status).toBe(200);
    expect(page).toContain('C-2026-0001');
    expect(page).toContain('MH-0001');
    const action = /action="(\/account\/links\/services\/demo-cashless\/delete)"[^]*?name="csrf" value="([^"]+)"/.exec(page)!;
    const forged = await taroAgent.request(`${hub.url}${action[1]}`, { form: { csrf: 'forged' } });
    expect(forged.status).toBe(403);
    const done = await taroAgent.follow(`${hub.url}${action[1]}`, { form: { csrf: action[2] } });
    const after = await done.res.text();
    expect(after).toContain('連携を解除しました');
    expect((after.match(/data-link=/g) ?? []).length).toBe(1);
    // The freed local ID can now be linked by the resident who really owns it.
    const relink = await link(hanakoToken, { localId: 'C-2026-0001' });
    expect([201, 409]).toContain(relink.status);
  });

  /** What a service can still do with the tokens it holds for a resident. */
  async function tokensWork(config: oidc.Configuration, tokens: { access_token: string; refresh_token?: string; sub: string }) {
    const refresh = await oidc.refreshTokenGrant(config, tokens.refresh_token!).then(() => 'ok', (e: { error?: string }) => e.error);
    const introspection = (await oidc.tokenIntrospection(config, tokens.access_token)).active;
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.sub).then(() => 'ok', (e: { status?: number; cause?: { status?: number } }) => e.status ?? e.cause?.status ?? 'refused');
    const me = (await fetch(`${hub.url}/api/v1/links/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status;
    return { refresh, introspection, userinfo, me };
  }

  it('unlinking a service ends its access: its refresh token, access token and session are revoked (review finding 9)', async () => {
    const agent = new BrowserAgent();
    const jiro = { loginId: 'kurayoshi.jiro', password: 'tsunagu-demo-2026' };
    const first = await codeFlow(agent, cashless, cashlessCb, jiro);
    const sub = first.tokens.claims()!.sub;
    expect((await link(first.tokens.access_token, { localId: 'C-2026-0777' })).status).toBe(201);
    // A second pair of tokens of the same service (the resident signed in twice): both must die.
    const second = await codeFlow(agent, cashless, cashlessCb);
    const other = await codeFlow(agent, misasa, misasaCb);
    const before = await tokensWork(cashless, { ...second.tokens, sub });
    expect(before).toEqual({ refresh: 'ok', introspection: true, userinfo: 'ok', me: 200 });
    const resident = await new PortalResident(hub.url).signIn(jiro.loginId);
    const links = (await resident.api('GET', '/api/v1/portal/links')).body as { id: string; clientId: string }[];
    const cashlessLink = links.find((l) => l.clientId === 'demo-cashless')!;
    expect((await resident.api('DELETE', `/api/v1/portal/links/${cashlessLink.id}`)).status).toBe(204);
    for (const tokens of [first.tokens, second.tokens]) {
      expect(await tokensWork(cashless, { ...tokens, sub })).toEqual({ refresh: 'invalid_grant', introspection: false, userinfo: 401, me: 401 });
    }
    // The other service keeps its access.
    const misasaSub = other.tokens.claims()!.sub;
    expect(await tokensWork(misasa, { ...other.tokens, sub: misasaSub })).toMatchObject({ refresh: 'ok', introspection: true, userinfo: 'ok' });
    // The hub's session no longer vouches for the service: signing in there again asks for consent.
    expect((await codeFlow(agent, cashless, cashlessCb)).screens).toEqual(['consent']);
  });

  it('lists every service with access, linked or not, and removes one from the page, saying what removal does', async () => {
    const agent = new BrowserAgent();
    const hanako = { loginId: 'misasa.hanako', password: 'tsunagu-demo-2026' };
    const { tokens } = await codeFlow(agent, misasa, misasaCb, hanako);
    const page = await (await agent.follow(`${hub.url}/portal/links`)).res.text();
    expect(page).toContain('data-link="demo-misasa-health" data-access="allowed"');
    expect(page).toContain('アクセストークンとリフレッシュトークンはすべて使えなくなります');
    expect(page).toContain('（連携なし）');
    const action = /action="(\/portal\/links\/services\/demo-misasa-health\/delete)"[^]*?name="csrf" value="([^"]+)"/.exec(page)!;
    const done = await agent.follow(`${hub.url}${action[1]}`, { form: { csrf: action[2] } });
    expect(new URL(done.url).pathname).toBe('/portal/links');
    const after = await done.res.text();
    expect(after).toContain('ログインの許可と、サービスが持っていたトークンは取り消されました');
    expect(after).not.toContain('data-link="demo-misasa-health"');
    expect(await tokensWork(misasa, { ...tokens, sub: tokens.claims()!.sub })).toEqual({ refresh: 'invalid_grant', introspection: false, userinfo: 401, me: 401 });
  });

  it('sends a signed-out visitor of the account page to sign in', async () => {
    const res = await new BrowserAgent().request(`${hub.url}/account`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/login');
  });
});
