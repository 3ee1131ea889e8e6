import * as oidc from 'openid-client';
import { BrowserAgent, formAction, hiddenFields } from '@tsunagu/testing';
import { authorize, discover } from './support/oidc-flow';
import { type HubWithDemos, startHubWithDemos } from './support/processes';
import { linkIn, SmtpSink } from './support/smtp-sink';

const PASSWORD = 'tsunagu-demo-2026';

/** A browser on one device: every request carries its User-Agent (redirects included). */
class DeviceAgent extends BrowserAgent {
  constructor(private readonly userAgent: string) {
    super();
  }
  override request(url: string, init: Parameters<BrowserAgent['request']>[1] = {}): Promise<Response> {
    return super.request(url, { ...init, headers: { 'user-agent': this.userAgent, ...init.headers } });
  }
}
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/**
 * Password reset (by a verified e-mail address, through a real SMTP server, and by the My Number
 * test card) and the portal's sessions page, against the built hub with both demo services.
 */
describe('Password reset and sessions (e2e)', () => {
  let platform: HubWithDemos;
  let hub: string;
  const smtp = new SmtpSink();

  beforeAll(async () => {
    await smtp.start();
    platform = await startHubWithDemos('recovery', {
      SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), MAIL_FROM: 'Tsunagu <no-reply@tsunagu.test>', JPKI_TEST_CARD: 'true',
      THROTTLE_RECOVERY_PER_ADDRESS_PER_HOUR: '1000', THROTTLE_RECOVERY_PER_ID_PER_HOUR: '1000',
    });
    hub = platform.hubUrl;
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
    await smtp.stop();
  });

  async function signIn(agent: BrowserAgent, loginId: string, password = PASSWORD): Promise<{ status: number; path: string; page: string }> {
    const start = await agent.follow(`${hub}/account/login`);
    const page = await start.res.text();
    const login = formAction(page, '/login', start.url);
    if (!login) return { status: start.res.status, path: new URL(start.url).pathname, page };
    const done = await agent.follow(login, { form: { ...hiddenFields(page, '/login'), loginId, password } });
    return { status: done.res.status, path: new URL(done.url).pathname, page: await done.res.text() };
  }

  async function csrfOf(agent: BrowserAgent, path: string): Promise<string> {
    const page = await (await agent.follow(`${hub}${path}`)).res.text();
    return /name="csrf" value="([^"]+)"/.exec(page)![1];
  }

  /** Whether the agent's hub session still signs it in to the portal. */
  async function signedIn(agent: BrowserAgent): Promise<boolean> {
    const res = await agent.request(`${hub}/account`);
    await res.arrayBuffer();
    return res.status === 200;
  }

  async function addVerifiedEmail(agent: BrowserAgent, address: string): Promise<string> {
    const before = smtp.mails.length;
    const added = await agent.follow(`${hub}/account/email`, { form: { csrf: await csrfOf(agent, '/account/email'), email: address } });
    expect(await added.res.text()).toContain('確認のメールを送りました');
    return linkIn(await smtp.next(address, before), hub);
  }

  const postToken = (agent: BrowserAgent, token: string) => agent.request(`${hub}/account/email/verify`, { form: { token } });
  const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

  it('lists the sessions with device and address in words, marks this one, and ends one or all after a confirmation', async () => {
    const phone = new DeviceAgent(IPHONE);
    const pc = new DeviceAgent(WINDOWS);
    await signIn(phone, 'kurayoshi.jiro');
    await signIn(pc, 'kurayoshi.jiro');
    const list = await (await phone.follow(`${hub}/account/sessions`)).res.text();
    expect(list).toContain('iPhone の Safari');
    expect(list).toContain('Windows パソコン の Chrome');
    expect(list).toContain('127.0.0.1');
    const cards = [...list.matchAll(/data-uid="([^"]+)" data-current="(true|false)"/g)].map((m) => ({ uid: m[1], current: m[2] === 'true' }));
    expect(cards.filter((c) => c.current)).toHaveLength(1);
    expect(list.indexOf('data-current="true"')).toBeLessThan(list.indexOf('Windows パソコン'));
    const pcSession = cards.find((c) => !c.current)!;

    // Another resident cannot end it.
    const stranger = new BrowserAgent();
    await signIn(stranger, 'tottori.taro');
    const refused = await stranger.request(`${hub}/account/sessions/${pcSession.uid}/end`, { form: { csrf: await csrfOf(stranger, '/account/email') } });
    expect(refused.status).toBe(404);
    expect(await signedIn(pc)).toBe(true);

    const confirm = await (await phone.follow(`${hub}/account/sessions/${pcSession.uid}/end`)).res.text();
    expect(confirm).toContain('ログアウトの確認');
    expect(confirm).toContain('Windows パソコン の Chrome');
    const ended = await phone.follow(`${hub}/account/sessions/${pcSession.uid}/end`, { form: { csrf: /name="csrf" value="([^"]+)"/.exec(confirm)![1] } });
    expect(await ended.res.text()).toContain('端末をログアウトさせました');
    expect([await signedIn(phone), await signedIn(pc)]).toEqual([true, false]);

    const all = await (await phone.follow(`${hub}/account/sessions/end-all`)).res.text();
    expect(all).toContain('この端末を含むすべての端末からログアウトします');
    const out = await phone.follow(`${hub}/account/sessions/end-all`, { form: { csrf: /name="csrf" value="([^"]+)"/.exec(all)![1] } });
    expect(new URL(out.url).pathname).toBe('/account/signed-out');
    expect(await signedIn(phone)).toBe(false);
  });

  it('adds an e-mail address by a link that works once, and says so when reused', async () => {
    const agent = new BrowserAgent();
    expect((await signIn(agent, 'kurayoshi.jiro')).path).toBe('/account');
    const link = await addVerifiedEmail(agent, 'jiro@example.jp');
    expect(link).toMatch(new RegExp(`^${hub}/account/email/verify\\?token=[A-Za-z0-9_-]{43}$`));
    // Opening the link changes nothing (a mail scanner may open it); the button does.
    const landing = await (await new BrowserAgent().follow(link)).res.text();
    expect(landing).toContain('確認する');
    const stranger = new BrowserAgent();
    const first = await postToken(stranger, tokenOf(link));
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('メールアドレスを登録しました');
    const again = await postToken(stranger, tokenOf(link));
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('このリンクはすでに使われています');
    const malformed = await postToken(stranger, 'not-a-token');
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('このリンク、またはログインIDが正しくありません');
    const settings = await (await agent.follow(`${hub}/account/email`)).res.text();
    expect(settings).toContain('jiro@example.jp');
    expect(settings).toContain('確認済み');
  });

  it('resets by e-mail: one answer for every request, a link bound to its resident and used once, and every session and grant ends', async () => {
    // Device A adds the address; device B is signed in at the portal and at the cashless demo (tokens with a refresh token).
    const a = new BrowserAgent();
    await signIn(a, 'tottori.taro');
    await postToken(new BrowserAgent(), tokenOf(await addVerifiedEmail(a, 'taro@example.jp')));
    const b = new BrowserAgent();
    await signIn(b, 'tottori.taro');
    const config = await discover(`${hub}/oidc`, 'demo-cashless', 'demo-cashless-secret');
    const flow = await authorize(b, config, `${platform.cashlessUrl}/auth/callback`);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(flow.callbackUrl), { pkceCodeVerifier: flow.verifier, expectedState: flow.state });
    expect(tokens.refresh_token).toBeTruthy();

    // The same page whether the pair matches or not; a mail only for the pair that matches.
    const ask = async (loginId: string, email: string) => {
      const started = performance.now();
      const res = await new BrowserAgent().request(`${hub}/account/recovery/email`, { form: { loginId, email } });
      const page = await res.text();
      return { status: res.status, page: page.replace(/name="csrf" value="[^"]*"/g, ''), ms: performance.now() - started };
    };
    const before = smtp.mails.length;
    const answers = { match: [] as number[], none: [] as number[] };
    let matchPage = '';
    let nonePage = '';
    for (let i = 0; i < 5; i++) {
      const unknown = await ask(`nobody.${i}`, 'taro@example.jp');
      const wrongAddress = await ask('tottori.taro', `someone.${i}@example.jp`);
      const match = await ask('TOTTORI.taro', 'Taro@Example.jp');
      expect([unknown.status, wrongAddress.status, match.status]).toEqual([200, 200, 200]);
      expect(unknown.page).toBe(match.page);
      expect(wrongAddress.page).toBe(match.page);
      answers.none.push(unknown.ms, wrongAddress.ms);
      answers.match.push(match.ms);
      matchPage = match.page;
      nonePage = unknown.page;
    }
    expect(matchPage).toContain('再設定のリンクを送りました');
    expect(nonePage).toBe(matchPage);
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    process.stdout.write(`recovery: reset request answer, median: matching pair ${median(answers.match).toFixed(1)} ms (5), no match ${median(answers.none).toFixed(1)} ms (10)\n`);
    expect(Math.abs(median(answers.match) - median(answers.none))).toBeLessThan(100);
    const mail = await smtp.next('taro@example.jp', before);
    await smtp.next('taro@example.jp', smtp.mails.length - 1);
    expect(smtp.mails.slice(before).every((m) => m.to.join() === 'taro@example.jp')).toBe(true);
    expect(mail.subject).toContain('パスワードの再設定');
    const link = linkIn(smtp.mails[smtp.mails.length - 1], hub);
    const token = tokenOf(link);
    expect((await (await new BrowserAgent().follow(link)).res.text())).toContain('新しいパスワードの設定');

    const submit = (form: Record<string, string>) => new BrowserAgent().request(`${hub}/account/recovery/reset`, { form: { token, loginId: 'tottori.taro', password: 'a-new-password-2026', passwordConfirm: 'a-new-password-2026', ...form } });
    // Another resident's login ID with this link, and a malformed link: refused, and the link still works.
    const other = await submit({ loginId: 'misasa.hanako' });
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('このリンク、またはログインIDが正しくありません');
    const malformed = await submit({ token: `${token.slice(0, 42)}!` });
    expect(malformed.status).toBe(400);
    const mismatch = await submit({ passwordConfirm: 'another-password-2026' });
    expect(await mismatch.text()).toContain('2つのパスワードが一致しません');

    // Eight submissions at once: exactly one resets the password.
    const race = await Promise.all(Array.from({ length: 8 }, () => submit({})));
    const statuses = race.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const pages = await Promise.all(race.map((r) => r.text()));
    expect(pages.filter((p) => p.includes('パスワードを変更しました'))).toHaveLength(1);
    expect(pages.filter((p) => p.includes('このリンクはすでに使われています'))).toHaveLength(7);

    // Every session and grant of the resident ended; the old password is gone, the new one works.
    expect([await signedIn(a), await signedIn(b)]).toEqual([false, false]);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    expect((await signIn(new BrowserAgent(), 'tottori.taro')).page).toContain('ログインIDまたはパスワードが正しくありません');
    expect((await signIn(new BrowserAgent(), 'tottori.taro', 'a-new-password-2026')).path).toBe('/account');
  });

  it('resets with the My Number card only for the card that verified the account', async () => {
    const agent = new BrowserAgent();
    await signIn(agent, 'misasa.hanako');
    const verify = await (await agent.follow(`${hub}/account/verify`)).res.text();
    const verified = await agent.follow(formAction(verify, '/account/verify/test-card', `${hub}/account/verify`)!, { form: { csrf: /name="csrf" value="([^"]+)"/.exec(verify)![1] } });
    expect(new URL(verified.url).search).toBe('?done=1');

    const cardReset = async (loginId: string) => {
      const browser = new BrowserAgent();
      const challenge = await (await browser.follow(`${hub}/account/recovery/card`, { form: { loginId } })).res.text();
      const challengeId = /data-testid="challenge-id">([^<]+)</.exec(challenge)![1];
      const answered = await browser.follow(`${hub}/account/recovery/card/test-card`, { form: { challengeId } });
      return { browser, answered, page: await answered.res.text(), challengeId };
    };
    // A resident who never verified with a card, and an unknown login ID: the same refusal.
    const unverified = await cardReset('kurayoshi.jiro');
    expect(unverified.answered.res.status).toBe(401);
    expect(unverified.page).toContain('マイナンバーカードで本人であることを確認できませんでした');
    const unknown = await cardReset('nobody.at.all');
    expect(unknown.answered.res.status).toBe(401);
    expect(unknown.page).toContain('マイナンバーカードで本人であることを確認できませんでした');

    const ok = await cardReset('misasa.hanako');
    expect(new URL(ok.answered.url).pathname).toBe('/account/recovery/reset');
    // The challenge was used up.
    const replay = await ok.browser.request(`${hub}/account/recovery/card/test-card`, { form: { challengeId: ok.challengeId } });
    expect(replay.status).toBe(401);
    const token = new URL(ok.answered.url).searchParams.get('token')!;
    const done = await ok.browser.request(`${hub}/account/recovery/reset`, { form: { token, loginId: 'misasa.hanako', password: 'card-reset-password', passwordConfirm: 'card-reset-password' } });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('すべての端末とサービスからログアウトしました');
    expect(await signedIn(agent)).toBe(false);
    expect((await signIn(new BrowserAgent(), 'misasa.hanako', 'card-reset-password')).path).toBe('/account');
    // The JSON API for card apps answers a challenge alike for any login ID.
    const api = await fetch(`${hub}/api/v1/account/recovery/card/challenges`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ loginId: 'nobody.at.all' }) });
    expect(api.status).toBe(201);
    expect(Object.keys(await api.json()).sort()).toEqual(['challenge', 'challengeId', 'expiresAt']);
  });

});
