import { createClientAssertion } from '@tsunagu/contracts';
import { createTestDatabase } from '@tsunagu/testing';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../apps/hub/src/backoffice/auth/admin-demo-seed';
import { generateConnectorKeyFile, keysFromFile, type ConnectorKeys } from '../apps/connector/src/keys/connector-keys';
import { AdminClient, field, sql } from './admin-support';
import { type AppProcess, freePort, startApp } from './support/processes';

const steps = { type: 'array', maxItems: 90, items: { type: 'object', required: ['date', 'steps'], additionalProperties: false, properties: { date: { type: 'string', format: 'date' }, steps: { type: 'integer', minimum: 0 } } } };

/**
 * Data offers end to end on the real hub: a pending connector publishes its offers
 * (`PUT /connect/v1/offers`), the provider tenant's admin reviews, publishes, changes and
 * withdraws them on the 提供データ screens; another tenant sees none of it.
 */
describe('Data offers: connector publication and the admin screens (e2e)', () => {
  let hub: AppProcess;
  let databaseUrl: string;
  let A: AdminClient; // 三朝町 (misasa)
  let B: AdminClient; // 倉吉市 (kurayoshi)
  let keys: ConnectorKeys;
  let connectorId = '';
  let serviceId = '';
  const query = <T = Record<string, any>>(text: string, values: unknown[] = []) => sql<T>(databaseUrl, text, values); // eslint-disable-line @typescript-eslint/no-explicit-any

  async function publish(offers: unknown[]): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const assertion = await createClientAssertion({ privateKey: keys.signing.privateKey, kid: keys.signing.kid, subject: connectorId, audience: hub.url });
    const res = await fetch(`${hub.url}/connect/v1/offers`, {
      method: 'PUT', headers: { authorization: `Bearer ${assertion}`, 'content-type': 'application/json' }, body: JSON.stringify({ offers }),
    });
    return { status: res.status, body: await res.json() };
  }
  const offer = (code: string, over: Record<string, unknown> = {}) => ({
    code, name: { ja: '歩いた距離', en: 'Distance walked' }, description: { ja: '日ごとの歩いた距離。', en: 'Distance walked per day.' },
    specialCare: false, schema: steps, maxWindowDays: 30, ...over,
  });

  beforeAll(async () => {
    const port = await freePort();
    databaseUrl = await createTestDatabase('offers');
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: databaseUrl, KEY_ENCRYPTION_KEY: 'd'.repeat(43),
    }, port);
    A = new AdminClient(hub.url, 'admin-misasa', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
    B = new AdminClient(hub.url, 'admin-kurayoshi', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
    for (const admin of [A, B]) expect((await admin.signIn()).status).toBe(303);
    keys = await keysFromFile(await generateConnectorKeyFile());
    const created = await A.json('POST', '/admin/services', {
      clientId: 'misasa-walk', nameJa: '三朝ウォーキング', nameEn: 'Misasa Walking', redirectUris: 'https://walk.misasa.example.jp/cb', authMethod: 'client_secret_post',
    });
    expect(created.status).toBe(201);
    const [service] = await query(`SELECT id, tenant_id FROM services WHERE client_id = 'misasa-walk'`);
    serviceId = service.id;
    connectorId = (await query(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, base_url) VALUES ($1, $2, 'walk-connector', $3, 'https://c.misasa.example.jp') RETURNING id`,
      [service.tenant_id, service.id, JSON.stringify(keys.signing.publicJwk)]))[0].id;
  }, 90_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it('lets a pending connector publish drafts, and refuses bad offers with typed errors, writing nothing', async () => {
    const ok = await publish([offer('misasa-walk.distance')]);
    expect(ok).toEqual({ status: 200, body: { offers: [{ code: 'misasa-walk.distance', outcome: 'created', version: 1 }] } });
    expect((await publish([offer('misasa-walk.distance')])).body.offers[0].outcome).toBe('unchanged');
    const bad: [unknown[], number, string][] = [
      [[offer('misasa-walk.html', { name: { ja: '<img src=x>', en: 'x' } })], 400, 'invalid_request'],
      [[offer('misasa-walk.schema', { schema: { type: 'object', properties: { a: { type: 'strnig' } } } })], 400, 'invalid_offer_schema'],
      [[offer('misasa-walk.ok'), offer('cashless.points-balance')], 409, 'offer_code_taken'],
    ];
    for (const [offers, status, code] of bad) {
      const res = await publish(offers);
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status, code });
    }
    expect(await query(`SELECT code FROM data_offers WHERE code LIKE 'misasa-walk.%' ORDER BY code`)).toEqual([{ code: 'misasa-walk.distance' }]);
    const [audit] = await query(`SELECT actor_kind, actor_id FROM audit_events WHERE type = 'catalog.offer_published' AND details->>'code' = 'misasa-walk.distance'`);
    expect(audit).toEqual({ actor_kind: 'connector', actor_id: connectorId });
  });

  it('shows the draft to the provider tenant\'s admin in words, and publishes it', async () => {
    const list = await (await A.get('/admin/offers')).text();
    expect(list).toContain('歩いた距離');
    expect(list).toContain('下書き（未公開）');
    expect(list).toContain('walk-connector');
    const detail = await (await A.get('/admin/offers/misasa-walk.distance')).text();
    expect(detail).toContain('<pre data-testid="offer-schema">');
    expect(detail).toContain('コネクタの設定');
    const activate = await A.post('/admin/offers/misasa-walk.distance/versions/1/activate');
    expect(activate.status).toBe(303);
    const published = await (await A.get('/admin/offers/misasa-walk.distance?done=activated')).text();
    expect(published).toContain('下書きを公開しました。');
    expect(published).toContain('data-status="active"');
    expect((await query(`SELECT status, version, active FROM data_offers WHERE code = 'misasa-walk.distance'`))[0]).toEqual({ status: 'active', version: 1, active: true });
    const again = await A.json('POST', '/admin/offers/misasa-walk.distance/versions/1/activate');
    expect({ status: again.status, code: again.body.error?.code }).toEqual({ status: 409, code: 'offer_transition_invalid' });
  });

  it('adds an offer from the form, saying in words what is wrong with a schema that is not JSON', async () => {
    const form = { code: 'misasa-walk.sleep', serviceId, nameJa: '睡眠時間', nameEn: 'Sleep', descriptionJa: '日ごとの睡眠時間。', descriptionEn: 'Hours slept per day.', maxWindowDays: '30', schema: '{"type": "object",' };
    const refused = await A.post('/admin/offers', form);
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain('data-error-code="invalid_offer_schema"');
    expect(page).toContain('JSON として読めません');
    expect(page).toContain('睡眠時間'); // what was typed is kept
    const html = await A.json('POST', '/admin/offers', { ...form, nameJa: '<b>睡眠</b>', schema: '{"type":"object"}' });
    expect({ status: html.status, code: html.body.error?.code }).toEqual({ status: 400, code: 'invalid_request' });
    const created = await A.post('/admin/offers', { ...form, schema: '{"type":"object","required":["hours"],"properties":{"hours":{"type":"number"}}}', specialCare: 'on' });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/admin/offers/misasa-walk.sleep?done=created');
    expect((await query(`SELECT status, special_care, max_window_days FROM data_offers WHERE code = 'misasa-walk.sleep'`))[0]).toEqual({ status: 'draft', special_care: true, max_window_days: 30 });
    const edit = await (await A.get('/admin/offers/misasa-walk.distance/edit')).text();
    expect(field(edit, 'csrf')).toBeTruthy();
    const changed = await A.post('/admin/offers/misasa-walk.distance/versions', {
      nameJa: '歩いた距離（km）', nameEn: 'Distance walked (km)', descriptionJa: '日ごとの歩いた距離。', descriptionEn: 'Distance walked per day.', maxWindowDays: '30', schema: JSON.stringify(steps),
    });
    expect(changed.headers.get('location')).toBe('/admin/offers/misasa-walk.distance?done=new_version');
  });

  it('withdraws only through the confirmation page and with a reason', async () => {
    const confirm = await (await A.get('/admin/offers/misasa-walk.distance/withdraw')).text();
    expect(confirm).toContain('name="reason" maxlength="500" required');
    expect((await A.post('/admin/offers/misasa-walk.distance/withdraw', { reason: 'x' })).status).toBe(400);
    const noReason = await A.json('POST', '/admin/offers/misasa-walk.distance/withdraw', { confirm: 'withdraw', reason: ' ' });
    expect({ status: noReason.status, code: noReason.body.error?.code }).toEqual({ status: 400, code: 'reason_required' });
    await query(`INSERT INTO data_uses (tenant_id, service_id, code, title_ja, title_en, purpose_code, purpose_ja, purpose_en, items, retention_days,
        controller_name_ja, controller_name_en, controller_contact, privacy_notice_url)
      SELECT tenant_id, id, 'misasa-walk.walk-points', 't', 't', 'p', 'p', 'p', '{misasa-walk.distance}', 30, 'c', 'c', 'c', 'https://walk.misasa.example.jp/privacy'
      FROM services WHERE id = $1`, [serviceId]);
    const done = await A.post('/admin/offers/misasa-walk.distance/withdraw', { confirm: 'withdraw', reason: '計測を終了したため' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/admin/offers/misasa-walk.distance?done=paused');
    const [audit] = await query(`SELECT details FROM audit_events WHERE type = 'admin.change' AND details->>'action' = 'offer.withdraw'`);
    expect(audit.details).toMatchObject({ code: 'misasa-walk.distance', reason: '計測を終了したため', dataUses: 1 });
    const detail = await A.json('GET', '/admin/offers/misasa-walk.distance');
    expect(detail.body).toMatchObject({ status: 'withdrawn', draftVersion: null });
    expect(detail.body.versions.map((v: { state: string }) => v.state)).toEqual(['discarded', 'active']);
    // A connector publishing it again changes nothing.
    const republished = await publish([offer('misasa-walk.distance', { name: { ja: '再び', en: 'Back' } })]);
    expect(republished).toEqual({ status: 200, body: { offers: [{ code: 'misasa-walk.distance', outcome: 'unchanged', version: 1 }] } });
  });

  it('shows another tenant none of it: not found on every offer route, and not in its list', async () => {
    expect(await (await B.get('/admin/offers')).text()).not.toContain('misasa-walk');
    for (const path of ['/admin/offers/misasa-walk.sleep', '/admin/offers/misasa-walk.sleep/edit', '/admin/offers/misasa-walk.sleep/withdraw']) {
      expect({ path, status: (await B.get(path)).status }).toEqual({ path, status: 404 });
    }
    for (const path of ['/admin/offers/misasa-walk.sleep/versions/1/activate', '/admin/offers/misasa-walk.sleep/versions']) {
      expect({ path, status: (await B.post(path, { confirm: 'withdraw', reason: 'x' })).status }).toEqual({ path, status: 404 });
    }
    expect((await query(`SELECT status FROM data_offers WHERE code = 'misasa-walk.sleep'`))[0].status).toBe('draft');
  });
});
