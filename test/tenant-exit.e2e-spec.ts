import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BrowserAgent, pollUntil } from '@tsunagu/testing';
import type { Client } from 'pg';
import type { FakeService } from '../apps/connector/src/testing/fake-service';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../apps/hub/src/backoffice/auth/admin-demo-seed';
import { AdminClient } from './admin-support';
import { connectHelpers, HEALTH_POINTS, type Json, type RegisteredPair, startWithStandIns, STEPS, tearDown, VISITS } from './support/connect-harness';
import { type AppProcess, ROOT } from './support/processes';

const run = promisify(execFile);
const ONSEN_SPENDING = 'misasa-health.onsen-spending';
const SPENDING = 'cashless.monthly-spending';

/**
 * A tenant leaving the platform across real processes (docs/erasure.md "Tenants leaving"): the
 * hub, both connectors, stand-ins for both apps' internal APIs and erasure callbacks; real
 * PostgreSQL and Redis. The Misasa town shared data both ways; the system admin exports its
 * signed archive (verified offline by `archive:verify`), is refused deletion without the typed
 * name, deletes it; no exchange under its data uses or offers succeeds after the answer, its
 * admins cannot sign in, both services' copies are erased through their connectors (its own
 * revoked connector included), and its certificate verifies offline while an altered byte fails.
 */
describe('A tenant leaving the platform, real processes (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-tenant-exit-'));
  const agent = new BrowserAgent();
  let hub: AppProcess;
  let db: Client;
  let csrf = '';
  let misasaApp: FakeService;
  let cashlessApp: FakeService;
  let cashless: AppProcess;
  let misasa: AppProcess;
  let pair: RegisteredPair;
  let system: AdminClient;
  let misasaId = '';
  const erasures: Record<string, Json[]> = { cashless: [], misasa: [] };
  const { portal, sdk, registerPair, approveAndStart } = connectHelpers({ dir, agent, hub: () => hub, cashless: () => cashless, csrf: () => csrf });

  /** A stand-in's erasure callback: records the request, deletes "its copies" (two records per item). */
  function erasureCallback(name: 'cashless' | 'misasa') {
    return (_url: URL, body?: string) => {
      const request = JSON.parse(body ?? '{}');
      erasures[name].push(request);
      return { body: { erased: request.items.map((item: string) => ({ item, count: 2 })), method: { ja: 'データベースから削除（復元不可）', en: 'Deleted from the database' } } };
    };
  }

  beforeAll(async () => {
    ({ hub, db, csrf, misasaApp, cashlessApp } = await startWithStandIns('tenant_exit', agent, { ERASURE_ACK_WAIT_SECONDS: '300' }));
    cashlessApp.routes.set('/internal/v1/members/C-0001/monthly-spending', { body: { memberNumber: 'C-0001', months: [{ month: '2026-11', category: 'onsen', amountYen: 4200 }] } });
    cashlessApp.routes.set('/internal/v1/erasure', erasureCallback('cashless'));
    misasaApp.routes.set('/internal/v1/erasure', erasureCallback('misasa'));
    pair = await registerPair({ cashless: cashlessApp.url, 'misasa-health': misasaApp.url });
    ({ cashless, 'misasa-health': misasa } = await approveAndStart(db, pair));
    system = new AdminClient(hub.url, 'system-admin', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
    expect((await system.signIn()).status).toBe(303);
    misasaId = (await db.query(`SELECT id FROM tenants WHERE code = 'misasa'`)).rows[0].id;
  }, 120_000);

  afterAll(async () => {
    await tearDown({ connectors: [cashless, misasa], hub, db, others: [misasaApp, cashlessApp], dir });
  });

  it('exports, is refused without the typed name, deletes; nothing is provided once the withdrawals are enforced, both copies are erased, the certificate verifies offline', async () => {
    expect((await portal('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS, VISITS] })).status).toBe(201);
    expect((await portal('POST', '/api/v1/portal/consents', { dataUse: ONSEN_SPENDING, items: [SPENDING] })).status).toBe(201);
    expect((await sdk()).status).toBe(200);
    const spendingCall = { connector: misasa, localId: 'MH-0001', dataUse: ONSEN_SPENDING, purpose: 'onsen-spending-display' };
    expect((await sdk([SPENDING], spendingCall)).status).toBe(200);
    await pollUntil(async () => (await db.query(`SELECT count(*)::int AS n FROM provision_records WHERE outcome = 'provided'`)).rows[0].n, (n) => n >= 2, 10_000, 100);

    // A tenant admin never reaches the system screens.
    const local = new AdminClient(hub.url, 'admin-misasa', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
    expect((await local.signIn()).status).toBe(303);
    expect((await local.get(`/system/tenants/${misasaId}/exit`)).status).toBe(403);

    // The exit page, in Japanese, links the export and the deletion's confirmation.
    const page = await (await system.get(`/system/tenants/${misasaId}/exit`)).text();
    expect(page).toContain('受領者');
    expect(page).toContain(`/system/tenants/${misasaId}/delete`);

    // Export: bad input is a typed error; the archive verifies offline and names no resident.
    const refused = await system.json('POST', `/system/tenants/${misasaId}/export`, { recipient: '', contractName: '契約' });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'tenant_export_invalid' } } });
    const exported = await system.json('POST', `/system/tenants/${misasaId}/export`, { recipient: '三朝町 総務課', contractName: 'パーソナルデータ連携基盤 利用契約' });
    expect(exported.status).toBe(200);
    expect(exported.body.archive.handover).toMatchObject({ recipient: '三朝町 総務課', name: { ja: '三朝町' } });
    expect(JSON.stringify(exported.body.archive)).not.toContain('tottori.taro');
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify(await (await fetch(`${hub.url}/api/v1/receipts/jwks`)).json()));
    writeFileSync(join(dir, 'archive.json'), JSON.stringify(exported.body));
    const archiveCli = [join(ROOT, 'dist/scripts/archive-verify.js'), join(dir, 'archive.json'), '--jwks', join(dir, 'jwks.json'), '--issuer', hub.url];
    const verified = (await run(process.execPath, archiveCli)).stdout;
    expect(verified).toContain('OK  tenant archive');
    expect(verified).toContain(exported.body.digest);
    const [h, p, s] = (exported.body.jws as string).split('.');
    writeFileSync(join(dir, 'archive.json'), JSON.stringify({ jws: `${h}.${Buffer.from(Buffer.from(p, 'base64url').toString('utf8').replace('三朝町 総務課', '三朝町 企画課')).toString('base64url')}.${s}` }));
    await expect(run(process.execPath, archiveCli)).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('NOT VERIFIED (signature)') });

    // The confirmation step lists what happens; the wrong name is refused and nothing changes.
    const confirm = await (await system.get(`/system/tenants/${misasaId}/delete`)).text();
    expect(confirm).toContain('data-testid="confirm-consequences"');
    expect(await system.json('POST', `/system/tenants/${misasaId}/delete`, { confirmName: '三朝' })).toMatchObject({ status: 400, body: { error: { code: 'tenant_delete_not_confirmed' } } });
    expect((await sdk([SPENDING], spendingCall)).status).toBe(200);

    const deleted = await system.json('POST', `/system/tenants/${misasaId}/delete`, { confirmName: '三朝町' });
    expect(deleted.status).toBe(201);
    // The answer says from when no provider serves under the consents it ended (the answer itself
    // once every connector acknowledged; the revoked Misasa connector stops by the staleness bound).
    expect(deleted.body.enforcement).toMatchObject({ consents: expect.any(Number), enforcedBy: expect.any(String) });
    expect(deleted.body.enforcement.consents).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(deleted.body.enforcement.enforcedBy) - Date.now())));
    // Its data use and its offers are gone for every exchange from then on.
    expect((await sdk([SPENDING], spendingCall)).status).toBeGreaterThanOrEqual(400);
    expect((await sdk()).status).toBeGreaterThanOrEqual(400);
    expect(await system.json('POST', `/system/tenants/${misasaId}/delete`, { confirmName: '三朝町' })).toMatchObject({ status: 409, body: { error: { code: 'tenant_already_deleted' } } });
    // The tenant stays readable, never changeable: no reactivation, no acting as it, no new admins.
    expect(await (await system.get(`/system/tenants/${misasaId}`)).text()).toContain('data-testid="tenant-deleted"');
    for (const path of ['activate', 'act', 'admins']) {
      const res = await system.json('POST', `/system/tenants/${misasaId}/${path}`, path === 'admins' ? { loginId: 'misasa-new', displayName: '新任' } : {});
      expect({ path, ...res }).toMatchObject({ path, status: 409, body: { error: { code: 'tenant_already_deleted' } } });
    }
    // Its admins can no longer sign in; the session they had is over.
    expect((await local.get('/admin')).status).not.toBe(200);
    expect((await new AdminClient(hub.url, 'admin-misasa', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET).signIn()).status).not.toBe(303);

    // Both services are asked to erase what they received under its data uses and offers.
    await pollUntil(() => erasures.cashless.length + erasures.misasa.length, (n) => n >= 2, 30_000, 100);
    expect(erasures.cashless[0]).toMatchObject({ kind: 'tenant', tenant: 'misasa', reason: 'tenant_left', items: expect.arrayContaining([STEPS, VISITS]) });
    expect(erasures.misasa[0]).toMatchObject({ kind: 'tenant', tenant: 'misasa', dataUses: expect.arrayContaining([ONSEN_SPENDING]), items: [SPENDING] });
    const status = await pollUntil(async () => (await system.json('GET', `/system/tenants/${misasaId}/exit`)).body as Json, (b) => !!b.exit?.certificateId, 20_000, 200);
    expect(status.exit.connectors.map((c: Json) => c.state)).toEqual(['erased', 'erased']);

    const cert = await system.json('GET', `/system/tenants/${misasaId}/certificate.json`);
    expect(cert.status).toBe(200);
    expect(cert.body.certificate).toMatchObject({ reason: 'tenant_left', complete: true, tenant: { code: 'misasa', exportDigest: exported.body.digest } });
    const media = cert.body.certificate.media as Json[];
    expect(media.map((m) => m.connectorId ?? 'hub').sort()).toEqual(['hub', pair.ids.cashless, pair.ids['misasa-health']].sort());
    const printable = await (await system.get(`/system/tenant-certificates/${cert.body.certificate.certificateId}`)).text();
    for (const label of ['情報の項目', '媒体の名称', '数量', '廃棄又は消去の方法', '責任者', '廃棄又は消去の年月日']) expect(printable).toContain(label);

    writeFileSync(join(dir, 'certificate.json'), JSON.stringify(cert.body));
    const cli = [join(ROOT, 'dist/scripts/certificate-verify.js'), join(dir, 'certificate.json'), '--jwks', join(dir, 'jwks.json'), '--issuer', hub.url];
    expect((await run(process.execPath, cli)).stdout).toContain('OK  erasure certificate');
    const [ch, cp, cs] = (cert.body.jws as string).split('.');
    writeFileSync(join(dir, 'certificate.json'), JSON.stringify({ jws: `${ch}.${Buffer.from(Buffer.from(cp, 'base64url').toString('utf8').replace('"count":2', '"count":0')).toString('base64url')}.${cs}` }));
    await expect(run(process.execPath, cli)).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('NOT VERIFIED (signature)') });
  }, 240_000);
});
