import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { ConnectorClient, ConnectorSdkError } from '@tsunagu/connector-sdk';
import { BrowserAgent } from '@tsunagu/testing';
import type { Client } from 'pg';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../apps/hub/src/backoffice/auth/admin-demo-seed';
import { loadConnectorConfigFile } from '../apps/connector/src/config/connector-file';
import { FakeService } from '../apps/connector/src/testing/fake-service';
import { AdminClient } from './admin-support';
import { connectHelpers, japanDate, type Json, startHubWithResident, tearDown } from './support/connect-harness';
import { type AppProcess, freePort, ROOT, startApp } from './support/processes';

const run = promisify(execFile);
const MANUAL = join(ROOT, 'docs', 'manuals', 'vendor.md');

/** The YAML examples of the vendor manual's section 5, in order, as a vendor copies them. */
function manualExamples(): Json[] {
  const text = readFileSync(MANUAL, 'utf8');
  const section = text.slice(text.indexOf('## 5. 設定ファイル'), text.indexOf('## 6.'));
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]));
}

/**
 * A third service connected from the vendor manual alone (docs/manuals/vendor.md): 鳥取市's
 * medication notices (服薬のお知らせ), a provider. The connector's configuration is the manual's
 * own examples (section 5) with this machine's addresses; the internal API answers as section 5
 * describes; the steps are those of sections 0, 4, 6 and 7 — the service registered by 鳥取市's
 * admin, the connector registered with the CLI and approved, the offer published, the cashless
 * base's data use written with the manual's `dataUses` example and approved, a resident's consent,
 * and the SDK call of section 7. Nothing is set in the database by hand but the ID link.
 */
describe('A third service connected by following the vendor manual (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-vendor-'));
  const agent = new BrowserAgent();
  const sdkToken = randomBytes(24).toString('base64url');
  const serviceToken = randomBytes(24).toString('base64url');
  let hub: AppProcess;
  let db: Client;
  let csrf = '';
  let medication: AppProcess;
  let cashless: AppProcess;
  let internalApi: FakeService;
  let city: AdminClient;
  let pref: AdminClient;
  const [base, offers, dataUses] = manualExamples();
  const offer = offers.offers[0];
  const use = dataUses.dataUses[0];

  const { portal } = connectHelpers({ dir, agent, hub: () => hub, cashless: () => cashless, csrf: () => csrf });
  const register = async (file: string) => (await run(process.execPath, [join(ROOT, 'dist/apps/connector/src/cli/register.js'), '--config', file, '--no-wait'], { cwd: ROOT })).stdout;
  const connectorId = (keyFile: string) => JSON.parse(readFileSync(keyFile.replace(/\.json$/, '.registration.json'), 'utf8')).connectorId as string;

  beforeAll(async () => {
    ({ hub, db, csrf } = await startHubWithResident({ database: 'vendor_manual', agent, links: { 'demo-cashless': 'C-0001' } }));
    internalApi = await new FakeService().start();
    // The internal API of section 5: the notices under /notices, each with sentOn and title (and
    // more the connector must not pass on).
    internalApi.routes.set('/internal/v1/residents/M-0001/notices', {
      body: { notices: [{ sentOn: japanDate(-2), title: '血圧の薬の飲み忘れにご注意ください', pharmacy: '鳥取駅前薬局', prescriptionId: 'RX-99' }] },
    });
    city = new AdminClient(hub.url, 'admin-tottori-city', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
    pref = new AdminClient(hub.url, 'admin-tottori-pref', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
    for (const admin of [city, pref]) expect((await admin.signIn()).status).toBe(303);
  }, 90_000);

  afterAll(() => tearDown({ connectors: [medication, cashless], hub, db, others: [internalApi], dir }));

  it('the manual\'s examples are one valid connector configuration of 鳥取市\'s medication notices', () => {
    expect(base).toMatchObject({ version: 1, tenant: 'tottori-city', service: { clientId: 'tottori-city-medication' } });
    expect(offer.code).toBe('tottori-city.medication-notices');
    expect(use.items.map((i: Json) => i.code)).toEqual([offer.code]);
  });

  it('step 1 (section 0): 鳥取市\'s admin registers the service and gets its client secret', async () => {
    const res = await city.json('POST', '/admin/services', {
      clientId: base.service.clientId, nameJa: '鳥取市 服薬のお知らせ', nameEn: 'Tottori City medication notices', redirectUris: 'https://medication.city.tottori.example.jp/auth/callback', authMethod: 'client_secret_basic',
    });
    expect(res.status).toBe(201);
    expect(res.body.clientSecret).toEqual(expect.any(String));
  });

  it('steps 4–5 (sections 4–6): both connectors registered with the CLI, approved by their admins, the offer published', async () => {
    const port = await freePort();
    const medicationFile = join(dir, 'tottori-city-medication.yaml.json');
    const keyFile = join(dir, 'keys', 'medication.keys.json');
    // The manual's example with this machine's addresses: nothing else changes.
    writeFileSync(medicationFile, JSON.stringify({
      ...base, ...offers, service: { ...base.service, url: internalApi.url }, hub: { url: hub.url }, listen: { host: '127.0.0.1', port },
      publicUrl: `http://127.0.0.1:${port}`, keys: { file: keyFile },
    }));
    expect(await register(medicationFile)).toContain('pending');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    // The cashless base adds the manual's dataUses example to its shipped file.
    const cashlessPort = await freePort();
    const { source: _s, hub: _h, keys: _k, ...shipped } = loadConnectorConfigFile(join(ROOT, 'connector-configs', 'cashless.yaml'));
    const cashlessFile = join(dir, 'cashless.json');
    const cashlessKeys = join(dir, 'keys', 'cashless.keys.json');
    writeFileSync(cashlessFile, JSON.stringify({
      ...shipped, dataUses: [...shipped.dataUses, ...dataUses.dataUses], service: { ...shipped.service, timeoutMs: 2000 }, hub: { url: hub.url },
      listen: { host: '127.0.0.1', port: cashlessPort }, publicUrl: `http://127.0.0.1:${cashlessPort}`, keys: { file: cashlessKeys },
    }));
    expect(await register(cashlessFile)).toContain('pending');

    for (const [admin, key] of [[city, keyFile], [pref, cashlessKeys]] as const) {
      expect((await admin.post(`/admin/connectors/${connectorId(key)}/approve`)).status).toBe(303);
    }
    const env = { CONNECTOR_SDK_TOKEN: sdkToken, CONNECTOR_SERVICE_TOKEN: serviceToken };
    [medication, cashless] = await Promise.all([
      startApp('apps/connector/src/main.js', { ...env, CONNECTOR_CONFIG: medicationFile }, port),
      startApp('apps/connector/src/main.js', { ...env, CONNECTOR_CONFIG: cashlessFile }, cashlessPort),
    ]);
    // The offer arrived as a draft; 鳥取市's admin publishes it.
    const draft = await city.json('GET', `/admin/offers/${offer.code}`);
    expect(draft.status).toBe(200);
    expect((await city.json('POST', `/admin/offers/${offer.code}/versions/1/activate`)).status).toBeLessThan(300);
  }, 120_000);

  it('step 5 (section 6): the prefecture writes the data use, 鳥取市 approves the request', async () => {
    const consumer = (await db.query(`SELECT id FROM services WHERE client_id = 'demo-cashless'`)).rows[0].id;
    const created = await pref.json('POST', '/admin/data-uses', {
      code: use.code, consumerServiceId: consumer, titleJa: '服薬のリマインダー', titleEn: 'Medication reminders', purposeCode: use.purpose,
      purposeCategory: 'ServiceProvision', purposeJa: '鳥取市からの服薬のお知らせを、キャッシュレス決済アプリでもお知らせします。', purposeEn: 'Shows the city\'s medication notices in the cashless app too.',
      items: [offer.code], retentionDays: '30', consentValidDays: '365', controllerNameJa: '鳥取県', controllerNameEn: 'Tottori Prefecture',
      controllerContact: 'cashless@pref.tottori.example.jp', controllerType: 'public', privacyNoticeUrl: 'https://cashless.example.jp/privacy',
    });
    expect(created).toMatchObject({ status: 201 });
    const agreement = (await city.json('GET', '/admin/agreements')).body.incoming.find((a: Json) => a.data_use_code === use.code);
    expect((await city.json('POST', `/admin/agreements/${agreement.id}/approve`, {})).status).toBeLessThan(300);
  });

  it('steps 6–7 (section 7): once the resident consents, the SDK call of the manual gets the notices, and nothing more', async () => {
    // The resident linked both accounts (section 3's link API: tested in links.e2e-spec.ts).
    await db.query(`INSERT INTO service_links (tenant_id, service_id, resident_id, local_id)
      SELECT s.tenant_id, s.id, r.id, 'M-0001' FROM services s, residents r WHERE s.client_id = $1 AND r.login_id = 'tottori.taro'`, [base.service.clientId]);
    const connector = new ConnectorClient({ baseUrl: cashless.url, token: sdkToken });
    const ask = () => connector.request({ localId: 'C-0001', dataUse: use.code, purpose: use.purpose, items: [offer.code], consentedOnly: true });
    await expect(ask()).rejects.toMatchObject({ code: 'consent_required' });
    await expect(ask()).rejects.toBeInstanceOf(ConnectorSdkError);
    expect((await portal('POST', '/api/v1/portal/consents', { dataUse: use.code, items: [offer.code], expectedVersion: 0 })).status).toBe(201);
    const res = await ask();
    expect(res.items[offer.code]).toEqual([{ date: japanDate(-2), title: '血圧の薬の飲み忘れにご注意ください' }]);
    expect(res.notConsented).toEqual([]);
    // The internal API was called with the connector's service token, for the provider's own ID of the resident.
    const call = internalApi.requests.find((r) => r.url.pathname === '/internal/v1/residents/M-0001/notices')!;
    expect(call.authorization).toBe(`Bearer ${serviceToken}`);
    expect(call.url.searchParams.get('from')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
