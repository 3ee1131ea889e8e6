import { BrowserAgent, formAction, hiddenFields, verifyWithTestCard } from '@tsunagu/testing';

/** A resident signed in at the hub's portal, calling its JSON API as the portal's own app would. */
export class PortalResident {
  readonly agent = new BrowserAgent();
  csrf = '';
  constructor(private readonly hub: string) {}

  async signIn(loginId: string): Promise<this> {
    const start = await this.agent.follow(`${this.hub}/account/login`);
    const page = await start.res.text();
    const login = formAction(page, '/login', start.url)!;
    const done = await this.agent.follow(login, { form: { ...hiddenFields(page, '/login'), loginId, password: 'tsunagu-demo-2026' } });
    expect(new URL(done.url).pathname).toBe('/account');
    this.csrf = (await this.api('GET', '/api/v1/portal/me')).body.csrfToken;
    return this;
  }

  /**
   * Verifies the resident's identity with the hub's development test card (the hub runs with
   * `testCardEnv`): what an opt-in to a data use that requires a verified identity needs first.
   */
  async verifyIdentity(): Promise<this> {
    await verifyWithTestCard(this.agent, this.hub);
    return this;
  }

  /** Signs out as the portal's menu does (the hub's confirmation page, then 「ログアウト」): the session ends. */
  async signOut(): Promise<void> {
    const confirm = await this.agent.follow(`${this.hub}/account/logout`);
    const page = await confirm.res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1];
    if (!action || !xsrf) throw new Error(`no sign-out confirmation at ${confirm.url}`);
    const out = await this.agent.follow(new URL(action.replace(/&amp;/g, '&'), confirm.url).href, { form: { xsrf, logout: 'yes' } });
    expect(new URL(out.url).pathname).toBe('/account/signed-out');
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of many shapes, checked by the assertions
  async api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const url = `${this.hub}${path}`;
    const res = await fetch(url, {
      method,
      headers: {
        cookie: this.agent.cookieHeader(new URL(url)),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'GET' ? {} : { 'x-csrf-token': this.csrf }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
}
