import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BrowserAgent, formAction, hiddenFields, pollUntil, verifyWithTestCard } from '@tsunagu/testing';
import type { Client } from 'pg';
import type { FakeService } from '../apps/connector/src/testing/fake-service';
import { connectHelpers, HEALTH_POINTS, type Json, type RegisteredPair, startWithStandIns, STEPS, tearDown, VISITS } from './support/connect-harness';
import { type AppProcess, freePort, ROOT, startApp } from './support/processes';
import { startPushProxy } from './support/push-proxy';

const run = promisify(execFile);
const ONSEN_SPENDING = 'misasa-health.onsen-spending';
const SPENDING = 'cashless.monthly-spending';

/**
 * Leaving the platform across real processes (docs/erasure.md): the hub, both connectors (the
 * Misasa one behind a proxy that can cut the hub's pushes: offline for them), stand-ins for both
 * apps' internal APIs and their erasure callbacks; real PostgreSQL and Redis. A resident who
 * shared data both ways leaves while exchanges are in flight; both services' copies are erased
 * through their connectors, the offline connector is retried and shown pending until it answers;
 * the certificate verifies offline and an altered byte fails. A second resident's departure is
 * killed with SIGKILL right after its commit and completes after the restart.
 */
describe('Leaving the platform, real processes (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-depart-'));
  const agent = new BrowserAgent();
  let hub: AppProcess;
  let hubEnv: Record<string, string>;
  let hubPort = 0;
  let db: Client;
  let csrf = '';
  let misasaApp: FakeService;
  let cashlessApp: FakeService;
  let cashless: AppProcess;
  let misasa: AppProcess;
  let pair: RegisteredPair;
  let proxy: Awaited<ReturnType<typeof startPushProxy>>;
  const erasures: Record<string, Json[]> = { cashless: [], misasa: [] };
  const { portal, sdk, registerPair, approveAndStart } = connectHelpers({ dir, agent, hub: () => hub, cashless: () => cashless, csrf: () => csrf });

  /** A stand-in's erasure callback: records the request, deletes "its copy" (one record per item). */
  function erasureCallback(name: 'cashless' | 'misasa') {
    return (_url: URL, body?: string) => {
      const request = JSON.parse(body ?? '{}');
      erasures[name].push(request);
      return { body: { erased: request.items.map((item: string) => ({ item, count: 1 })), method: { ja: 'データベースから削除（復元不可）', en: 'Deleted from the database' } } };
    };
  }

  /** Posts a portal form (the resident's session cookie, the form's CSRF token). */
  async function postForm(who: BrowserAgent, path: string, form: Record<string, string>): Promise<{ status: number; text: string }> {
    const url = `${hub.url}${path}`;
    const res = await fetch(url, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: who.cookieHeader(new URL(url)), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, text: await res.text() };
  }

  beforeAll(async () => {
    ({ hub, env: hubEnv, port: hubPort, db, csrf, misasaApp, cashlessApp } = await startWithStandIns('departure', agent, { ERASURE_ACK_WAIT_SECONDS: '300' }));
    cashlessApp.routes.set('/internal/v1/members/C-0001/monthly-spending', { body: { memberNumber: 'C-0001', months: [{ month: '2026-11', category: 'onsen', amountYen: 4200 }] } });
    cashlessApp.routes.set('/internal/v1/erasure', erasureCallback('cashless'));
    misasaApp.routes.set('/internal/v1/erasure', erasureCallback('misasa'));
    pair = await registerPair({ cashless: cashlessApp.url, 'misasa-health': misasaApp.url });
    proxy = await startPushProxy(await freePort(), `http://127.0.0.1:${pair.ports['misasa-health']}`);
    writeFileSync(pair.files['misasa-health'], JSON.stringify({ ...JSON.parse(readFileSync(pair.files['misasa-health'], 'utf8')), publicUrl: proxy.url }));
    await db.query(`UPDATE connectors SET base_url = $2 WHERE id = $1`, [pair.ids['misasa-health'], proxy.url]);
    ({ cashless, 'misasa-health': misasa } = await approveAndStart(db, pair));
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    await tearDown({ connectors: [cashless, misasa], hub, db, others: [misasaApp, cashlessApp], dir });
  });

  it('leaves after sharing both ways, with exchanges in flight: nothing returns data after the answer, both copies are erased, the offline connector is retried and shown pending, then the certificate verifies offline', async () => {
    expect((await portal('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS, VISITS] })).status).toBe(201);
    expect((await portal('POST', '/api/v1/portal/consents', { dataUse: ONSEN_SPENDING, items: [SPENDING] })).status).toBe(201);
    expect((await sdk()).status).toBe(200);
    const spending = await sdk([SPENDING], { connector: misasa, localId: 'MH-0001', dataUse: ONSEN_SPENDING, purpose: 'onsen-spending-display' });
    expect(spending.status).toBe(200);
    await pollUntil(async () => (await db.query(`SELECT count(*)::int AS n FROM provision_records WHERE outcome = 'provided'`)).rows[0].n, (n) => n >= 2, 10_000, 100);

    // The confirmation page lists what will happen.
    const page = await (await fetch(`${hub.url}/portal/leave`, { headers: { cookie: agent.cookieHeader(new URL(hub.url)) } })).text();
    expect(page).toContain('撤回される同意');
    expect(page).toContain('消去を依頼するサービス');
    expect(page).toContain('保存する情報と理由');

    // The Misasa connector is offline for the hub's pushes from now on.
    proxy.path = { kind: 'cut' };
    const exchanges: { sentAt: number; status: number }[] = [];
    let stop = false;
    const loops = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const sentAt = Date.now();
        const res = await sdk().catch(() => ({ status: 0, body: {} }));
        exchanges.push({ sentAt, status: res.status });
      }
    });
    // Exchanges in flight when the resident leaves, and a dozen sent after the answer.
    await pollUntil(() => exchanges.length, (n) => n >= 4, 10_000, 20);
    const answer = await postForm(agent, '/portal/leave', { csrf, confirm: 'yes' });
    const answeredAt = Date.now();
    await pollUntil(() => exchanges.filter((e) => e.sentAt > answeredAt).length, (n) => n >= 12, 15_000, 20);
    stop = true;
    await Promise.all(loops);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('退会しました');
    expect(exchanges.some((e) => e.status === 200 && e.sentAt < answeredAt)).toBe(true);
    // The promise of a withdrawal, for each consent the departure withdrew.
    expect(exchanges.filter((e) => e.sentAt > answeredAt && e.status === 200)).toEqual([]);

    // The resident's records are erased at the hub, the session is over.
    const { rows: [resident] } = await db.query(`SELECT id, login_id, display_name, common_id, departed_at FROM residents WHERE id = (SELECT resident_id FROM departures)`);
    expect(resident).toMatchObject({ login_id: null, display_name: null, common_id: null });
    expect((await portal('GET', '/api/v1/portal/consents')).status).toBe(401);
    expect((await sdk()).status).toBeGreaterThanOrEqual(400);

    // The cashless base received its request (as consumer of the steps) and erased its copy.
    await pollUntil(() => erasures.cashless.length, (n) => n > 0, 15_000, 100);
    expect(erasures.cashless[0]).toMatchObject({ localId: 'C-0001', reason: 'departure', items: expect.arrayContaining([STEPS, VISITS]) });
    // Misasa is retried and pending: nothing acknowledged, the admin screens' overdue count shows it.
    const retried = await pollUntil(async () => (await db.query(
      `SELECT d.attempts, c.unacked_revocations FROM revocation_deliveries d JOIN connectors c ON c.id = d.connector_id WHERE d.kind = 'erasure' AND d.connector_id = $1`,
      [pair.ids['misasa-health']])).rows[0] as Json, (r) => (r?.attempts ?? 0) >= 2, 30_000, 200);
    expect(retried.unacked_revocations).toBeGreaterThan(0);
    const departure = (await db.query(`SELECT id, certified_at FROM departures`)).rows[0];
    expect(departure.certified_at).toBeNull();
    const status = await postForm(new BrowserAgent(), '/portal/leave/status', { departure: departure.id, key: /name="key" value="([^"]+)"/.exec(answer.text)![1] });
    expect(status.text).toMatch(/data-connector="[^"]+" data-state="pending"/);

    // Back online: the next retry delivers, Misasa erases its copy, the certificate is issued.
    proxy.path = { kind: 'pass' };
    await pollUntil(() => erasures.misasa.length, (n) => n > 0, 90_000, 250);
    expect(erasures.misasa[0]).toMatchObject({ localId: 'MH-0001', items: [SPENDING] });
    await pollUntil(async () => (await db.query(`SELECT certified_at FROM departures`)).rows[0].certified_at, Boolean, 15_000, 100);

    const key = /name="key" value="([^"]+)"/.exec(answer.text)![1];
    const json = await postForm(new BrowserAgent(), '/portal/leave/certificate', { departure: departure.id, key, format: 'json' });
    expect(json.status).toBe(200);
    const doc = JSON.parse(json.text);
    expect(doc.certificate).toMatchObject({ complete: true, reason: 'departure' });
    const media = doc.certificate.media as Json[];
    expect(media.map((m) => m.connectorId ?? 'hub').sort()).toEqual(['hub', pair.ids.cashless, pair.ids['misasa-health']].sort());
    for (const m of media) expect(m).toMatchObject({ state: 'erased', erasedAt: expect.any(String) });
    const counts = (id: string) => Object.fromEntries(media.find((m) => m.connectorId === id).items.map((i: Json) => [i.item, i.count]));
    expect(counts(pair.ids.cashless)).toMatchObject({ [STEPS]: 1, [VISITS]: 1 });
    expect(counts(pair.ids['misasa-health'])).toMatchObject({ [SPENDING]: 1 });
    const printable = await postForm(new BrowserAgent(), '/portal/leave/certificate', { departure: departure.id, key, format: 'html' });
    for (const label of ['情報の項目', '媒体の名称', '数量', '廃棄又は消去の方法', '責任者', '廃棄又は消去の年月日', '根拠', '予定される消去の年月日']) expect(printable.text).toContain(label);

    // Offline verification with the hub's published keys; one altered byte fails.
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify(await (await fetch(`${hub.url}/api/v1/receipts/jwks`)).json()));
    writeFileSync(join(dir, 'certificate.json'), json.text);
    const cli = [join(ROOT, 'dist/scripts/certificate-verify.js'), join(dir, 'certificate.json'), '--jwks', join(dir, 'jwks.json'), '--issuer', hub.url];
    expect((await run(process.execPath, cli)).stdout).toContain('OK  erasure certificate');
    const [h, p, s] = doc.jws.split('.');
    const altered = Buffer.from(p, 'base64url').toString('utf8').replace('"count":1', '"count":0');
    writeFileSync(join(dir, 'certificate.json'), JSON.stringify({ jws: `${h}.${Buffer.from(altered).toString('base64url')}.${s}` }));
    await expect(run(process.execPath, cli)).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('NOT VERIFIED (signature)') });
  }, 240_000);

  it('completes a departure whose hub was killed with SIGKILL right after the commit, never half of one', async () => {
    const other = new BrowserAgent();
    const start = await other.follow(`${hub.url}/account/login`);
    const loginPage = await start.res.text();
    await other.follow(formAction(loginPage, '/login', start.url)!, { form: { ...hiddenFields(loginPage, '/login'), loginId: 'misasa.hanako', password: 'tsunagu-demo-2026' } });
    const me = await (await fetch(`${hub.url}/api/v1/portal/me`, { headers: { cookie: other.cookieHeader(new URL(hub.url)) } })).json() as Json;
    const otherCsrf = me.csrfToken as string;
    // Health points need a card-verified resident.
    await verifyWithTestCard(other, hub.url);
    const { rows: [{ id: residentId }] } = await db.query(`SELECT id FROM residents WHERE login_id = 'misasa.hanako'`);
    await db.query(`INSERT INTO service_links (tenant_id, service_id, resident_id, local_id) SELECT tenant_id, id, $1, 'C-0002' FROM services WHERE client_id = 'demo-cashless'`, [residentId]);
    const given = await fetch(`${hub.url}/api/v1/portal/consents`, {
      method: 'POST', headers: { cookie: other.cookieHeader(new URL(hub.url)), 'content-type': 'application/json', 'x-csrf-token': otherCsrf },
      body: JSON.stringify({ dataUse: HEALTH_POINTS, items: [STEPS] }),
    });
    expect(given.status).toBe(201);

    const leaving = postForm(other, '/portal/leave', { csrf: otherCsrf, confirm: 'yes' }).catch(() => undefined);
    await pollUntil(async () => (await db.query(`SELECT 1 FROM departures WHERE resident_id = $1`, [residentId])).rows.length, (n) => n > 0, 10_000, 2);
    process.kill(hub.child.pid!, 'SIGKILL');
    await leaving;
    // What the transaction wrote is all there: nothing half-done.
    const { rows: [state] } = await db.query(
      `SELECT r.login_id, r.password_hash, (SELECT count(*)::int FROM service_links WHERE resident_id = r.id) AS links,
         (SELECT count(*)::int FROM consents WHERE resident_id = r.id AND superseded_at IS NULL AND state = 'active') AS active
       FROM residents r WHERE r.id = $1`, [residentId]);
    expect(state).toEqual({ login_id: null, password_hash: null, links: 0, active: 0 });

    hub = await startApp('apps/hub/src/main.js', hubEnv, hubPort);
    const done = await pollUntil(async () => (await db.query(`SELECT access_revoked_at, sessions_ended_at, certified_at FROM departures WHERE resident_id = $1`, [residentId])).rows[0] as Json,
      (d) => !!d.certified_at, 30_000, 200);
    expect(done.access_revoked_at).not.toBeNull();
    expect(done.sessions_ended_at).not.toBeNull();
    expect((await fetch(`${hub.url}/api/v1/portal/me`, { headers: { cookie: other.cookieHeader(new URL(hub.url)) } })).status).toBe(401);
  }, 120_000);
});
