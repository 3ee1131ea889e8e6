import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyReceiptChain } from '@tsunagu/contracts';
import { BrowserAgent, formAction, pollUntil } from '@tsunagu/testing';
import { adminSignIn, approveAsAdmin, endAdminSessions } from '../scripts/connector-dev';
import type { FakeService } from '../apps/connector/src/testing/fake-service';
import { connectHelpers, HEALTH_POINTS, type Json, type RegisteredPair, startFakeServices, STEPS, tearDown, waitUntilFresh } from './support/connect-harness';
import { codeFlow, discover } from './support/oidc-flow';
import { PortalResident } from './support/portal-resident';
import { type AppProcess, freePort, startApp } from './support/processes';
import { AdminClient } from './admin-support';

/**
 * The main flows on the embedded default `npm start` uses: PGlite behind a single connection.
 * Code that holds a transaction and asks the pool for a second connection waits forever there
 * (the test-card freeze): every flow that writes in a transaction runs here — identity proofing
 * with the test card, ID linking, consents (racing), the admin screens, an exchange through both
 * connectors with its ledger row, a withdrawal, leaving the platform, a tenant's export and
 * deletion — and after each the hub still
 * answers /health.
 */
describe('Main flows on the embedded database (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-embedded-flows-'));
  let hub: AppProcess;
  let cashless: AppProcess;
  let misasa: AppProcess;
  let misasaApp: FakeService;
  let cashlessApp: FakeService;
  let pair: RegisteredPair;
  const taro = () => resident;
  let resident: PortalResident;

  const { sdk, registerPair, startConnector } = connectHelpers({ dir, agent: new BrowserAgent(), hub: () => hub, cashless: () => cashless, csrf: () => resident.csrf });

  /** The hub answers at once: nothing is stuck waiting for the single connection. */
  async function expectResponsive(): Promise<void> {
    const started = Date.now();
    const res = await fetch(`${hub.url}/health`, { signal: AbortSignal.timeout(3000) });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
  }

  beforeAll(async () => {
    ({ misasaApp, cashlessApp } = await startFakeServices());
    const port = await freePort();
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: join(dir, 'hub'), JPKI_TEST_CARD: 'true',
      DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', DEMO_MISASA_URL: 'http://127.0.0.1:39102',
    }, port);
    resident = await new PortalResident(hub.url).signIn('tottori.taro');
  }, 90_000);

  afterAll(() => tearDown({ connectors: [cashless, misasa], hub, others: [misasaApp, cashlessApp], dir }));

  it('verifies identity with the development test card (the README path) and stays responsive', async () => {
    const page = await taro().agent.follow(`${hub.url}/account/verify`);
    const html = await page.res.text();
    const action = formAction(html, '/account/verify/test-card', page.url)!;
    const csrf = html.match(/name="csrf" value="([^"]*)"/)![1];
    const done = await taro().agent.follow(action, { form: { csrf }, signal: AbortSignal.timeout(10_000) });
    expect(new URL(done.url).pathname + new URL(done.url).search).toBe('/account/verify?done=1');
    expect((await taro().api('GET', '/api/v1/identity/jpki')).body).toMatchObject({ verified: true });
    await expectResponsive();
  });

  it('verifies two residents with their test cards at the same time', async () => {
    const others = await Promise.all(['misasa.hanako', 'kurayoshi.jiro'].map((id) => new PortalResident(hub.url).signIn(id)));
    const results = await Promise.all(others.map(async (r) => {
      const page = await r.agent.follow(`${hub.url}/account/verify`);
      const html = await page.res.text();
      const done = await r.agent.follow(formAction(html, '/account/verify/test-card', page.url)!, { form: { csrf: html.match(/name="csrf" value="([^"]*)"/)![1] }, signal: AbortSignal.timeout(10_000) });
      return new URL(done.url).search;
    }));
    expect(results).toEqual(['?done=1', '?done=1']);
    await expectResponsive();
  });

  it('links the resident at both services through the ID-linking API', async () => {
    const link = async (clientId: string, callback: string, localId: string) => {
      const config = await discover(`${hub.url}/oidc`, clientId, `${clientId}-secret`);
      const { tokens } = await codeFlow(taro().agent, config, callback);
      const res = await fetch(`${hub.url}/api/v1/links`, {
        method: 'POST', headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' }, body: JSON.stringify({ localId }),
      });
      return res.status;
    };
    expect(await link('demo-cashless', 'http://127.0.0.1:39101/auth/callback', 'C-0001')).toBe(201);
    expect(await link('demo-misasa-health', 'http://127.0.0.1:39102/auth/callback', 'MH-0001')).toBe(201);
    await expectResponsive();
  });

  it('records racing opt-ins and opt-outs of several residents, each chain intact', async () => {
    const residents = await Promise.all(['misasa.hanako', 'kurayoshi.jiro'].map((id) => new PortalResident(hub.url).signIn(id)));
    const results = await Promise.all(residents.map(async (r) => {
      const given = await r.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS });
      const both = await Promise.all([
        r.api('POST', `/api/v1/portal/consents/${given.body.consent.consentId}/withdraw`, { expectedVersion: 1 }),
        r.api('POST', '/api/v1/portal/consents', { dataUse: 'misasa-health.onsen-spending', expectedVersion: 0 }),
      ]);
      return [given.status, ...both.map((x) => x.status)];
    }));
    expect(results).toEqual([[201, 200, 201], [201, 200, 201]]);
    const jwks = await (await fetch(`${hub.url}/oidc/jwks`)).json();
    for (const r of residents) {
      const { receipts } = (await r.api('GET', '/api/v1/portal/receipts')).body;
      expect(receipts).toHaveLength(3);
      expect((await verifyReceiptChain(receipts.map((x: { jws: string }) => x.jws), jwks)).valid).toBe(true);
    }
    await expectResponsive();
  });

  it('registers both connectors and has the tenant admins approve them (the demo\'s agreements are seeded approved)', async () => {
    pair = await registerPair({ cashless: cashlessApp.url, 'misasa-health': misasaApp.url });
    expect(await approveAsAdmin(hub.url, 'tottori-pref', pair.ids.cashless)).toBe('approved');
    expect(await approveAsAdmin(hub.url, 'misasa', pair.ids['misasa-health'])).toBe('approved');
    const { agent } = await adminSignIn(hub.url, 'system-admin');
    expect((await agent.request(`${hub.url}/system/audit`)).status).toBe(200);
    await endAdminSessions(hub.url);
    await expectResponsive();
  }, 120_000);

  it('exchanges data peer to peer under the consent, records it in the ledger, and refuses once withdrawn', async () => {
    [cashless, misasa] = await Promise.all([startConnector(pair, 'cashless'), startConnector(pair, 'misasa-health')]);
    await waitUntilFresh(misasa);
    const given = await taro().api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS });
    expect(given.status).toBe(201);
    const exchanged = await sdk();
    expect(exchanged.status).toBe(200);
    expect(exchanged.body.items[STEPS]).toEqual([expect.objectContaining({ steps: 6800 })]);
    await waitForLedger(1);
    const withdrawn = await taro().api('POST', `/api/v1/portal/consents/${given.body.consent.consentId}/withdraw`, { expectedVersion: given.body.consent.version });
    expect(withdrawn.status).toBe(200);
    // The provider learns of the withdrawal by push or by its next feed pull (1 s here); making the
    // refusal hold before the resident is answered is the withdrawal issue's, not this spec's.
    const refused = await pollUntil(() => sdk(), (r) => r.status !== 200, 5_000);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toMatch(/^consent_/);
    await expectResponsive();
  }, 90_000);

  it('lets the resident leave (退会): one transaction on the single connection, and the hub stays responsive', async () => {
    const url = `${hub.url}/portal/leave`;
    const res = await fetch(url, {
      method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(15_000),
      headers: { cookie: resident.agent.cookieHeader(new URL(url)), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: resident.csrf, confirm: 'yes' }).toString(),
    });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('退会しました');
    await expectResponsive();
    // The account is gone: its password opens nothing any more.
    await expect(new PortalResident(hub.url).signIn('tottori.taro')).rejects.toThrow();
    await expectResponsive();
  }, 60_000);

  it('exports and deletes a tenant (its transactions on the single connection), and the hub stays responsive', async () => {
    // The earlier test spent this time step's code: adminSignIn waits for the next one.
    const session = await adminSignIn(hub.url, 'system-admin');
    const system = Object.assign(new AdminClient(hub.url, 'system-admin', '', ''), { agent: session.agent, csrf: session.csrf });
    const list = await (await system.get('/system/tenants')).text();
    const tenantId = /data-tenant="kurayoshi"[\s\S]*?href="\/system\/tenants\/([0-9a-f-]{36})"/.exec(list)![1];
    const exported = await system.json('POST', `/system/tenants/${tenantId}/export`, { recipient: '倉吉市 総務課', contractName: '利用契約' });
    expect(exported.status).toBe(200);
    await expectResponsive();
    const deleted = await system.json('POST', `/system/tenants/${tenantId}/delete`, { confirmName: '倉吉市' });
    expect(deleted.status).toBe(201);
    await expectResponsive();
    const status = await pollUntil(async () => (await system.json('GET', `/system/tenants/${tenantId}/exit`)).body as Json, (b) => !!b.exit?.certificateId, 15_000, 200);
    expect(status.tenant.deleted_at).not.toBeNull();
    expect((await system.json('GET', `/system/tenants/${tenantId}/certificate.json`)).body.certificate).toMatchObject({ reason: 'tenant_left', tenant: { code: 'kurayoshi' } });
    await expectResponsive();
  }, 90_000);

  async function waitForLedger(count: number): Promise<void> {
    const provisions = await pollUntil(async () => ((await taro().api('GET', '/api/v1/portal/provisions')).body as Json).provisions as Json[], (rows) => rows.length >= count);
    expect(provisions.length).toBeGreaterThanOrEqual(count);
  }
});
