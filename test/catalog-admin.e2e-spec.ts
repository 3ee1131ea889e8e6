import { createTestDatabase } from '@tsunagu/testing';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../apps/hub/src/backoffice/auth/admin-demo-seed';
import { AdminClient, sql } from './admin-support';
import { PortalResident } from './support/portal-resident';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * The data use (データ利用) and agreement (利用申請) screens and their JSON API against the real hub
 * process and PostgreSQL, with the demo seed: 倉吉市 (B) writes a data use over 三朝町's (A)
 * offers, A approves, suspends, resumes and retires; 鳥取市 (C) sees none of it. Bad input is
 * refused with its typed code and writes nothing; the consumer cannot decide.
 */
describe('Data uses and agreements in the admin screens (e2e)', () => {
  let hub: AppProcess;
  let databaseUrl: string;
  let A: AdminClient; // 三朝町 (misasa): provides misasa-health.*
  let B: AdminClient; // 倉吉市 (kurayoshi): asks for them
  let C: AdminClient; // 鳥取市 (tottori-city): a stranger to both
  let taro: PortalResident; // a resident who consents to B's data use
  const ids: Record<string, string> = {};
  const query = <T = Record<string, any>>(text: string, values: unknown[] = []) => sql<T>(databaseUrl, text, values); // eslint-disable-line @typescript-eslint/no-explicit-any

  /** A valid data use form of B's library service; `over` replaces fields. */
  const form = (over: Record<string, string | string[] | undefined> = {}): Record<string, string | string[]> => {
    const base: Record<string, string | string[] | undefined> = {
      code: 'kurayoshi-library.walking-points', consumerServiceId: ids.serviceB, titleJa: '歩いて図書館ポイント', titleEn: 'Walk-to-the-library points',
      purposeCode: 'walking-points', purposeCategory: 'PersonalisedBenefits', purposeJa: '毎日の歩数に応じて、図書館で使えるポイントを付与します。',
      purposeEn: 'Gives points usable at the library for daily steps.', items: ['misasa-health.daily-steps', 'misasa-health.checkup-summary'], retentionDays: '90',
      consentValidDays: '365', controllerNameJa: '倉吉市教育委員会', controllerNameEn: 'Kurayoshi City Board of Education', controllerContact: 'library@city.kurayoshi.example.jp',
      controllerType: 'public', privacyNoticeUrl: 'https://library.kurayoshi.example.jp/privacy', ...over,
    };
    return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as Record<string, string | string[]>;
  };

  /** A browser form post (fields repeated for arrays, as checkboxes send them). */
  const postForm = (admin: AdminClient, path: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams({ csrf: admin.csrf });
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return admin.agent.request(`${hub.url}${path}`, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  };

  const counts = async () => (await query(`SELECT (SELECT count(*)::int FROM data_uses) AS uses, (SELECT count(*)::int FROM data_use_revisions) AS revisions,
    (SELECT count(*)::int FROM data_agreements) AS agreements, (SELECT count(*)::int FROM data_agreement_events) AS events`))[0];
  /** The current state of each of the resident's consents to B's first data use. */
  const consentStates = async () => (await query(`SELECT c.state FROM consents c JOIN data_uses u ON u.id = c.data_use_id
    WHERE u.code = 'kurayoshi-library.walking-points' AND c.superseded_at IS NULL`)).map((r) => r.state);
  const agreementOf = async (useId: string, providerTenantId: string) =>
    (await query(`SELECT id, state, items, requested_items, reason FROM data_agreements WHERE data_use_id = $1 AND provider_tenant_id = $2`, [useId, providerTenantId]))[0];

  beforeAll(async () => {
    const port = await freePort();
    databaseUrl = await createTestDatabase('catalog_admin');
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: databaseUrl, KEY_ENCRYPTION_KEY: 'c'.repeat(43), THROTTLE_ADDRESS_SIGN_INS_PER_MINUTE: '1000',
    }, port);
    A = new AdminClient(hub.url, 'admin-misasa', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
    B = new AdminClient(hub.url, 'admin-kurayoshi', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
    C = new AdminClient(hub.url, 'admin-tottori-city', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
    for (const admin of [A, B, C]) expect((await admin.signIn()).status).toBe(303);
    taro = await new PortalResident(hub.url).signIn('tottori.taro');
    for (const [key, code] of [['tenantA', 'misasa'], ['tenantB', 'kurayoshi'], ['tenantPref', 'tottori-pref']]) {
      ids[key] = (await query(`SELECT id FROM tenants WHERE code = $1`, [code]))[0].id;
    }
    const created = await B.json('POST', '/admin/services', {
      clientId: 'kurayoshi-library', nameJa: '倉吉市立図書館', nameEn: 'Kurayoshi City Library', redirectUris: 'https://library.kurayoshi.example.jp/cb', authMethod: 'client_secret_post',
    });
    expect(created.status).toBe(201);
    ids.serviceB = created.body.id;
    ids.serviceA = (await query(`SELECT id FROM services WHERE client_id = 'demo-misasa-health'`))[0].id;
  }, 90_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it('shows the form with the tenant\'s own services and every tenant\'s published offers, 要配慮 marked', async () => {
    const res = await B.get('/admin/data-uses/new');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(`<option value="${ids.serviceB}"`);
    expect(page).not.toContain(`<option value="${ids.serviceA}"`);
    expect(page).toContain('value="misasa-health.daily-steps"');
    expect(page).toContain('value="cashless.points-balance"');
    expect(page).toMatch(/三朝町 — 三朝温泉ヘルスケアアプリ/);
    expect(page).toContain('要配慮個人情報');
    expect(page).toContain('個人情報の保護に関する法律第69条第2項第1号');
    const json = await B.json('GET', '/admin/data-uses/new');
    expect(json.body.consumers.map((s: { id: string }) => s.id)).toEqual([ids.serviceB]);
  });

  it('refuses bad input with its typed code and writes nothing', async () => {
    const before = await counts();
    const cases: [Record<string, string | string[]>, number, string][] = [
      [form({ items: ['misasa-health.no-such-item'] }), 400, 'item_not_offered'],
      [form({ items: undefined }), 400, 'invalid_request'],
      [form({ retentionDays: '0' }), 400, 'invalid_request'],
      [form({ retentionDays: '99999' }), 400, 'invalid_request'],
      [form({ retentionDays: '5000' }), 400, 'invalid_request'],
      [form({ titleJa: '<b>太字</b>の名称' }), 400, 'invalid_request'],
      [form({ purposeJa: 'ポイント<script>alert(1)</script>' }), 400, 'invalid_request'],
      [form({ consumerServiceId: ids.serviceA }), 400, 'consumer_service_invalid'],
      [form({ consumerServiceId: 'not-a-uuid' }), 400, 'invalid_request'],
      [form({ controllerType: 'church' }), 400, 'invalid_request'],
      [{ ...form(), extra: 'x' }, 400, 'invalid_request'],
    ];
    for (const [body, status, code] of cases) {
      const res = await B.json('POST', '/admin/data-uses', body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status, code });
    }
    // The page shows the form again: the typed error, what was typed, the boxes still ticked.
    const res = await postForm(B, '/admin/data-uses', form({ titleJa: '<b>太字</b>' }));
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('data-error-code="invalid_request"');
    expect(page).toContain('「名称（日本語）」の形式が正しくありません。');
    expect(page).toContain('value="&lt;b&gt;太字&lt;/b&gt;"');
    expect(page).toMatch(/value="misasa-health\.daily-steps" checked/);
    expect(page).toContain('value="walking-points"');
    const unknown = await postForm(B, '/admin/data-uses', form({ items: 'misasa-health.no-such-item' }));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('data-error-code="item_not_offered"');
    expect(await counts()).toEqual(before);
  });

  it('writes a data use over another tenant\'s offers and asks that tenant to approve', async () => {
    const res = await postForm(B, '/admin/data-uses', form());
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/admin\/data-uses\/[0-9a-f-]{36}\?done=created$/);
    ids.use = location.split('/')[3].split('?')[0];
    const page = await (await B.get(location)).text();
    expect(page).toContain('提供元のテナントに承認を依頼しました');
    expect(page).toContain('歩いて図書館ポイント');
    expect(page).toContain('提供元の承認待ち');
    expect(page).toContain('毎日の歩数');
    const agreement = await agreementOf(ids.use, ids.tenantA);
    expect(agreement).toMatchObject({ state: 'pending', items: [], requested_items: ['misasa-health.daily-steps', 'misasa-health.checkup-summary'] });
    ids.agreement = agreement.id;
    const [audit] = await query(`SELECT details FROM audit_events WHERE type = 'admin.change' AND subject = $1`, [ids.use]);
    expect(audit.details.action).toBe('data_use.create');

    // JSON: the same, answered 201 with where it is and which agreements wait.
    const second = await B.json('POST', '/admin/data-uses', form({ code: 'kurayoshi-library.onsen-reading', titleJa: '温泉と読書', titleEn: 'Onsen and reading', items: 'misasa-health.onsen-visits' }));
    expect(second.status).toBe(201);
    expect(second.location).toBe(`/admin/data-uses/${second.body.id}`);
    expect(second.body.pendingAgreements).toHaveLength(1);
    ids.use2 = second.body.id;
    ids.agreement2 = second.body.pendingAgreements[0];
    const taken = await B.json('POST', '/admin/data-uses', form());
    expect(taken).toMatchObject({ status: 409, body: { error: { code: 'data_use_code_taken' } } });

    const list = await (await B.get('/admin/data-uses')).text();
    expect(list).toContain(`href="/admin/data-uses/${ids.use}"`);
    expect(list).toContain('倉吉市立図書館');
    expect((await B.json('GET', '/admin/data-uses')).body.dataUses).toHaveLength(2);
  });

  it('shows the provider the incoming requests, pending first, with a dashboard tile', async () => {
    const dashboard = await (await A.get('/admin')).text();
    expect(dashboard).toMatch(/data-tile="agreements-pending"><span class="figure">2<\/span><a href="\/admin\/agreements">/);
    const page = await (await A.get('/admin/agreements')).text();
    expect(page).toContain('data-testid="incoming"');
    expect(page).toContain(`href="/admin/agreements/${ids.agreement}"`);
    expect(page).toContain('倉吉市');
    expect(page).toContain('毎日の歩数に応じて');
    expect(page).toContain('90日');
    expect(page).toContain('承認待ち');
    // The demo seed's agreements (approved) come after the pending ones.
    const json = await A.json('GET', '/admin/agreements');
    const incoming = json.body.incoming.map((a: { id: string; state: string }) => [a.id, a.state]);
    expect(incoming.slice(0, 2).map(([id]: string[]) => id).sort()).toEqual([ids.agreement, ids.agreement2].sort());
    expect(incoming.slice(2).every(([, state]: string[]) => state !== 'pending')).toBe(true);
    expect(json.body.outgoing.map((a: { id: string }) => a.id)).not.toContain(ids.agreement);
    expect((await B.json('GET', '/admin/agreements')).body.outgoing).toHaveLength(2);

    const detail = await (await A.get(`/admin/agreements/${ids.agreement}`)).text();
    expect(detail).toContain('data-testid="decide-approve"');
    expect(detail).toContain('data-testid="decide-reject"');
    expect(detail).toContain('承認を依頼');
    // The consumer reads the same agreement, without any button.
    const consumer = await (await B.get(`/admin/agreements/${ids.agreement}`)).text();
    expect(consumer).toContain('data-testid="consumer-view"');
    expect(consumer).not.toContain('data-testid="decide-');
  });

  it('lets neither the consumer nor a third tenant decide, and hides everything from the third tenant', async () => {
    const before = await counts();
    for (const action of ['approve', 'reject', 'suspend', 'resume']) {
      expect((await B.json('POST', `/admin/agreements/${ids.agreement}/${action}`, { reason: 'x' })).status).toBe(404);
      expect((await postForm(B, `/admin/agreements/${ids.agreement}/${action}`, { reason: 'x' })).status).toBe(404);
      expect((await C.json('POST', `/admin/agreements/${ids.agreement}/${action}`, { reason: 'x' })).status).toBe(404);
    }
    expect((await B.json('POST', `/admin/agreements/${ids.agreement}/retire`, { confirm: 'retire', reason: 'x' })).status).toBe(404);
    const consumerConfirm = await B.get(`/admin/agreements/${ids.agreement}/retire`);
    expect(consumerConfirm.status).toBe(200);
    const consumerPage = await consumerConfirm.text();
    expect(consumerPage).toContain('data-testid="confirm-blocked"');
    expect(consumerPage).not.toContain('data-testid="confirm-button"');
    for (const path of [`/admin/agreements/${ids.agreement}`, `/admin/agreements/${ids.agreement}/retire`, `/admin/data-uses/${ids.use}`, `/admin/data-uses/${ids.use}/edit`, `/admin/data-uses/${ids.use}/retire`]) {
      const res = await C.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(await res.text()).not.toContain('歩いて図書館');
    }
    expect((await C.json('POST', `/admin/data-uses/${ids.use}`, form())).status).toBe(404);
    expect((await C.json('POST', `/admin/data-uses/${ids.use}/retire`, { confirm: 'retire', reason: 'x' })).status).toBe(404);
    // The provider reads the agreement, not the consumer's data use page.
    expect((await A.get(`/admin/data-uses/${ids.use}`)).status).toBe(404);
    const lists = [await (await C.get('/admin/agreements')).text(), await (await C.get('/admin/data-uses')).text()];
    for (const page of lists) expect(page).not.toContain('歩いて図書館');
    expect(await counts()).toEqual(before);
    expect((await agreementOf(ids.use, ids.tenantA)).state).toBe('pending');
  });

  it('approves once: approving twice is agreement_transition_invalid, nothing changed', async () => {
    const res = await postForm(A, `/admin/agreements/${ids.agreement}/approve`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/admin/agreements/${ids.agreement}?done=approved`);
    expect(await agreementOf(ids.use, ids.tenantA)).toMatchObject({ state: 'approved', items: ['misasa-health.daily-steps', 'misasa-health.checkup-summary'] });
    const events = (await counts()).events;
    const twice = await A.json('POST', `/admin/agreements/${ids.agreement}/approve`, {});
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'agreement_transition_invalid' } } });
    const page = await postForm(A, `/admin/agreements/${ids.agreement}/approve`, {});
    expect(page.status).toBe(409);
    expect(await page.text()).toContain('data-error-code="agreement_transition_invalid"');
    expect((await counts()).events).toBe(events);
    const use = await (await B.get(`/admin/data-uses/${ids.use}`)).text();
    expect(use).toContain('案内中（すべての提供元が承認済み）');
    expect(use).toContain('承認済み');
    // Approved by every provider: residents may consent now.
    expect((await taro.api('POST', '/api/v1/portal/consents', { dataUse: 'kurayoshi-library.walking-points', items: ['misasa-health.daily-steps'] })).status).toBe(201);
    expect(await consentStates()).toEqual(['active']);
  });

  it('rejects only with a reason', async () => {
    expect((await A.json('POST', `/admin/agreements/${ids.agreement2}/reject`, {})).body.error.code).toBe('reason_required');
    const page = await postForm(A, `/admin/agreements/${ids.agreement2}/reject`, { reason: '  ' });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('data-error-code="reason_required"');
    expect((await A.json('POST', `/admin/agreements/${ids.agreement2}/reject`, { reason: '<b>x</b>'.repeat(100) })).status).toBe(400);
    const ok = await A.json('POST', `/admin/agreements/${ids.agreement2}/reject`, { reason: '健康診断の結果は提供していません。' });
    expect(ok).toMatchObject({ status: 200, body: { state: 'rejected' } });
    const consumer = await (await B.get(`/admin/agreements/${ids.agreement2}`)).text();
    expect(consumer).toContain('健康診断の結果は提供していません。');
    expect(consumer).toContain('却下');
  });

  it('changes a data use as a new revision: the diff, who, whether residents are asked again, providers asked for added items', async () => {
    const edit = await B.get(`/admin/data-uses/${ids.use}/edit`);
    expect(edit.status).toBe(200);
    const editPage = await edit.text();
    expect(editPage).toContain('value="歩いて図書館ポイント"');
    expect(editPage).toMatch(/value="misasa-health\.checkup-summary" checked/);
    // Bad input on the edit form: the form again with the typed error, nothing changed.
    const before = await counts();
    const bad = await postForm(B, `/admin/data-uses/${ids.use}`, { ...form({ retentionDays: '0' }), code: [], consumerServiceId: [] });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('data-error-code="invalid_request"');
    expect(await counts()).toEqual(before);

    const { code: _code, consumerServiceId: _service, ...terms } = form();
    const res = await postForm(B, `/admin/data-uses/${ids.use}`, { ...terms, purposeJa: '毎日の歩数と温泉の利用に応じて、図書館で使えるポイントを付与します。', items: ['misasa-health.daily-steps', 'misasa-health.checkup-summary', 'cashless.points-balance'] });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('変更を保存しました（改訂 2）');
    expect(page).toContain('県民の方の同意 1件を一時停止しました');
    expect(page).toContain('次の提供元の承認を待っています: 鳥取県');
    expect(page).toContain('<del>毎日の歩数に応じて、図書館で使えるポイントを付与します。</del>');
    expect(page).toContain('追加した項目');
    expect(page).toContain('もう一度お願いした');
    expect(page).toContain('admin-kurayoshi');
    expect(await agreementOf(ids.use, ids.tenantPref)).toMatchObject({ state: 'pending', requested_items: ['cashless.points-balance'] });
    expect((await agreementOf(ids.use, ids.tenantA)).state).toBe('approved');

    // Narrowing the items keeps consents: a revision that does not ask residents again.
    const narrowed = await B.json('POST', `/admin/data-uses/${ids.use}`, { ...terms, purposeJa: '毎日の歩数と温泉の利用に応じて、図書館で使えるポイントを付与します。', items: ['misasa-health.daily-steps', 'misasa-health.checkup-summary'] });
    expect(narrowed).toMatchObject({ status: 200, body: { revision: 3, needsConsent: false, paused: 0, revised: true } });
    const same = await B.json('POST', `/admin/data-uses/${ids.use}`, { ...terms, purposeJa: '毎日の歩数と温泉の利用に応じて、図書館で使えるポイントを付与します。', items: ['misasa-health.daily-steps', 'misasa-health.checkup-summary'] });
    expect(same.body).toMatchObject({ revision: 3, revised: false });
    const detail = await B.json('GET', `/admin/data-uses/${ids.use}`);
    expect(detail.body.revisions.map((r: { revision: number; needs_consent: boolean }) => [r.revision, r.needs_consent])).toEqual([[3, false], [2, true], [1, true]]);
    // The provider sees the same revisions on the agreement's page: how the terms it approved changed.
    const providerView = await (await A.get(`/admin/agreements/${ids.agreement}`)).text();
    expect(providerView).toContain('データ利用の条件の改訂');
    expect(providerView).toContain('毎日の歩数と温泉の利用に応じて、図書館で使えるポイントを付与します。');
    expect(await consentStates()).toEqual(['paused']);
    // The resident agrees to the new terms.
    expect((await taro.api('POST', '/api/v1/portal/consents', { dataUse: 'kurayoshi-library.walking-points', items: ['misasa-health.daily-steps'] })).status).toBe(201);
    expect(await consentStates()).toEqual(['active']);
  });

  it('suspends with a reason (grants stop, consents paused), resumes, and retires after the confirmation page', async () => {
    expect((await A.json('POST', `/admin/agreements/${ids.agreement}/suspend`, {})).body.error.code).toBe('reason_required');
    const detail = await (await A.get(`/admin/agreements/${ids.agreement}`)).text();
    expect(detail).toContain('県民の方の同意は一時停止されます');
    const suspended = await postForm(A, `/admin/agreements/${ids.agreement}/suspend`, { reason: '委託先の調査のため' });
    expect(suspended.status).toBe(200);
    const answer = await suspended.text();
    expect(answer).toContain('一時停止しました。新しい許可証はもう発行されず、県民の方の同意 1件を一時停止しました。');
    // No connector held a grant under the paused consent: enforced as soon as it was dispatched, and the page says so.
    expect(answer).toContain('これらの同意にもとづいてデータを提供していたコネクタはありませんでした');
    expect(await consentStates()).toEqual(['paused']);
    expect((await agreementOf(ids.use, ids.tenantA)).state).toBe('suspended');
    expect((await A.json('POST', `/admin/agreements/${ids.agreement}/suspend`, { reason: 'again' })).body.error.code).toBe('agreement_transition_invalid');
    expect(await A.json('POST', `/admin/agreements/${ids.agreement}/resume`, {})).toMatchObject({ status: 200, body: { state: 'approved' } });
    // Resuming leaves consents paused: the resident decides again.
    expect(await consentStates()).toEqual(['paused']);
    expect((await taro.api('POST', '/api/v1/portal/consents', { dataUse: 'kurayoshi-library.walking-points', items: ['misasa-health.daily-steps'] })).status).toBe(201);

    // Retiring cannot be undone: only through its confirmation page, and with a reason.
    const unconfirmed = await A.json('POST', `/admin/agreements/${ids.agreement}/retire`, { reason: '終了' });
    expect(unconfirmed).toMatchObject({ status: 400, body: { error: { code: 'confirmation_required' } } });
    const confirm = await A.get(`/admin/agreements/${ids.agreement}/retire`);
    expect(confirm.status).toBe(200);
    const confirmPage = await confirm.text();
    expect(confirmPage).toContain('name="confirm" value="retire"');
    expect(confirmPage).toContain('二度と再開できません');
    const noReason = await postForm(A, `/admin/agreements/${ids.agreement}/retire`, { confirm: 'retire', reason: '' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('data-testid="confirm-error"');
    expect((await agreementOf(ids.use, ids.tenantA)).state).toBe('approved');
    const retired = await postForm(A, `/admin/agreements/${ids.agreement}/retire`, { confirm: 'retire', reason: '事業の終了' });
    expect(retired.status).toBe(200);
    expect(await retired.text()).toContain('終了しました。県民の方の同意 1件を終了しました。');
    expect(await consentStates()).toEqual(['ended']);
    expect(await agreementOf(ids.use, ids.tenantA)).toMatchObject({ state: 'retired', reason: '事業の終了' });
    expect((await A.json('POST', `/admin/agreements/${ids.agreement}/resume`, {})).body.error.code).toBe('agreement_transition_invalid');
    const history = await A.json('GET', `/admin/agreements/${ids.agreement}`);
    expect(history.body.history.map((e: { action: string }) => e.action)).toEqual(['retired', 'resumed', 'suspended', 'approved', 'requested']);
    expect(history.body.history[0]).toMatchObject({ reason: '事業の終了', actor_login: 'admin-misasa', actor_tenant_name_ja: '三朝町' });
  });

  it('retires a data use through its confirmation page; a retired use cannot be changed', async () => {
    const confirm = await (await B.get(`/admin/data-uses/${ids.use2}/retire`)).text();
    expect(confirm).toContain('name="confirm" value="retire"');
    expect((await B.json('POST', `/admin/data-uses/${ids.use2}/retire`, { reason: 'x' })).body.error.code).toBe('confirmation_required');
    const noReason = await postForm(B, `/admin/data-uses/${ids.use2}/retire`, { confirm: 'retire' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('data-testid="confirm-error"');
    const res = await postForm(B, `/admin/data-uses/${ids.use2}/retire`, { confirm: 'retire', reason: '事業の見直し' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('データ利用を終了しました。県民の方の同意 0件を終了しました。');
    expect((await query(`SELECT status FROM data_uses WHERE id = $1`, [ids.use2]))[0].status).toBe('retired');
    expect((await agreementOf(ids.use2, ids.tenantA)).state).toBe('retired');

    const before = await counts();
    const { code: _code, consumerServiceId: _service, ...terms } = form();
    expect(await B.json('POST', `/admin/data-uses/${ids.use2}`, { ...terms, items: 'misasa-health.onsen-visits' })).toMatchObject({ status: 409, body: { error: { code: 'data_use_retired' } } });
    const page = await postForm(B, `/admin/data-uses/${ids.use2}`, { ...terms, items: 'misasa-health.onsen-visits' });
    expect(page.status).toBe(409);
    expect(await page.text()).toContain('data-error-code="data_use_retired"');
    expect((await B.get(`/admin/data-uses/${ids.use2}/edit`)).status).toBe(409);
    expect((await B.json('POST', `/admin/data-uses/${ids.use2}/retire`, { confirm: 'retire', reason: 'again' })).body.error.code).toBe('data_use_retired');
    expect(await counts()).toEqual(before);
  });

  it('speaks English with ?lang=en and keeps codes under 「詳細」', async () => {
    const page = await (await B.get(`/admin/data-uses/${ids.use}?lang=en`)).text();
    expect(page).toContain('<html lang="en"');
    expect(page).toContain('Current terms');
    expect(page).toContain('Revisions');
    const list = await (await A.get('/admin/agreements?lang=en')).text();
    expect(list).toContain('Incoming requests');
    expect(list).toMatch(/<details class="support"><summary>Details<\/summary><p>Code: <span class="mono" data-code>misasa-health\.daily-steps/);
  });
});
