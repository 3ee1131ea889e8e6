import * as oidc from 'openid-client';
import { BrowserAgent } from '@tsunagu/testing';
import { codeFlow, discover } from './support/oidc-flow';
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
    const action = /action="(\/account\/links\/[0-9a-f-]+\/delete)"[^]*?name="csrf" value="([^"]+)"/.exec(page)!;
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

  it('sends a signed-out visitor of the account page to sign in', async () => {
    const res = await new BrowserAgent().request(`${hub.url}/account`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/login');
  });
});
