import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase } from '@tsunagu/testing';
import { BrowserAgent } from '@tsunagu/testing';
import { DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET } from '../apps/hub/src/backoffice/auth/admin-demo-seed';
import { AdminClient, field, nextCode, sql, TEST_CONNECTOR_JWK, testId } from './admin-support';
import { authorize, discover } from './support/oidc-flow';
import { type AppProcess, freePort, ROOT, startApp } from './support/processes';

/**
 * The administration screens against the real hub process and PostgreSQL: admin sign-in
 * (password + TOTP, lockout, idle timeout), the network allow-lists, tenant isolation over every
 * admin route the hub reports, and the tenant and system screens' rules and bad input.
 */
describe('Tenant and system administration (e2e)', () => {
  let hub: AppProcess;
  let databaseUrl: string;
  const kek = 'c'.repeat(43);
  let A: AdminClient; // 三朝町 (misasa)
  let B: AdminClient; // 倉吉市 (kurayoshi)
  let S: AdminClient; // system admin
  const ids: Record<string, string> = {};
  const query = <T = Record<string, any>>(text: string, values: unknown[] = []) => sql<T>(databaseUrl, text, values); // eslint-disable-line @typescript-eslint/no-explicit-any
  const outside = { 'x-forwarded-for': '203.0.113.9' };

  beforeAll(async () => {
    const port = await freePort();
    databaseUrl = await createTestDatabase('admin');
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: databaseUrl, KEY_ENCRYPTION_KEY: kek,
      // The test talks from 127.0.0.1: calling it a proxy lets X-Forwarded-For play "another network".
      ADMIN_TRUSTED_PROXIES: '127.0.0.1/32', THROTTLE_ID_ATTEMPTS: '3', THROTTLE_ID_BLOCK_SECONDS: '2', THROTTLE_ADDRESS_SIGN_INS_PER_MINUTE: '1000',
    }, port);
    A = new AdminClient(hub.url, 'admin-misasa', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
    B = new AdminClient(hub.url, 'admin-kurayoshi', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
    S = new AdminClient(hub.url, 'system-admin', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
    for (const admin of [A, B, S]) expect((await admin.signIn()).status).toBe(303);
    for (const [key, code] of [['tenantA', 'misasa'], ['tenantB', 'kurayoshi'], ['tenantCity', 'tottori-city']]) {
      ids[key] = (await query(`SELECT id FROM tenants WHERE code = $1`, [code]))[0].id;
    }
  }, 90_000);
  afterAll(async () => {
    await hub?.stop();
  });

  describe('sign-in', () => {
    it('needs the password and a valid TOTP code, and says the same for every wrong input', async () => {
      const agent = new AdminClient(hub.url, 'admin-tottori-city', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
      const wrongCode = await agent.signIn({ code: '000000' });
      const wrongPassword = await agent.signIn({ password: 'not-the-password' });
      const unknown = await new AdminClient(hub.url, 'nobody-here', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET).signIn({ code: '123456' });
      for (const res of [wrongCode, wrongPassword, unknown]) {
        expect(res.status).toBe(401);
        expect(await res.text()).toContain('data-error-code="admin_invalid_credentials"');
      }
      // Residents' credentials are not admin credentials.
      const resident = await new AdminClient(hub.url, 'tottori.taro', 'tsunagu-demo-2026', DEMO_ADMIN_TOTP_SECRET).signIn();
      expect(resident.status).toBe(401);

      const ok = await agent.signIn();
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toBe('/admin');
      expect((await agent.get('/admin')).status).toBe(200);
      const rows = await query(`SELECT reason FROM audit_events WHERE type = 'auth.sign_in_failed' AND details->>'area' = 'admin' ORDER BY seq`);
      expect(rows.map((r) => r.reason)).toEqual(expect.arrayContaining(['invalid_otp', 'invalid_credentials', 'unknown_login_id']));
    });

    it('accepts each code once: a replayed code is refused', async () => {
      const [row] = await query(`SELECT totp_last_step FROM admin_accounts WHERE login_id = 'system-admin'`);
      const { totpAt } = await import('./admin-support');
      const replay = await new AdminClient(hub.url, 'system-admin', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET).signIn({ code: totpAt(DEMO_ADMIN_TOTP_SECRET, Number(row.totp_last_step)) });
      expect(replay.status).toBe(401);
    });

    it('throttles a login ID after repeated failures until the block ends (no lockout)', async () => {
      const created = await S.post(`/system/tenants/${ids.tenantCity}/admins`, { loginId: 'city-clerk', displayName: '鳥取市 職員' });
      expect(created.status).toBe(201);
      const page = await created.text();
      const password = testId(page, 'initial-password')!;
      const secret = testId(page, 'totp-secret')!;
      expect(password).toMatch(/^[A-Za-z0-9]{18}$/);
      const clerk = new AdminClient(hub.url, 'city-clerk', password, secret);
      for (let i = 0; i < 3; i++) await clerk.signIn({ password: 'wrong-password-123', code: '000000' });
      const throttled = await clerk.signIn();
      expect(throttled.status).toBe(429);
      const retryAfter = Number(throttled.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(await throttled.text()).toContain('data-error-code="too_many_attempts"');
      expect((await query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'auth.throttled' AND details->>'area' = 'admin'`))[0].n).toBe(1);

      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 200));
      expect((await clerk.signIn()).status).toBe(303);
      expect((await clerk.get('/admin')).status).toBe(200);

      // The clerk replaces the initial password; the change ends the clerk's other sessions.
      const wrongCurrent = await clerk.json('POST', '/admin/account/password', { currentPassword: 'not-the-password-2026', newPassword: 'a-new-password-2026', confirmPassword: 'a-new-password-2026' });
      expect(wrongCurrent).toMatchObject({ status: 401, body: { error: { code: 'current_password_incorrect', message: '現在のパスワードが正しくありません。' } } });
      const mismatch = await clerk.json('POST', '/admin/account/password', { currentPassword: password, newPassword: 'a-new-password-2026', confirmPassword: 'another-one-2026' });
      expect(mismatch.body.error.code).toBe('password_mismatch');
      const weak = await clerk.json('POST', '/admin/account/password', { currentPassword: password, newPassword: 'city-clerk-2026-x', confirmPassword: 'city-clerk-2026-x' });
      expect(weak.body.error.code).toBe('weak_password');
      const other = new AdminClient(hub.url, 'city-clerk', password, secret);
      expect((await other.signIn()).status).toBe(303);
      expect((await clerk.post('/admin/account/password', { currentPassword: password, newPassword: 'a-new-password-2026', confirmPassword: 'a-new-password-2026' })).status).toBe(303);
      expect((await clerk.get('/admin')).status).toBe(200);
      expect((await other.get('/admin')).status).toBe(303);
    });

    it('ends a session after the idle period, and sign-out ends it at once', async () => {
      const admin = new AdminClient(hub.url, 'admin-tottori-pref', DEMO_ADMIN_PASSWORD, DEMO_ADMIN_TOTP_SECRET);
      expect((await admin.signIn()).status).toBe(303);
      expect((await admin.get('/admin')).status).toBe(200);
      await query(`UPDATE admin_sessions SET last_seen_at = now() - interval '16 minutes' WHERE admin_id = (SELECT id FROM admin_accounts WHERE login_id = 'admin-tottori-pref')`);
      const expired = await admin.get('/admin');
      expect(expired.status).toBe(303);
      expect(expired.headers.get('location')).toBe('/admin/login?expired=1');
      expect((await admin.json('GET', '/admin/services')).body.error.code).toBe('admin_sign_in_required');

      expect((await admin.signIn()).status).toBe(303);
      expect((await admin.post('/admin/logout')).status).toBe(303);
      expect((await admin.get('/admin')).status).toBe(303);
    });

    it('refuses state changes without the CSRF token', async () => {
      const res = await A.agent.request(`${hub.url}/admin/services/new`, { form: { nothing: 'x' } });
      expect([403, 404]).toContain(res.status);
      const noToken = await A.agent.request(`${hub.url}/admin/data-uses`, { form: { consumerServiceId: '00000000-0000-0000-0000-000000000000', items: 'cashless.points-balance' } });
      expect(noToken.status).toBe(403);
      expect(await noToken.text()).toContain('admin_csrf_invalid');
    });
  });

  describe('networks', () => {
    it('answers 403 from outside the allowed networks on the sign-in page and for a signed-in admin', async () => {
      const login = await new BrowserAgent().request(`${hub.url}/admin/login`, { headers: outside });
      expect(login.status).toBe(403);
      expect(await login.text()).toContain('admin_ip_not_allowed');
      expect((await A.get('/admin', outside)).status).toBe(403);
      expect((await S.get('/system/tenants', outside)).status).toBe(403);
      // From an allowed proxy, the forwarded address decides: loopback is allowed.
      expect((await A.get('/admin', { 'x-forwarded-for': '127.0.0.1' })).status).toBe(200);
    });

    it('applies a tenant\'s network list to its admins at once, and refuses a bad CIDR without saving it', async () => {
      const bad = await S.post(`/system/tenants/${ids.tenantB}`, { nameJa: '倉吉市', nameEn: 'Kurayoshi City', kind: 'municipality', allowedCidrs: '10.0.0.0/8\n192.0.2.5/24\nnot-a-network' });
      expect(bad.status).toBe(400);
      const badPage = await bad.text();
      expect(badPage).toContain('data-error-code="invalid_cidr"');
      expect(badPage).toContain('did you mean 192.0.2.0/24?');
      expect((await query(`SELECT admin_allowed_cidrs FROM tenants WHERE id = $1`, [ids.tenantB]))[0].admin_allowed_cidrs).toEqual(['127.0.0.1/32', '::1/128']);

      expect((await S.post(`/system/tenants/${ids.tenantB}`, { nameJa: '倉吉市', nameEn: 'Kurayoshi City', kind: 'municipality', allowedCidrs: '10.0.0.0/8' })).status).toBe(303);
      expect((await B.get('/admin')).status).toBe(403);
      expect((await B.get('/admin', { 'x-forwarded-for': '10.1.2.3' })).status).toBe(200);
      expect((await A.get('/admin')).status).toBe(200);
      expect((await S.post(`/system/tenants/${ids.tenantB}`, { nameJa: '倉吉市', nameEn: 'Kurayoshi City', kind: 'municipality', allowedCidrs: '127.0.0.1/32\n::1/128' })).status).toBe(303);
      expect((await B.get('/admin')).status).toBe(200);
    });
  });

  describe('services', () => {
    it('registers a service with a secret shown once, usable by the OpenID Provider at once', async () => {
      const created = await A.json('POST', '/admin/services', {
        clientId: 'misasa-onsen-reserve', nameJa: '三朝温泉 予約', nameEn: 'Misasa onsen booking', redirectUris: 'https://reserve.misasa.example.jp/callback', authMethod: 'client_secret_basic',
        backchannelLogoutUri: 'https://reserve.misasa.example.jp/backchannel-logout',
      });
      expect(created.status).toBe(201);
      expect(created.body.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      ids.serviceA = created.body.id;
      const [row] = await query(`SELECT client_secret_enc, sector_identifier, tenant_id FROM services WHERE id = $1`, [ids.serviceA]);
      expect(row.client_secret_enc).not.toContain(created.body.clientSecret);
      expect(row.tenant_id).toBe(ids.tenantA);
      const page = await (await A.get(`/admin/services/${ids.serviceA}`)).text();
      expect(page).toContain('misasa-onsen-reserve');
      expect(page).toContain('https://reserve.misasa.example.jp/backchannel-logout');
      // The OpenID Provider knows where to send logout tokens (discovery says it supports them).
      const discovery = await (await fetch(`${hub.url}/oidc/.well-known/openid-configuration`)).json();
      expect(discovery).toMatchObject({ backchannel_logout_supported: true, backchannel_logout_session_supported: true });
      expect(page).not.toContain(created.body.clientSecret);

      const auth = new URL(`${hub.url}/oidc/auth`);
      Object.entries({ client_id: 'misasa-onsen-reserve', redirect_uri: 'https://reserve.misasa.example.jp/callback', response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeKT8TXMKTy2D8g3sQRA', code_challenge_method: 'S256' })
        .forEach(([k, v]) => auth.searchParams.set(k, v));
      const authorize = await fetch(auth, { redirect: 'manual' });
      expect(authorize.status).toBe(303);
      expect(authorize.headers.get('location')).toContain('/interaction/');

      const rotated = await A.json('POST', `/admin/services/${ids.serviceA}/secret`, { confirm: 'rotate' });
      expect(rotated.status).toBe(200);
      expect(rotated.body.clientSecret).not.toBe(created.body.clientSecret);
    });

    it('refuses bad input with a typed error and writes nothing', async () => {
      const before = (await query(`SELECT count(*)::int AS n FROM services`))[0].n;
      const cases: [Record<string, unknown>, number, string][] = [
        [{ clientId: 'x-http', nameJa: 'HTTP', nameEn: 'HTTP', redirectUris: 'http://reserve.example.jp/cb', authMethod: 'none' }, 400, 'invalid_redirect_uri'],
        [{ clientId: 'x-frag', nameJa: 'Frag', nameEn: 'Frag', redirectUris: 'https://a.example.jp/cb#x', authMethod: 'none' }, 400, 'invalid_redirect_uri'],
        [{ clientId: 'x-none', nameJa: 'None', nameEn: 'None', redirectUris: '', authMethod: 'none' }, 400, 'invalid_redirect_uri'],
        [{ clientId: 'x-bcl', nameJa: 'BCL', nameEn: 'BCL', redirectUris: 'https://a.example.jp/cb', backchannelLogoutUri: 'http://a.example.jp/bcl', authMethod: 'none' }, 400, 'invalid_redirect_uri'],
        [{ clientId: 'misasa-onsen-reserve', nameJa: '別名', nameEn: 'Other', redirectUris: 'https://a.example.jp/cb', authMethod: 'none' }, 409, 'duplicate_client_id'],
        [{ clientId: 'x-dup-name', nameJa: '三朝温泉 予約', nameEn: 'Other name', redirectUris: 'https://a.example.jp/cb', authMethod: 'none' }, 409, 'duplicate_name'],
        [{ clientId: 'x-long', nameJa: 'あ'.repeat(101), nameEn: 'Long', redirectUris: 'https://a.example.jp/cb', authMethod: 'none' }, 400, 'invalid_request'],
        [{ clientId: 'x-extra', nameJa: 'X', nameEn: 'X', redirectUris: 'https://a.example.jp/cb', authMethod: 'none', tenantId: ids.tenantB }, 400, 'invalid_request'],
        [{ clientId: 'x-jwk', nameJa: 'JWT', nameEn: 'JWT', redirectUris: 'https://a.example.jp/cb', authMethod: 'private_key_jwt', jwks: JSON.stringify({ keys: [{ ...TEST_CONNECTOR_JWK, d: 'secret' }] }) }, 400, 'invalid_jwks'],
        [{ clientId: 'BAD ID', nameJa: 'X', nameEn: 'X', redirectUris: 'https://a.example.jp/cb', authMethod: 'none' }, 400, 'invalid_request'],
      ];
      for (const [body, status, code] of cases) {
        const res = await A.json('POST', '/admin/services', body);
        expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status, code });
        expect(res.body.error.message).toBeTruthy();
        expect(res.body.error.messageEn).toBeTruthy();
      }
      expect((await query(`SELECT count(*)::int AS n FROM services`))[0].n).toBe(before);
      // A body over the hub's limit never reaches the handler.
      const huge = await A.json('POST', '/admin/services', { clientId: 'x-huge', nameJa: 'X', nameEn: 'X', authMethod: 'none', redirectUris: `https://a.example.jp/${'a'.repeat(70_000)}` });
      expect(huge.status).toBe(413);
      // http://localhost is fine outside production; private_key_jwt with a public key too.
      const local = await A.json('POST', '/admin/services', {
        clientId: 'misasa-dev', nameJa: '開発用', nameEn: 'Development', redirectUris: 'http://localhost:8080/cb', authMethod: 'private_key_jwt', jwks: JSON.stringify({ keys: [TEST_CONNECTOR_JWK] }),
      });
      expect(local.status).toBe(303);
    });

    it('refuses to delete a service with active consents, giving the count, and changes nothing', async () => {
      const [svc] = await query(`SELECT id FROM services WHERE client_id = 'demo-misasa-health'`);
      const [use] = await query(`SELECT id, tenant_id, items, purpose_code, revision FROM data_uses WHERE code = 'misasa-health.onsen-spending'`);
      const [resident] = await query(`SELECT id FROM residents WHERE login_id = 'misasa.hanako'`);
      await query(
        `INSERT INTO consents (consent_id, version, tenant_id, resident_id, data_use_id, data_use_revision, state, event, items, purpose_code, valid_from, collection_method, language, created_at)
         VALUES (gen_random_uuid(), 1, $1, $2, $3, $4, 'active', 'given', $5, $6, now(), 'system', 'ja', now())`,
        [use.tenant_id, resident.id, use.id, use.revision, use.items, use.purpose_code]);
      await query(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, status, base_url) VALUES ($1, $2, 'misasa-health-connector', $3, 'approved', 'https://connector.misasa.example.jp')`,
        [ids.tenantA, svc.id, TEST_CONNECTOR_JWK]);
      const before = await query(`SELECT s.active, s.deleted_at, c.status FROM services s JOIN connectors c ON c.service_id = s.id WHERE s.id = $1`, [svc.id]);
      const refused = await A.json('POST', `/admin/services/${svc.id}/delete`, { confirm: 'delete' });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'service_has_active_consents', details: [{ field: 'activeConsents', problem: '1' }] });
      expect(refused.body.error.message).toContain('1件');
      expect(await query(`SELECT s.active, s.deleted_at, c.status FROM services s JOIN connectors c ON c.service_id = s.id WHERE s.id = $1`, [svc.id])).toEqual(before);
    });

    it('deletes a service logically: stops it, revokes its connectors, retires its data uses, keeps its client ID reserved', async () => {
      const use = await A.json('POST', '/admin/data-uses', {
        code: 'misasa-onsen-reserve.points', consumerServiceId: ids.serviceA, titleJa: '予約ポイント', titleEn: 'Booking points', purposeCode: 'points',
        purposeCategory: 'PersonalisedBenefits', purposeJa: '予約にポイントを付けます。', purposeEn: 'Points for bookings.', items: 'cashless.points-balance', retentionDays: '30',
        consentValidDays: '', controllerNameJa: '三朝町', controllerNameEn: 'Misasa Town', controllerContact: 'info@town.misasa.example.jp', controllerType: 'public',
        privacyNoticeUrl: 'https://town.misasa.example.jp/privacy',
      });
      expect(use.status).toBe(201);
      await query(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, base_url) VALUES ($1, $2, 'reserve-connector', $3, 'https://c.reserve.example.jp')`, [ids.tenantA, ids.serviceA, TEST_CONNECTOR_JWK]);
      const res = await A.post(`/admin/services/${ids.serviceA}/delete`, { confirm: 'delete' });
      expect(res.status).toBe(303);
      const [row] = await query(`SELECT active, deleted_at, client_secret_enc FROM services WHERE id = $1`, [ids.serviceA]);
      expect(row).toMatchObject({ active: false, client_secret_enc: null });
      expect(row.deleted_at).not.toBeNull();
      expect((await query(`SELECT status FROM connectors WHERE service_id = $1`, [ids.serviceA]))[0].status).toBe('revoked');
      expect(await query(`SELECT u.status, a.state FROM data_uses u JOIN data_agreements a ON a.data_use_id = u.id WHERE u.id = $1`, [use.body.id])).toEqual([{ status: 'retired', state: 'retired' }]);
      expect((await A.get(`/admin/services/${ids.serviceA}`)).status).toBe(404);
      const again = await A.json('POST', '/admin/services', { clientId: 'misasa-onsen-reserve', nameJa: '三朝温泉 予約', nameEn: 'Misasa onsen booking', redirectUris: 'https://a.example.jp/cb', authMethod: 'none' });
      expect(again.body.error.code).toBe('duplicate_client_id');
      const audit = await query(`SELECT details FROM audit_events WHERE type = 'admin.change' AND subject = $1 ORDER BY seq`, [ids.serviceA]);
      expect(audit.map((r) => r.details.action)).toEqual(['service.create', 'service.rotate_secret', 'service.delete']);
      expect(audit[2].details).toMatchObject({ connectorsRevoked: 1, dataUsesRetired: 1 });
    });

    it('keeps the platform\'s own portal client out of tenant admins\' hands', async () => {
      const [portal] = await query(`SELECT id, tenant_id FROM services WHERE client_id = 'tsunagu-portal'`);
      expect((await S.post(`/system/tenants/${portal.tenant_id}/act`)).status).toBe(303);
      const res = await S.json('POST', `/admin/services/${portal.id}/delete`, { confirm: 'delete' });
      expect(res.body.error.code).toBe('service_managed_by_platform');
      expect((await S.post('/system/act/end')).status).toBe(303);
      expect((await query(`SELECT active FROM services WHERE id = $1`, [portal.id]))[0].active).toBe(true);
    });
  });

  describe('connectors', () => {
    it('approves, suspends, resumes and revokes, refusing impossible transitions, each audit-logged', async () => {
      const [svc] = await query(`SELECT id FROM services WHERE client_id = 'misasa-dev'`);
      const [c] = await query(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, base_url, version, last_seen_at, last_revocation_sync_at)
        VALUES ($1, $2, 'dev-connector', $3, 'http://localhost:3202', '0.3.1', now(), now() - interval '5 minutes') RETURNING id`, [ids.tenantA, svc.id, TEST_CONNECTOR_JWK]);
      const list = await (await A.get('/admin/connectors')).text();
      expect(list).toContain('data-connector="dev-connector"');
      expect(list).toContain('0.3.1');
      const status = async () => (await query(`SELECT status FROM connectors WHERE id = $1`, [c.id]))[0].status;
      expect((await A.post(`/admin/connectors/${c.id}/approve`)).status).toBe(303);
      expect(await status()).toBe('approved');
      expect((await A.json('POST', `/admin/connectors/${c.id}/approve`, {})).body.error.code).toBe('connector_transition_invalid');
      expect((await A.post(`/admin/connectors/${c.id}/suspend`, { reason: 'maintenance at the vendor' })).status).toBe(303);
      expect(await status()).toBe('suspended');
      expect((await A.post(`/admin/connectors/${c.id}/resume`)).status).toBe(303);
      // Approved, seen now, but the revocation feed was last synced 5 minutes ago: lagging.
      expect(await (await A.get(`/admin/connectors/${c.id}`)).text()).toMatch(/class="tag tag-bad">取消情報の同期遅延/);
      expect((await A.post(`/admin/connectors/${c.id}/revoke`, { confirm: 'revoke' })).status).toBe(303);
      expect((await A.json('POST', `/admin/connectors/${c.id}/resume`, {})).status).toBe(409);
      expect(await status()).toBe('revoked');
      const audit = await query(`SELECT details FROM audit_events WHERE type = 'admin.change' AND subject = $1 ORDER BY seq`, [c.id]);
      expect(audit.map((r) => r.details.action)).toEqual(['connector.approve', 'connector.suspend', 'connector.resume', 'connector.revoke']);
      expect(audit[1].details.reason).toBe('maintenance at the vendor');
    });
  });

  describe('isolation between tenants', () => {
    let routes: { method: string; path: string }[];
    const markers: string[] = [];
    const idMarkers: string[] = [];

    async function snapshotB(): Promise<unknown> {
      const [row] = await query(
        `SELECT json_build_object(
           'tenant', (SELECT row_to_json(t) FROM tenants t WHERE id = $1),
           'services', (SELECT json_agg(s ORDER BY s.id) FROM services s WHERE tenant_id = $1),
           'connectors', (SELECT json_agg(c ORDER BY c.id) FROM connectors c WHERE tenant_id = $1),
           'offers', (SELECT json_agg(o ORDER BY o.id) FROM data_offers o WHERE tenant_id = $1),
           'offerVersions', (SELECT json_agg(v ORDER BY v.id) FROM data_offer_versions v JOIN data_offers o ON o.id = v.offer_id WHERE o.tenant_id = $1),
           'dataUses', (SELECT json_agg(u ORDER BY u.id) FROM data_uses u WHERE tenant_id = $1),
           'agreements', (SELECT json_agg(a ORDER BY a.id) FROM data_agreements a WHERE consumer_tenant_id = $1 OR provider_tenant_id = $1),
           'admins', (SELECT json_agg(json_build_object('id', a.id, 'active', a.active, 'locked', a.locked_until, 'hash', a.password_hash, 'totp', a.totp_secret_enc) ORDER BY a.id) FROM admin_accounts a WHERE tenant_id = $1)
         ) AS snap`, [ids.tenantB]);
      return row.snap;
    }

    beforeAll(async () => {
      const created = await B.json('POST', '/admin/services', {
        clientId: 'kurayoshi-library', nameJa: '倉吉市立図書館', nameEn: 'Kurayoshi City Library', redirectUris: 'https://library.kurayoshi.example.jp/cb', authMethod: 'client_secret_post',
      });
      expect(created.status).toBe(201);
      ids.serviceB = created.body.id;
      ids.connectorB = (await query(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, base_url) VALUES ($1, $2, 'kurayoshi-library-connector', $3, 'https://c.library.kurayoshi.example.jp') RETURNING id`,
        [ids.tenantB, ids.serviceB, TEST_CONNECTOR_JWK]))[0].id;
      const [offer] = await query(`SELECT id FROM data_offers WHERE code = 'misasa-health.daily-steps'`);
      ids.offer = offer.id;
      // Data uses over the prefecture's offers, so that neither agreement has the other tenant as a side.
      const dataUse = (serviceId: string, code: string, title: string, item: string) => ({
        code, consumerServiceId: serviceId, titleJa: title, titleEn: title, purposeCode: 'isolation', purposeCategory: 'ServiceProvision',
        purposeJa: '分離の確認', purposeEn: 'Isolation check', items: item, retentionDays: '30', consentValidDays: '', controllerNameJa: title,
        controllerNameEn: title, controllerContact: 'contact@example.jp', controllerType: 'public', privacyNoticeUrl: 'https://example.jp/privacy',
      });
      const useB = await B.json('POST', '/admin/data-uses', dataUse(ids.serviceB, 'kurayoshi-library.isolation', '倉吉市立図書館ポイント', 'cashless.points-balance'));
      expect(useB.status).toBe(201);
      ids.dataUseB = useB.body.id;
      ids.agreementB = useB.body.pendingAgreements[0];
      ids.adminB = (await query(`SELECT id FROM admin_accounts WHERE login_id = 'admin-kurayoshi'`))[0].id;
      // Compliance records of both tenants (incidents, inquiries: issue #18).
      const incident = (tenant: string, title: string) => query(`INSERT INTO incidents (tenant_id, title, discovered_at, summary, items, affected_count, reporter)
        VALUES ($1, $2, now() - interval '1 hour', $2, '氏名', 1, $2) RETURNING id`, [tenant, title]).then((r) => r[0].id as string);
      const inquiry = (tenant: string, receipt: string, message: string) => query(`INSERT INTO inquiries (receipt_no, access_key_hash, tenant_id, source, category, message)
        VALUES ($1, 'x', $2, 'resident', 'other', $3) RETURNING id`, [receipt, tenant, message]).then((r) => r[0].id as string);
      ids.incidentB = await incident(ids.tenantB, '倉吉市立図書館の事故');
      ids.inquiryB = await inquiry(ids.tenantB, 'Q-20261202-KURAYO', '倉吉市立図書館への問い合わせ');
      ids.incidentA = await incident(ids.tenantA, '三朝町の事故');
      ids.inquiryA = await inquiry(ids.tenantA, 'Q-20261202-MISASA', '三朝町への問い合わせ');
      // A's own resources of every kind, to show each route works for its owner.
      ids.serviceA2 = (await query(`SELECT id FROM services WHERE client_id = 'misasa-dev'`))[0].id;
      ids.connectorA = (await query(`SELECT id FROM connectors WHERE name = 'dev-connector'`))[0].id;
      const useA = await A.json('POST', '/admin/data-uses', dataUse(ids.serviceA2, 'misasa-dev.isolation', '三朝町の分離確認', 'cashless.monthly-spending'));
      expect(useA.status).toBe(201);
      ids.dataUseA = useA.body.id;
      ids.agreementA = useA.body.pendingAgreements[0];
      // A data offer of B (a draft of its library service), and one of A's own, for the offer routes.
      const offerB = await B.json('POST', '/admin/offers', {
        code: 'kurayoshi-books.loans', serviceId: ids.serviceB, nameJa: '図書の貸出履歴', nameEn: 'Library loans', descriptionJa: '借りた本の一覧。', descriptionEn: 'Books borrowed.',
        schema: '{"type":"array","maxItems":100}',
      });
      expect(offerB.status).toBe(201);
      ids.offerCodeB = offerB.body.code;
      ids.offerCodeA = (await A.json('POST', '/admin/offers', {
        code: 'misasa-dev.walks', serviceId: ids.serviceA2, nameJa: '散歩の記録', nameEn: 'Walks', descriptionJa: '散歩した日。', descriptionEn: 'Days walked.',
        schema: '{"type":"array","maxItems":100}',
      })).body.code;
      markers.push('kurayoshi-library', '倉吉市立図書館', 'Kurayoshi City Library', 'kurayoshi-library-connector', '倉吉市立図書館ポイント', '図書の貸出履歴', 'Library loans');
      markers.push('倉吉市立図書館の事故', 'Q-20261202-KURAYO', '倉吉市立図書館への問い合わせ');
      idMarkers.push(ids.serviceB, ids.connectorB, ids.dataUseB, ids.agreementB, ids.offerCodeB, ids.incidentB, ids.inquiryB);
      const listed = await S.json('GET', '/system/routes');
      expect(listed.status).toBe(200);
      routes = listed.body.routes;
      expect(routes.length).toBeGreaterThan(20);
    });

    // Erasure certificates (`:certificateId`) exist only after a departure: here a number nobody was issued,
    // refused like another tenant's; that a tenant reads only the certificates naming its own
    // connectors is shown in departure.service.spec.ts.
    const noCertificate = '00000000-0000-4000-8000-00000000e1a5';
    const values = () => ({
      foreign: { serviceId: ids.serviceB, connectorId: ids.connectorB, dataUseId: ids.dataUseB, agreementId: ids.agreementB, offerCode: ids.offerCodeB, version: '1', incidentId: ids.incidentB, inquiryId: ids.inquiryB, certificateId: noCertificate },
      own: { serviceId: ids.serviceA2, connectorId: ids.connectorA, dataUseId: ids.dataUseA, agreementId: ids.agreementA, offerCode: ids.offerCodeA, version: '1', incidentId: ids.incidentA, inquiryId: ids.inquiryA },
      system: { tenantId: ids.tenantB, adminId: ids.adminB, noticeId: '00000000-0000-4000-8000-000000000000', verb: 'unlock', incidentId: ids.incidentB, inquiryId: ids.inquiryB } as Record<string, string>,
    });

    function fill(path: string, params: Record<string, string>): string {
      return path.replace(/\{\/\*\w+\}/g, '/x').replace(/:(\w+)/g, (_, name: string) => {
        if (!(name in params)) throw new Error(`Route ${path}: no test value for the parameter ":${name}". Add the resource kind to the isolation test (and to AdminScopeRepository).`);
        return params[name];
      });
    }

    it('lets an admin of tenant A reach none of tenant B\'s resources on any admin route, and changes nothing of B', async () => {
      const before = await snapshotB();
      const { foreign, system } = values();
      const checked: string[] = [];
      for (const route of routes) {
        if (route.path === '/admin/login' || route.path === '/admin/logout') continue;
        const isSystem = route.path.startsWith('/system');
        const path = fill(route.path, isSystem ? { ...system, ...foreign } : foreign);
        const hasParams = route.path.includes(':');
        const hostile = { consumerServiceId: ids.serviceB, offerId: ids.offer, serviceId: ids.serviceB, tenantId: ids.tenantB };
        const res = route.method === 'GET' ? await A.get(path) : await A.post(path, hasParams ? {} : hostile);
        const body = await res.text();
        const label = `${route.method} ${route.path}`;
        if (isSystem) {
          expect({ label, status: res.status }).toEqual({ label, status: 403 });
        } else if (hasParams) {
          expect({ label, refused: [403, 404].includes(res.status) }).toEqual({ label, refused: true });
        } else if (route.method === 'GET') {
          expect({ label, status: res.status }).toEqual({ label, status: 200 });
        } else {
          expect({ label, refused: res.status >= 400 && res.status < 500 }).toEqual({ label, refused: true });
        }
        // IDs A typed into the path may be echoed (links back, language switch); nothing else of B may show.
        for (const marker of [...markers, ...idMarkers.filter((id) => !path.includes(id))]) {
          expect({ label, leaks: body.includes(marker) ? marker : undefined }).toEqual({ label, leaks: undefined });
        }
        checked.push(label);
      }
      expect(checked.length).toBe(routes.filter((r) => r.path !== '/admin/login' && r.path !== '/admin/logout').length);
      expect(await snapshotB()).toEqual(before);
    });

    it('is not fooled by the case of the path (Express matches routes case-insensitively)', async () => {
      expect((await A.get('/SYSTEM/tenants')).status).toBe(403);
      expect((await A.get(`/System/tenants/${ids.tenantB}`)).status).toBe(403);
      expect((await A.get(`/ADMIN/services/${ids.serviceB}`)).status).toBe(404);
      expect((await A.get(`/Admin/connectors/${ids.connectorB}`)).status).toBe(404);
      expect((await new BrowserAgent().request(`${hub.url}/ADMIN/services`, { headers: outside })).status).toBe(403);
    });

    it('serves every parameterised tenant route to the tenant that owns the resource', async () => {
      const { own } = values();
      for (const route of routes.filter((r) => r.method === 'GET' && r.path.startsWith('/admin') && r.path.includes(':') && !r.path.startsWith('/admin/erasure-certificates/'))) {
        const res = await A.get(fill(route.path, own));
        expect({ route: route.path, status: res.status }).toEqual({ route: route.path, status: 200 });
      }
    });

    it('sends every admin route to sign-in without a session, and answers 403 from a foreign network', async () => {
      const { foreign, system } = values();
      for (const route of routes) {
        const path = fill(route.path, { ...system, ...foreign });
        const anonymous = new BrowserAgent();
        const init = route.method === 'GET' ? {} : { form: { csrf: 'x' } };
        const far = await anonymous.request(`${hub.url}${path}`, { ...init, headers: outside });
        expect({ route: `${route.method} ${route.path}`, status: far.status }).toEqual({ route: `${route.method} ${route.path}`, status: 403 });
        if (route.path === '/admin/login' || route.path.startsWith('/admin/assets/')) continue;
        const res = await anonymous.request(`${hub.url}${path}`, init);
        const expected = route.method === 'GET' ? 303 : 401;
        expect({ route: `${route.method} ${route.path}`, status: res.status }).toEqual({ route: `${route.method} ${route.path}`, status: expected });
        if (route.method === 'GET') expect(res.headers.get('location')).toMatch(/^\/admin\/login/);
      }
    });
  });

  describe('system admin: tenants', () => {
    it('creates a tenant and refuses duplicates, bad codes and bad networks without writing', async () => {
      const count = async () => (await query(`SELECT count(*)::int AS n FROM tenants`))[0].n;
      const before = await count();
      const bad: [Record<string, string>, number, string][] = [
        [{ code: 'misasa', nameJa: '別の町', nameEn: 'Other Town', kind: 'municipality', allowedCidrs: '' }, 409, 'duplicate_tenant_code'],
        [{ code: 'other-town', nameJa: '三朝町', nameEn: 'Other Town', kind: 'municipality', allowedCidrs: '' }, 409, 'duplicate_name'],
        [{ code: 'Bad Code', nameJa: 'X', nameEn: 'X', kind: 'municipality', allowedCidrs: '' }, 400, 'invalid_request'],
        [{ code: 'open-town', nameJa: '開放町', nameEn: 'Open Town', kind: 'municipality', allowedCidrs: '0.0.0.0/0' }, 400, 'invalid_cidr'],
        [{ code: 'long-town', nameJa: 'あ'.repeat(101), nameEn: 'Long', kind: 'municipality', allowedCidrs: '' }, 400, 'invalid_request'],
      ];
      for (const [body, status, code] of bad) {
        const res = await S.json('POST', '/system/tenants', body);
        expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status, code });
      }
      expect(await count()).toBe(before);
      const ok = await S.post('/system/tenants', { code: 'yonago-city', nameJa: '米子市', nameEn: 'Yonago City', kind: 'municipality', allowedCidrs: '192.0.2.0/24\n2001:db8:10::/48' });
      expect(ok.status).toBe(303);
      const [row] = await query(`SELECT id, admin_allowed_cidrs, active FROM tenants WHERE code = 'yonago-city'`);
      expect(row).toMatchObject({ admin_allowed_cidrs: ['192.0.2.0/24', '2001:db8:10::/48'], active: true });
      expect((await query(`SELECT details FROM audit_events WHERE type = 'admin.change' AND subject = $1`, [row.id]))[0].details.action).toBe('tenant.create');
      expect((await S.post(`/system/tenants/${row.id}/deactivate`, { confirm: 'deactivate' })).status).toBe(303);
      expect((await query(`SELECT active FROM tenants WHERE id = $1`, [row.id]))[0].active).toBe(false);
    });

    it('refuses to deactivate a tenant that still has active services, giving the count', async () => {
      const res = await S.json('POST', `/system/tenants/${ids.tenantB}/deactivate`, { confirm: 'deactivate' });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'tenant_has_active_services', details: [{ field: 'services', problem: '1' }] });
      expect((await query(`SELECT active FROM tenants WHERE id = $1`, [ids.tenantB]))[0].active).toBe(true);
    });

    it('lets a system admin open one tenant\'s screens, and only that tenant\'s', async () => {
      expect((await S.get('/admin')).headers.get('location')).toBe('/system/tenants');
      expect((await S.post(`/system/tenants/${ids.tenantB}/act`)).status).toBe(303);
      const services = await (await S.get('/admin/services')).text();
      expect(services).toContain('kurayoshi-library');
      expect(services).toContain('システム管理者として表示中のテナント');
      expect((await S.get(`/admin/services/${ids.serviceA2}`)).status).toBe(404);
      expect((await S.post('/system/act/end')).status).toBe(303);
      expect((await S.get('/admin/services')).status).toBe(303);
      expect(await S.json('GET', '/admin/services')).toMatchObject({ status: 403, body: { error: { code: 'admin_tenant_not_chosen' } } });
    });

    it('keeps tenant admins out of the system screens', async () => {
      const res = await A.json('GET', '/system/tenants');
      expect(res).toMatchObject({ status: 403, body: { error: { code: 'admin_area_forbidden' } } });
    });
  });

  describe('dashboard', () => {
    it('shows the tenant\'s figures as tiles, tables (no JavaScript needed) and chart data for the static script', async () => {
      const [use] = await query(`SELECT c.id AS consent_version_id, c.resident_id, c.data_use_id, u.service_id FROM consents c JOIN data_uses u ON u.id = c.data_use_id WHERE u.code = 'misasa-health.onsen-spending'`);
      const [provider] = await query(`SELECT id FROM services WHERE client_id = 'demo-cashless'`);
      await query(`INSERT INTO provision_records (tenant_id, provider_tenant_id, resident_id, consent_version_id, data_use_id, provider_service_id, consumer_service_id, items, purpose_code, outcome, grant_id, occurred_at)
        VALUES ($1, (SELECT tenant_id FROM services WHERE id = $2), $3, $4, $5, $2, $6, '{cashless.points-balance}', 'health-promotion', 'provided', 'g-1', now())`,
      [ids.tenantA, provider.id, use.resident_id, use.consent_version_id, use.data_use_id, use.service_id]);
      const page = await (await A.get('/admin')).text();
      const tile = (name: string) => Number(page.match(new RegExp(`data-tile="${name}"><span class="figure">(\\d+)`))?.[1]);
      expect(tile('consents')).toBe(1);
      expect(tile('services')).toBeGreaterThanOrEqual(2);
      expect(page).toContain('<script src="/admin/assets/chart.umd.js" defer></script>');
      expect(page).not.toMatch(/<script>(?!<\/script>)/);
      expect(page).toMatch(/<details open data-table-for="chart-exchanges">/);
      const data = JSON.parse(page.match(/<script type="application\/json" id="dashboard-data">([^<]*)<\/script>/)![1]);
      const chart = (id: string) => data.charts.find((c: { id: string }) => c.id === id);
      expect(data.charts.map((c: { id: string }) => c.id)).toEqual(['chart-active-consents', 'chart-decisions', 'chart-exchanges', 'chart-refusals', 'chart-health']);
      expect(chart('chart-active-consents').labels).toHaveLength(30);
      expect(chart('chart-active-consents').datasets[0].data.at(-1)).toBe(1);
      // One opt-in, to the seeded data use; the data uses the tests above wrote have none.
      expect(chart('chart-decisions').datasets[0].data.reduce((a: number, b: number) => a + b, 0)).toBe(1);
      expect(chart('chart-exchanges').datasets[0].data.at(-1)).toBe(1);
      const chartJs = await A.get('/admin/assets/chart.umd.js');
      expect(chartJs.headers.get('content-type')).toContain('javascript');
      expect((await chartJs.text()).length).toBeGreaterThan(100_000);
      expect(await (await A.get('/admin/assets/dashboard.js')).text()).toContain("getElementById('dashboard-data')");
    });
  });

  describe('system admin: settings, audit, queues, maintenance', () => {
    it('changes platform settings within their ranges, audit-logged', async () => {
      const form = { connectorOfflineMinutes: '15', revocationSyncWarnSeconds: '45', revocationAckOverdueSeconds: '90', dashboardDays: '14', maintenanceNoticeDays: '7', supportContactJa: '鳥取県 デジタル局', supportContactEn: 'Tottori Prefecture, Digital Bureau' };
      const bad = await S.json('POST', '/system/settings', { ...form, dashboardDays: '3' });
      expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_setting', details: [{ field: 'dashboardDays' }] } } });
      expect((await S.post('/system/settings', form)).status).toBe(303);
      expect(await (await S.get('/system/settings')).text()).toContain('value="14"');
      const data = JSON.parse((await (await A.get('/admin')).text()).match(/id="dashboard-data">([^<]*)</)![1]);
      expect(data.charts[0].labels).toHaveLength(14);
      const [row] = await query(`SELECT details FROM audit_events WHERE type = 'admin.change' AND subject = 'platform_settings' ORDER BY seq DESC LIMIT 1`);
      expect(row.details.changed.dashboardDays).toEqual({ from: 30, to: 14 });
    });

    it('searches the audit chain with filters and exports the same rows as NDJSON and CSV', async () => {
      const page = await (await S.get('/system/audit?type=admin.&tenant=misasa&outcome=success')).text();
      const types = [...page.matchAll(/data-type="([^"]+)"/g)].map((m) => m[1]);
      expect(types.length).toBeGreaterThan(5);
      // admin.change, and the handling-ledger exports and incident-resident reads the isolation tests call (#18).
      expect(types).toContain('admin.change');
      expect(types.filter((t) => !['admin.change', 'admin.export', 'admin.read'].includes(t))).toEqual([]);
      const failures = await (await S.get('/system/audit?outcome=failure&type=auth.sign_in_failed')).text();
      expect(failures).toContain('data-type="auth.sign_in_failed"');
      expect((await S.json('GET', '/system/audit?from=2026-13-01')).status).toBe(400);
      expect((await S.json('GET', '/system/audit?unknown=1')).status).toBe(400);

      const ndjson = await S.get('/system/audit/export.ndjson?type=admin.change&tenant=misasa');
      expect(ndjson.headers.get('content-disposition')).toMatch(/attachment; filename="tsunagu-audit-\d{12}\.ndjson"/);
      const lines = (await ndjson.text()).trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.length).toBe(types.filter((t) => t === 'admin.change').length);
      expect(lines.every((l) => l.type === 'admin.change' && l.tenantId === ids.tenantA && /^[0-9a-f]{64}$/.test(l.hash))).toBe(true);
      expect(lines.map((l) => l.seq)).toEqual([...lines.map((l) => l.seq)].sort((a, b) => a - b));
      const bytes = Buffer.from(await (await S.get('/system/audit/export.csv?type=admin.change&tenant=misasa')).arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const csv = bytes.subarray(3).toString('utf8');
      expect(csv.startsWith('seq,occurred_at,type,')).toBe(true);
      expect(csv.trim().split('\r\n')).toHaveLength(lines.length + 1);
      const exports = await query(`SELECT details FROM audit_events WHERE type = 'admin.audit_export' ORDER BY seq`);
      expect(exports.map((r) => r.details.format)).toEqual(['ndjson', 'csv']);
    });

    it('shows the in-process queues\' counts when there is no Redis', async () => {
      const page = await (await S.get('/system/queues')).text();
      expect(page).toContain('data-queue="maintenance"');
      expect(page).toContain('data-queue="jpki"');
      expect(page).not.toContain('/system/queues/board/');
      expect((await S.get('/system/queues/board/')).status).toBe(404);
    });

    it('publishes a planned-maintenance notice a week ahead, which the resident portal shows until it is cancelled', async () => {
      const jst = (days: number) => new Date(Date.now() + 9 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 16);
      const base = { titleJa: 'システムの計画停止', titleEn: 'Planned system stop', bodyJa: 'サーバ更新のため停止します。', bodyEn: 'The servers are being upgraded.' };
      const tooSoon = await S.json('POST', '/system/maintenance', { ...base, startsAt: jst(2), endsAt: jst(2.1) });
      expect(tooSoon).toMatchObject({ status: 400, body: { error: { code: 'invalid_maintenance_window' } } });
      const backwards = await S.json('POST', '/system/maintenance', { ...base, startsAt: jst(9), endsAt: jst(8) });
      expect(backwards.body.error.details).toEqual(expect.arrayContaining([{ field: 'endsAt', problem: 'must be after the start' }]));
      expect((await query(`SELECT count(*)::int AS n FROM maintenance_notices`))[0].n).toBe(0);
      const created = await S.json('POST', '/system/maintenance', { ...base, startsAt: jst(8), endsAt: jst(8.2) });
      expect(created.status).toBe(201);

      const resident = new BrowserAgent();
      const cashless = await discover(`${hub.url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
      await authorize(resident, cashless, 'http://localhost:3101/auth/callback', { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' });
      const portal = await (await resident.request(`${hub.url}/account`)).text();
      expect(portal).toContain('data-testid="maintenance-notice"');
      expect(portal).toContain('システムの計画停止');
      expect(portal).toContain('鳥取県 デジタル局');
      expect((await S.post(`/system/maintenance/${created.body.id}/cancel`, { confirm: 'cancel' })).status).toBe(303);
      expect(await (await resident.request(`${hub.url}/account`)).text()).not.toContain('data-testid="maintenance-notice"');
    });
  });

  describe('confirmations of irreversible actions', () => {
    /** The text a person reads first: the page without its 「詳細」 disclosures, scripts and tags. */
    const visible = (page: string) => page.replace(/<head>[\s\S]*?<\/head>/, '').replace(/<details class="support">[\s\S]*?<\/details>/g, '')
      .replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]*>/g, ' ');

    it('refuses each irreversible action posted without its confirmation, changing nothing, and does it from the confirmation page', async () => {
      const [svc] = await query(`SELECT id FROM services WHERE client_id = 'misasa-dev'`);
      const [connector] = await query(`INSERT INTO connectors (tenant_id, service_id, name, public_jwk, status, base_url) VALUES ($1, $2, 'confirm-connector', $3, 'approved', 'https://c.confirm.example.jp') RETURNING id`,
        [ids.tenantA, svc.id, TEST_CONNECTOR_JWK]);
      const service = await A.json('POST', '/admin/services', { clientId: 'misasa-confirm', nameJa: '確認用サービス', nameEn: 'Confirm service', redirectUris: 'https://confirm.example.jp/cb', authMethod: 'client_secret_basic' });
      expect(service.status).toBe(201);
      expect((await S.post('/system/tenants', { code: 'hino-town', nameJa: '日野町', nameEn: 'Hino Town', kind: 'municipality', allowedCidrs: '' })).status).toBe(303);
      const [tenant] = await query(`SELECT id FROM tenants WHERE code = 'hino-town'`);
      expect((await S.post(`/system/tenants/${ids.tenantCity}/admins`, { loginId: 'city-reset', displayName: '鳥取市 再発行' })).status).toBe(201);
      const [account] = await query(`SELECT id FROM admin_accounts WHERE login_id = 'city-reset'`);
      const jst = (days: number) => new Date(Date.now() + 9 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 16);
      const notice = await S.json('POST', '/system/maintenance', { titleJa: '確認用の停止', titleEn: 'Stop to confirm', bodyJa: '確認します。', bodyEn: 'To confirm.', startsAt: jst(9), endsAt: jst(9.1) });
      expect(notice.status).toBe(201);

      const cases: { who: AdminClient; path: string; action: string; state: () => Promise<unknown>; says: string }[] = [
        { who: A, path: `/admin/connectors/${connector.id}/revoke`, action: 'revoke', says: '二度と使えません',
          state: async () => (await query(`SELECT status FROM connectors WHERE id = $1`, [connector.id]))[0] },
        { who: A, path: `/admin/services/${service.body.id}/secret`, action: 'rotate', says: 'すぐに使えなくなります',
          state: async () => (await query(`SELECT client_secret_enc FROM services WHERE id = $1`, [service.body.id]))[0] },
        { who: A, path: `/admin/services/${service.body.id}/delete`, action: 'delete', says: '今後どのサービスにも使えません',
          state: async () => (await query(`SELECT active, deleted_at FROM services WHERE id = $1`, [service.body.id]))[0] },
        { who: S, path: `/system/tenants/${tenant.id}/deactivate`, action: 'deactivate', says: 'ログインできなくなります',
          state: async () => (await query(`SELECT active FROM tenants WHERE id = $1`, [tenant.id]))[0] },
        { who: S, path: `/system/tenants/${ids.tenantCity}/admins/${account.id}/reset`, action: 'reset', says: 'すぐに使えなくなります',
          state: async () => (await query(`SELECT password_hash, totp_secret_enc FROM admin_accounts WHERE id = $1`, [account.id]))[0] },
        { who: S, path: `/system/maintenance/${notice.body.id}/cancel`, action: 'cancel', says: 'ポータルからすぐに消えます',
          state: async () => (await query(`SELECT cancelled_at FROM maintenance_notices WHERE id = $1`, [notice.body.id]))[0] },
      ];
      for (const c of cases) {
        const before = await c.state();
        // A one-click post (no confirmation), another action's confirmation, and an API call that forgot it.
        const direct = await c.who.post(c.path);
        expect({ path: c.path, status: direct.status }).toEqual({ path: c.path, status: 400 });
        const page = await direct.text();
        expect(page).toContain('data-error-code="confirmation_required"');
        expect(page).toContain('確認画面で内容を確かめてから実行してください');
        expect(page).toContain(`<a class="button" href="${c.path}">確認画面を開く</a>`);
        expect((await c.who.post(c.path, { confirm: 'yes' })).status).toBe(400);
        const json = await c.who.json('POST', c.path, {});
        expect(json).toMatchObject({ status: 400, body: { error: { code: 'confirmation_required', details: [{ field: 'confirm', problem: expect.stringContaining(`"${c.action}"`) }] } } });
        expect({ path: c.path, state: await c.state() }).toEqual({ path: c.path, state: before });

        // The confirmation page: what will happen, in words, and a danger-styled button that posts the action.
        const confirm = await c.who.get(c.path);
        expect({ path: c.path, status: confirm.status }).toEqual({ path: c.path, status: 200 });
        const form = await confirm.text();
        expect(form).toContain('この操作で起きること');
        expect(visible(form)).toContain(c.says);
        expect(form).toContain(`<form method="post" action="${c.path}">`);
        expect(form).toContain(`<input type="hidden" name="confirm" value="${c.action}">`);
        expect(form).toMatch(/<button class="button danger" type="submit" data-testid="confirm-button">/);
        const done = await c.who.post(c.path, { confirm: field(form, 'confirm')! });
        expect({ path: c.path, status: [200, 303].includes(done.status) }).toEqual({ path: c.path, status: true });
        expect({ path: c.path, changed: JSON.stringify(await c.state()) !== JSON.stringify(before) }).toEqual({ path: c.path, changed: true });
      }
      // Once done, the confirmation page says why it cannot be done again, and has no button.
      const again = await (await A.get(`/admin/connectors/${connector.id}/revoke`)).text();
      expect(again).toContain('data-testid="confirm-blocked"');
      expect(again).toContain('このコネクタはすでに失効しています。');
      expect(again).not.toContain('data-testid="confirm-button"');
      // The one-click buttons of the lists are links to the confirmation pages now.
      expect(await (await A.get('/admin/connectors')).text()).not.toMatch(/<form method="post" action="\/admin\/connectors\/[^"]+\/revoke"/);
      const audit = await query(`SELECT details->>'action' AS action FROM audit_events WHERE type = 'admin.change' AND subject = ANY($1::text[]) ORDER BY seq`,
        [[connector.id, service.body.id, tenant.id, account.id, notice.body.id]]);
      expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['connector.revoke', 'service.rotate_secret', 'service.delete', 'tenant.deactivate', 'admin_account.reset_credentials', 'maintenance_notice.cancel']));
    });

    it('answers a refused form with the same form: each field\'s problem in words, and what was typed kept', async () => {
      const typed = { clientId: 'BAD ID', nameJa: 'あ'.repeat(101), nameEn: 'Stamp rally', redirectUris: 'https://stamp.example.jp/cb', authMethod: 'none' };
      const res = await A.post('/admin/services', typed);
      expect(res.status).toBe(400);
      const page = await res.text();
      expect(page).toContain('<h1>サービスの登録</h1>');
      expect(page).toContain('data-error-code="invalid_request"');
      expect(page).toContain('「サービス名（日本語）」は100文字以内にしてください（いまは101文字です）。');
      expect(page).toContain('「クライアントID」の形式が正しくありません。');
      expect(page).toMatch(/id="nameJa" name="nameJa" required maxlength="100" aria-describedby="nameJa-error" aria-invalid="true"/);
      expect(page).toContain('value="BAD ID"');
      expect(page).toContain('value="Stamp rally"');
      expect(page).toContain('>https://stamp.example.jp/cb</textarea>');
      expect(page).toMatch(/value="none" checked/);
      expect(visible(page)).not.toMatch(/must|NOT have/);
      const en = await (await A.post('/admin/services?lang=en', typed)).text();
      expect(en).toContain('&quot;Service name (Japanese)&quot; can have at most 100 characters (it has 101).');
      await A.get('/admin?lang=ja'); // the language choice is kept in a cookie
      // A refusal by the rules keeps the input too, and marks the field it names.
      const rules = await (await A.post('/admin/services', { ...typed, clientId: 'misasa-http', nameJa: 'HTTP', redirectUris: 'http://stamp.example.jp/cb' })).text();
      expect(rules).toContain('data-error-code="invalid_redirect_uri"');
      expect(rules).toContain('>http://stamp.example.jp/cb</textarea>');
      expect(rules).toMatch(/id="redirectUris"[^>]*aria-invalid="true"/);
      expect(await query(`SELECT 1 FROM services WHERE client_id IN ('misasa-http')`)).toHaveLength(0);
    });

    it('shows the audit details as label/value pairs in words, the raw JSON only under 「詳細」', async () => {
      const page = await (await S.get('/system/audit?type=admin.change&tenant=misasa')).text();
      expect(page).toContain('<dt>操作</dt><dd>サービスの登録</dd>');
      expect(page).toContain('<dt>クライアントID</dt><dd>misasa-confirm</dd>');
      expect(page).toContain('&quot;action&quot;: &quot;service.create&quot;');
      const shown = visible(page);
      expect(shown).toContain('管理操作');
      expect(shown).not.toContain('service.create');
      expect(shown).not.toContain('client_secret_basic');
      expect(shown).toContain('クライアントシークレット（Basic 認証）');
      expect(shown).not.toContain('{');
    });

    it('counts the hub\'s refusals in the dashboard\'s 「拒否」 and names each reason in words', async () => {
      for (const reason of ['consent_withdrawn', 'consent_withdrawn', 'permission_denied']) {
        // A grant refusal as GrantsService records it (the dashboard reads type, tenant, reason and time only).
        await query(`INSERT INTO audit_events (seq, occurred_at, type, actor_kind, tenant_id, outcome, reason, prev_hash, hash)
          SELECT max(seq) + 1, now(), 'grant.refused', 'connector', $1, 'failure', $2, 'x', 'x' FROM audit_events`, [ids.tenantA, reason]);
      }
      const page = await (await A.get('/admin')).text();
      const data = JSON.parse(page.match(/id="dashboard-data">([^<]*)</)![1]);
      const chart = (id: string) => data.charts.find((c: { id: string }) => c.id === id);
      expect(chart('chart-exchanges').datasets[1].data.at(-1)).toBe(3);
      expect(chart('chart-refusals').labels).toEqual(['本人が同意を撤回しています。', 'このサービスにはこのデータを要求する権限がありません。']);
      expect(chart('chart-refusals').datasets[0].data).toEqual([2, 1]);
      const refusals = page.slice(page.indexOf('data-figure="chart-refusals"'), page.indexOf('data-figure="chart-health"'));
      expect(refusals).toContain('data-code>consent_withdrawn</span>');
      expect(visible(refusals)).not.toContain('consent_withdrawn');
    });
  });

  describe('admin:create command', () => {
    it('creates an admin from CI without a prompt, who can then sign in', async () => {
      const run = spawnSync(process.execPath, [join(ROOT, 'dist/scripts/admin-create.js'), '--login', 'ci-admin', '--tenant', 'tottori-city', '--name', 'CI', '--password-stdin', '--json'], {
        cwd: ROOT, input: 'a-long-ci-password-2026\n', encoding: 'utf8',
        env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'error', DATABASE_URL: databaseUrl, KEY_ENCRYPTION_KEY: kek },
      });
      expect(run.stderr).not.toContain('failed');
      expect(run.status).toBe(0);
      const out = JSON.parse(run.stdout.split('\n').find((line) => line.includes('"otpauthUri"'))!);
      expect(out).toMatchObject({ loginId: 'ci-admin', tenant: 'tottori-city', kind: 'tenant' });
      expect(out.password).toBeUndefined();
      expect(out.otpauthUri).toMatch(/^otpauth:\/\/totp\/Tsunagu:ci-admin\?secret=/);
      const ci = new AdminClient(hub.url, 'ci-admin', 'a-long-ci-password-2026', out.totpSecret);
      expect((await ci.signIn()).status).toBe(303);
      const weak = spawnSync(process.execPath, [join(ROOT, 'dist/scripts/admin-create.js'), '--login', 'weak-admin', '--system', '--password-stdin'], {
        cwd: ROOT, input: 'short', encoding: 'utf8', env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'error', DATABASE_URL: databaseUrl, KEY_ENCRYPTION_KEY: kek },
      });
      expect(weak.status).toBe(1);
      expect(weak.stderr).toContain('12');
    });
  });

  it('keeps nextCode and field helpers honest', async () => {
    expect(await nextCode('helper-check', DEMO_ADMIN_TOTP_SECRET)).toMatch(/^\d{6}$/);
    expect(field('<input type="hidden" name="csrf" value="abc">', 'csrf')).toBe('abc');
  });
});
