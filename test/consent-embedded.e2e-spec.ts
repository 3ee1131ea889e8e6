import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyReceiptChain } from '@tsunagu/contracts';
import { BrowserAgent, formAction } from '@tsunagu/testing';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * Consents on the embedded default (`npm start`): PGlite behind a single connection. A decision
 * holds the resident's lock in a transaction; nothing on that path may wait for a second
 * connection, so racing decisions of several residents must all complete.
 */
describe('Consents on the embedded database (e2e)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tsunagu-consent-embedded-'));
  let hub: AppProcess;

  beforeAll(async () => {
    const port = await freePort();
    hub = await startApp('apps/hub/src/main.js', { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir }, port);
  });
  afterAll(async () => {
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(loginId: string) {
    const agent = new BrowserAgent();
    const start = await agent.follow(`${hub.url}/account/login`);
    await agent.follow(formAction(await start.res.text(), '/login', start.url)!, { form: { loginId, password: 'tsunagu-demo-2026' } });
    const cookie = () => agent.cookieHeader(new URL(hub.url));
    const csrf = (await (await fetch(`${hub.url}/api/v1/portal/me`, { headers: { cookie: cookie() } })).json()).csrfToken as string;
    return async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${hub.url}${path}`, { method, headers: { cookie: cookie(), 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    };
  }

  it('records racing opt-ins and opt-outs of several residents, each chain intact', async () => {
    const residents = await Promise.all(['tottori.taro', 'misasa.hanako', 'kurayoshi.jiro'].map(signIn));
    const results = await Promise.all(residents.map(async (api) => {
      const given = await api('POST', '/api/v1/portal/consents', { dataUse: 'cashless.health-points' });
      const both = await Promise.all([
        api('POST', `/api/v1/portal/consents/${given.body.consent.consentId}/withdraw`, { expectedVersion: 1 }),
        api('POST', '/api/v1/portal/consents', { dataUse: 'misasa-health.onsen-spending', expectedVersion: 0 }),
      ]);
      return [given.status, ...both.map((r) => r.status)];
    }));
    expect(results).toEqual([[201, 200, 201], [201, 200, 201], [201, 200, 201]]);
    const jwks = await (await fetch(`${hub.url}/oidc/jwks`)).json();
    for (const api of residents) {
      const { receipts } = (await api('GET', '/api/v1/portal/receipts')).body;
      expect(receipts).toHaveLength(3);
      expect((await verifyReceiptChain(receipts.map((r: { jws: string }) => r.jws), jwks)).valid).toBe(true);
    }
  });
});
