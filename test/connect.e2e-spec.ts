import { createServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type Socket } from 'node:net';
import {
  type ConsentChange, createClientAssertion, type GrantClaims, jwkThumbprint, openGrant, type RevocationEventClaims, signRevocationAck,
  thumbprintUri, verifyRevocationEvent, verifyRevocationFeed,
} from '@tsunagu/contracts';
import { createTestDatabase, testCardEnv, testRedis } from '@tsunagu/testing';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

type KeyLike = CryptoKey;
import { Client } from 'pg';
import { type AppProcess, freePort, startApp } from './support/processes';
import { PortalResident } from './support/portal-resident';

const HEALTH_POINTS = 'cashless.health-points';
const STEPS = 'misasa-health.daily-steps';
const VISITS = 'misasa-health.onsen-visits';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of many shapes, checked by the assertions
type Json = any;

/**
 * A connector stand-in: its two key pairs, client assertions for the hub, and (when listening)
 * the push endpoint `POST /revocations/v1/events`, which verifies SETs with the hub JWKS and
 * answers with a signed acknowledgement — or fails on purpose (`mode`).
 */
class StandIn {
  id = '';
  url = '';
  mode: 'ok' | 'down' | 'invalid' = 'ok';
  readonly events: RevocationEventClaims[] = [];
  private server?: Server;
  signing!: { privateKey: KeyLike; publicJwk: JWK; jkt: string };
  encryption!: { privateKey: KeyLike; publicJwk: JWK };

  constructor(private readonly hub: string) {}

  async init(listen: boolean): Promise<this> {
    const s = await generateKeyPair('ES256', { extractable: true });
    const e = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
    const publicJwk = await exportJWK(s.publicKey);
    this.signing = { privateKey: s.privateKey, publicJwk, jkt: await jwkThumbprint(publicJwk) };
    this.encryption = { privateKey: e.privateKey, publicJwk: await exportJWK(e.publicKey) };
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    if (listen) {
      this.server = createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => void this.onEvent(req.url ?? '', req.headers['content-type'] ?? '', body).then(({ status, json }) => {
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        }));
      });
      await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', r));
    }
    return this;
  }

  private async onEvent(path: string, contentType: string, body: string): Promise<{ status: number; json: unknown }> {
    if (path !== '/revocations/v1/events' || contentType !== 'application/secevent+jwt') return { status: 404, json: {} };
    if (this.mode === 'down') return { status: 503, json: { error: { code: 'hub_unavailable' } } };
    if (this.mode === 'invalid') return { status: 400, json: { error: { code: 'event_invalid' } } };
    const jwks = await (await fetch(`${this.hub}/connect/v1/jwks`)).json() as { keys: JWK[] };
    const claims = await verifyRevocationEvent(body, { hubKeys: async ({ kid }) => jwks.keys.find((k) => k.kid === kid), issuer: this.hub, audience: this.id });
    this.events.push(claims);
    const change = Object.values(claims.events)[0] as ConsentChange;
    const ack = await signRevocationAck({
      privateKey: this.signing.privateKey as CryptoKey, kid: this.signing.jkt, connectorId: this.id, hubIssuer: this.hub, eventJti: claims.jti,
      applied: { consent_id: change.consent_id, version: change.version },
    });
    return { status: 202, json: { ack } };
  }

  assertion(subject = this.id, extra: { newJkt?: string; key?: KeyLike; kid?: string } = {}): Promise<string> {
    return createClientAssertion({
      privateKey: (extra.key ?? this.signing.privateKey) as CryptoKey, kid: extra.kid ?? this.signing.jkt, subject, audience: this.hub, newJkt: extra.newJkt,
    });
  }

  async call(method: string, path: string, body?: unknown, authorization?: string | null): Promise<{ status: number; body: Json; text: string; type: string }> {
    const auth = authorization === null ? undefined : authorization ?? `Bearer ${await this.assertion()}`;
    const res = await fetch(`${this.hub}${path}`, {
      method,
      headers: { ...(auth ? { authorization: auth } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: Json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, type: res.headers.get('content-type') ?? '' };
  }

  registration(name: string, tenant: string, serviceClientId: string): Json {
    return { name, tenant, serviceClientId, publicJwk: this.signing.publicJwk, encryptionJwk: this.encryption.publicJwk, baseUrl: this.url, version: '0.1.0' };
  }

  async register(name: string, tenant: string, serviceClientId: string): Promise<{ status: number; body: Json }> {
    const res = await this.call('POST', '/connect/v1/connectors', this.registration(name, tenant, serviceClientId), `Bearer ${await this.assertion(thumbprintUri(this.signing.jkt))}`);
    if (res.body?.id) this.id = res.body.id;
    return res;
  }

  grant(body: Json): Promise<{ status: number; body: Json }> {
    return this.call('POST', '/connect/v1/grants', body);
  }

  async close(): Promise<void> {
    await new Promise((r) => (this.server ? this.server.close(r) : r(undefined)));
  }
}

/** The hub's connector API end to end: a real hub process, real PostgreSQL and Redis, connector stand-ins over HTTP. */
describe('Hub connector API (e2e)', () => {
  let hub: AppProcess;
  let db: Client;
  let consumer: StandIn;
  let provider: StandIn;
  let taro: PortalResident;
  let hanako: PortalResident;
  let taroConsentId = '';
  let redisProxy: RedisProxy;
  const request = (localId: string, over: Json = {}) => ({ localId, dataUse: HEALTH_POINTS, items: [STEPS, VISITS], purpose: 'health-points', ...over });

  async function refusals(code: string): Promise<number> {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'grant.refused' AND reason = $1`, [code]);
    return rows[0].n;
  }

  async function expectRefused(res: Promise<{ status: number; body: Json }>, status: number, code: string): Promise<void> {
    const before = await refusals(code);
    const r = await res;
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
    expect(r.body.error.message).toBeTruthy();
    expect(r.body.error.messageEn).toBeTruthy();
    expect(r.body.error.correlationId).toBeTruthy();
    expect(await refusals(code)).toBe(before + 1);
  }

  beforeAll(async () => {
    const port = await freePort();
    const redis = testRedis();
    redisProxy = await new RedisProxy(new URL(redis.url)).start();
    const url = await createTestDatabase('connect');
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: url,
      REDIS_URL: redisProxy.url, REDIS_PREFIX: redis.prefix, KEY_ENCRYPTION_KEY: 'c'.repeat(43),
      DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', DEMO_MISASA_URL: 'http://127.0.0.1:39102', ...testCardEnv(),
    }, port);
    db = new Client({ connectionString: url });
    await db.connect();
    consumer = await new StandIn(hub.url).init(true);
    provider = await new StandIn(hub.url).init(true);
    // Verified with the test card: cashless.health-points requires a verified identity.
    [taro, hanako] = await Promise.all(['tottori.taro', 'misasa.hanako'].map(async (login) => (await new PortalResident(hub.url).signIn(login)).verifyIdentity()));
    // Links at both services (what the residents' OIDC sign-ins at the demo services would create).
    await db.query(`INSERT INTO service_links (tenant_id, service_id, resident_id, local_id)
      SELECT s.tenant_id, s.id, r.id, v.local_id FROM (VALUES
        ('demo-cashless', 'tottori.taro', 'C-0001'), ('demo-misasa-health', 'tottori.taro', 'MH-0001'),
        ('demo-cashless', 'misasa.hanako', 'C-0002'), ('demo-misasa-health', 'misasa.hanako', 'MH-0002'),
        ('demo-cashless', 'kurayoshi.jiro', 'C-0003')) AS v(client_id, login, local_id)
      JOIN services s ON s.client_id = v.client_id JOIN residents r ON r.login_id = v.login`);
  });
  afterAll(async () => {
    redisProxy?.up();
    await hub?.stop();
    await redisProxy?.close();
    await db?.end();
    await consumer?.close();
    await provider?.close();
  });

  it('publishes the public keys that sign grants, events and feed pages', async () => {
    const res = await fetch(`${hub.url}/connect/v1/jwks`);
    expect(res.status).toBe(200);
    const { keys } = await res.json() as { keys: JWK[] };
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      expect(Object.keys(k).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    }
  });

  it('registers connectors as pending with proof of possession of the signing key', async () => {
    const c = await consumer.register('cashless', 'tottori-pref', 'demo-cashless');
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ name: 'cashless', tenant: 'tottori-pref', serviceClientId: 'demo-cashless', status: 'pending', jkt: consumer.signing.jkt, baseUrl: consumer.url });
    const p = await provider.register('misasa-health', 'misasa', 'demo-misasa-health');
    expect(p.status).toBe(201);
    const { rows } = await db.query(`SELECT status, encryption_jwk FROM connectors WHERE id = $1`, [provider.id]);
    expect(rows[0]).toEqual({ status: 'pending', encryption_jwk: { kty: 'EC', crv: 'P-256', x: provider.encryption.publicJwk.x, y: provider.encryption.publicJwk.y } });
    const { rows: audit } = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'connector.registered' AND subject = ANY($1)`, [[consumer.id, provider.id]]);
    expect(audit[0].n).toBe(2);

    const view = await consumer.call('GET', `/connect/v1/connectors/${consumer.id}`);
    expect(view).toMatchObject({ status: 200, body: { id: consumer.id, status: 'pending' } });
    // Another connector's view, even with a valid assertion of its own: refused.
    expect((await provider.call('GET', `/connect/v1/connectors/${consumer.id}`)).status).toBe(401);
  });

  it('refuses registrations without proof of possession, replayed assertions and bad bodies', async () => {
    const intruder = await new StandIn(hub.url).init(false);
    const body = intruder.registration('intruder', 'tottori-pref', 'demo-cashless');
    // Signed by another key than the one registered.
    const wrongKey = await consumer.call('POST', '/connect/v1/connectors', body, `Bearer ${await consumer.assertion(thumbprintUri(intruder.signing.jkt))}`);
    expect(wrongKey).toMatchObject({ status: 401, body: { error: { code: 'client_assertion_invalid' } } });
    expect((await intruder.call('POST', '/connect/v1/connectors', body, null)).body.error.code).toBe('client_assertion_invalid');
    const assertion = `Bearer ${await intruder.assertion(thumbprintUri(intruder.signing.jkt))}`;
    expect((await intruder.call('POST', '/connect/v1/connectors', { ...body, tenant: 'misasa' }, assertion)).body.error).toMatchObject({ code: 'invalid_request', details: [{ field: 'serviceClientId' }] });
    expect((await intruder.call('POST', '/connect/v1/connectors', body, assertion)).body.error.code).toBe('client_assertion_invalid');
    const withPrivate = { ...body, publicJwk: { ...body.publicJwk, d: 'x'.repeat(43) } };
    expect((await intruder.call('POST', '/connect/v1/connectors', withPrivate, `Bearer ${await intruder.assertion(thumbprintUri(intruder.signing.jkt))}`)).body.error.code).toBe('invalid_request');
    const taken = await intruder.call('POST', '/connect/v1/connectors', { ...body, name: 'cashless' }, `Bearer ${await intruder.assertion(thumbprintUri(intruder.signing.jkt))}`);
    expect(taken.body.error).toMatchObject({ code: 'invalid_request', details: [{ field: 'name' }] });
  });

  it('gives a pending connector nothing (connector_not_approved)', async () => {
    await expectRefused_(consumer.grant(request('C-0001')), 403, 'connector_not_approved');
    await db.query(`UPDATE connectors SET status = 'approved', status_changed_at = now() WHERE id = ANY($1)`, [[consumer.id, provider.id]]);
  });

  it('refuses a missing, foreign or replayed client assertion', async () => {
    expect((await consumer.call('POST', '/connect/v1/grants', request('C-0001'), null))).toMatchObject({ status: 401, body: { error: { code: 'client_assertion_invalid' } } });
    const foreign = `Bearer ${await consumer.assertion(consumer.id, { key: provider.signing.privateKey, kid: provider.signing.jkt })}`;
    expect((await consumer.call('POST', '/connect/v1/grants', request('C-0001'), foreign)).body.error.code).toBe('client_assertion_invalid');
    const once = `Bearer ${await consumer.assertion()}`;
    expect((await consumer.call('POST', '/connect/v1/grants', request('C-0001'), once)).body.error.code).not.toBe('client_assertion_invalid');
    expect((await consumer.call('POST', '/connect/v1/grants', request('C-0001'), once)).body.error.code).toBe('client_assertion_invalid');
  });

  it('refuses a linked resident\'s request while the provider has not approved the use (permission_denied), then without consent (consent_required)', async () => {
    await db.query(`UPDATE data_agreements SET state = 'pending' WHERE data_use_id = (SELECT id FROM data_uses WHERE code = $1)`, [HEALTH_POINTS]);
    await expectRefused(consumer.grant(request('C-0001')), 403, 'permission_denied');
    await db.query(`UPDATE data_agreements SET state = 'approved' WHERE data_use_id = (SELECT id FROM data_uses WHERE code = $1)`, [HEALTH_POINTS]);
    await expectRefused(consumer.grant(request('C-0001')), 403, 'consent_required');
    await expectRefused(consumer.grant(request('C-0003')), 403, 'consent_required');
  });

  it('issues a grant for a consented, permitted, linked request: encrypted to the provider, bound to the consumer', async () => {
    const given = await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS, VISITS], expectedVersion: 0 });
    expect(given.status).toBe(201);
    taroConsentId = given.body.consent.consentId;
    const res = await consumer.grant(request('C-0001'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ tokenType: 'DPoP', reusable: true, provider: { connectorId: provider.id, url: provider.url } });
    expect(res.body.grant.split('.')).toHaveLength(5);
    const jwks = await (await fetch(`${hub.url}/connect/v1/jwks`)).json() as { keys: JWK[] };
    const claims: GrantClaims = await openGrant(res.body.grant, {
      hubKeys: async ({ kid }) => jwks.keys.find((k) => k.kid === kid), decryptionKey: provider.encryption.privateKey as CryptoKey, issuer: hub.url, audience: provider.id,
    });
    expect(claims).toMatchObject({
      iss: hub.url, aud: provider.id, sub: 'MH-0001', azp: consumer.id, consumer_service: 'demo-cashless', data_use: HEALTH_POINTS, purpose: 'health-points',
      items: [STEPS, VISITS], consent_id: taroConsentId, consent_version: 1, cnf: { jkt: consumer.signing.jkt }, jti: res.body.grantId,
    });
    expect(res.body.items).toEqual([STEPS, VISITS]);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(60);
    expect(new Date(res.body.expiresAt).getTime()).toBe(claims.exp * 1000);
    expect(JSON.stringify(res.body)).not.toContain('MH-0001');
    const { rows } = await db.query(`SELECT actor_id, outcome, details FROM audit_events WHERE type = 'grant.issued' AND subject = $1`, [res.body.grantId]);
    expect(rows).toEqual([expect.objectContaining({ actor_id: consumer.id, outcome: 'success', details: expect.objectContaining({ consentId: taroConsentId, providerConnectorId: provider.id }) })]);
    const seen = await db.query(`SELECT last_seen_at FROM connectors WHERE id = $1`, [consumer.id]);
    expect(seen.rows[0].last_seen_at).not.toBeNull();
    // The provider that serves the grant and the consumer that holds it are now audiences of the
    // consent: its changes are pushed to both (the provider stops serving, the consumer drops its cache).
    const audiences = await db.query(`SELECT connector_id, role, expires_at FROM grant_audiences WHERE consent_id = $1 ORDER BY role DESC`, [taroConsentId]);
    expect(audiences.rows).toEqual([{ connector_id: provider.id, role: 'provider', expires_at: expect.any(Date) }, { connector_id: consumer.id, role: 'consumer', expires_at: expect.any(Date) }]);
    expect(audiences.rows[0].expires_at.getTime()).toBeGreaterThanOrEqual(claims.exp * 1000);
  });

  it('answers every other refusal with its typed code, each audit-logged', async () => {
    await expectRefused(consumer.grant(request('C-9999')), 404, 'resident_not_linked');
    await expectRefused(consumer.grant(request('C-0001', { purpose: 'marketing' })), 403, 'purpose_mismatch');
    await expectRefused(consumer.grant(request('C-0001', { dataUse: 'misasa-health.onsen-spending', purpose: 'onsen-spending' })), 403, 'permission_denied');
    // A data use the hub does not have says so (404), rather than permission_denied.
    await expectRefused(consumer.grant(request('C-0001', { dataUse: 'cashless.no-such-use' })), 404, 'data_use_not_found');
    await expectRefused(consumer.grant(request('C-0001', { items: ['cashless.points-balance'] })), 400, 'invalid_request');
    // Narrowed consent: one item left out.
    expect((await hanako.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS], expectedVersion: 0 })).status).toBe(201);
    await expectRefused(consumer.grant(request('C-0002')), 403, 'items_not_consented');
    expect((await consumer.grant(request('C-0002', { items: [STEPS] }))).status).toBe(201);
    // What the consent allows: both items asked for, the covered one granted, and the answer says which.
    const narrowed = await consumer.grant(request('C-0002', { consentedOnly: true }));
    expect(narrowed.status).toBe(201);
    expect(narrowed.body.items).toEqual([STEPS]);
    const jwks = await (await fetch(`${hub.url}/connect/v1/jwks`)).json() as { keys: JWK[] };
    const narrowedClaims = await openGrant(narrowed.body.grant, {
      hubKeys: async ({ kid }) => jwks.keys.find((k) => k.kid === kid), decryptionKey: provider.encryption.privateKey as CryptoKey, issuer: hub.url, audience: provider.id,
    });
    expect(narrowedClaims.items).toEqual([STEPS]);
    await expectRefused(consumer.grant(request('C-0002', { items: [VISITS], consentedOnly: true })), 403, 'items_not_consented');
    await expectRefused_(consumer.grant(request('C-0002', { consentedOnly: 'yes' })), 400, 'invalid_request');
    // Terms changed (a new revision of the data use): the consent is paused until the resident decides again.
    await db.query(`UPDATE data_uses SET revision = revision + 1, consent_revision = consent_revision + 1 WHERE code = $1`, [HEALTH_POINTS]);
    try {
      await expectRefused(consumer.grant(request('C-0001')), 403, 'consent_paused');
    } finally {
      await db.query(`UPDATE data_uses SET consent_revision = consent_revision - 1, revision = revision - 1 WHERE code = $1`, [HEALTH_POINTS]);
    }
    // Provider side not linked.
    await db.query(`DELETE FROM service_links l USING services s WHERE s.id = l.service_id AND s.client_id = 'demo-misasa-health' AND l.local_id = 'MH-0002'`);
    await expectRefused(consumer.grant(request('C-0002', { items: [STEPS] })), 404, 'resident_not_linked');
    // The providing service has no approved connector.
    await db.query(`UPDATE connectors SET status = 'suspended' WHERE id = $1`, [provider.id]);
    try {
      await expectRefused(consumer.grant(request('C-0001')), 503, 'provider_unavailable');
    } finally {
      await db.query(`UPDATE connectors SET status = 'approved' WHERE id = $1`, [provider.id]);
    }
    // Unknown body fields are refused after authentication.
    await expectRefused_(consumer.grant({ ...request('C-0001'), resident: 'x' }), 400, 'invalid_request');
  });

  it('pushes a withdrawal to the provider connector as a signed SET and stores its signed acknowledgement', async () => {
    const withdrawn = await taro.api('POST', `/api/v1/portal/consents/${taroConsentId}/withdraw`, {});
    expect(withdrawn.status).toBe(200);
    const started = Date.now();
    await waitUntil(() => provider.events.some((e) => eventChange(e).consent_id === taroConsentId), 5000);
    expect(Date.now() - started).toBeLessThan(2000);
    const event = provider.events.find((e) => eventChange(e).consent_id === taroConsentId)!;
    expect(eventChange(event)).toMatchObject({ consent_id: taroConsentId, version: 2, state: 'withdrawn' });
    expect(event.aud).toBe(provider.id);
    // The answer named the provider's acknowledgement; the consumer holding the grant was told too.
    expect(withdrawn.body.enforcement).toMatchObject({ complete: true });
    expect(withdrawn.body.enforcement.connectors).toContainEqual(expect.objectContaining({ connectorId: provider.id, role: 'provider', state: 'enforced' }));
    expect(withdrawn.body.enforcement.connectors.map((c: { connectorId: string }) => c.connectorId)).toContain(consumer.id);
    await waitUntil(async () => (await db.query(`SELECT ack_jws FROM revocation_deliveries WHERE connector_id = $1 AND event_jti = $2`, [provider.id, event.jti])).rows[0]?.ack_jws, 5000);
    const { rows } = await db.query(`SELECT unacked_revocations, oldest_unacked_revocation_at FROM connectors WHERE id = $1`, [provider.id]);
    expect(rows[0]).toEqual({ unacked_revocations: 0, oldest_unacked_revocation_at: null });
    await expectRefused(consumer.grant(request('C-0001')), 403, 'consent_withdrawn');
  });

  it('serves the signed revocation feed with the withdrawal, and records the sync', async () => {
    const res = await provider.call('GET', '/connect/v1/revocations');
    expect(res.status).toBe(200);
    expect(res.type).toContain('application/jwt');
    const jwks = await (await fetch(`${hub.url}/connect/v1/jwks`)).json() as { keys: JWK[] };
    const feed = await verifyRevocationFeed(res.text, { hubKeys: async ({ kid }) => jwks.keys.find((k) => k.kid === kid), issuer: hub.url, audience: provider.id });
    expect(feed.changes).toContainEqual(expect.objectContaining({ consent_id: taroConsentId, version: 2, state: 'withdrawn' }));
    expect(feed.cursor).toMatch(/^s:\d+$/);
    const next = await provider.call('GET', `/connect/v1/revocations?since=${encodeURIComponent(feed.cursor)}`);
    expect(next.status).toBe(200);
    const { rows } = await db.query(`SELECT last_revocation_sync_at FROM connectors WHERE id = $1`, [provider.id]);
    expect(rows[0].last_revocation_sync_at).not.toBeNull();
    // The consumer's feed holds nothing about items it does not provide.
    const mine = await consumer.call('GET', '/connect/v1/revocations');
    const consumerFeed = await verifyRevocationFeed(mine.text, { hubKeys: async ({ kid }) => jwks.keys.find((k) => k.kid === kid), issuer: hub.url, audience: consumer.id });
    expect(consumerFeed.changes).toEqual([]);
    expect((await provider.call('GET', '/connect/v1/revocations?since=garbage')).body.error.code).toBe('invalid_request');
  });

  it('keeps an unacknowledged revocation visible on the connector row, and delivers it once the connector answers', async () => {
    provider.mode = 'down';
    const hanakoConsent = (await hanako.api('GET', '/api/v1/portal/consents')).body.find((c: Json) => c.dataUse.code === HEALTH_POINTS).consent.consentId;
    expect((await hanako.api('POST', `/api/v1/portal/consents/${hanakoConsent}/withdraw`, {})).status).toBe(200);
    await waitUntil(async () => (await db.query(`SELECT unacked_revocations FROM connectors WHERE id = $1`, [provider.id])).rows[0].unacked_revocations === 1, 5000);
    const pending = await db.query(`SELECT oldest_unacked_revocation_at FROM connectors WHERE id = $1`, [provider.id]);
    expect(pending.rows[0].oldest_unacked_revocation_at).not.toBeNull();
    await waitUntil(async () => (await db.query(`SELECT attempts FROM revocation_deliveries WHERE connector_id = $1 AND acked_at IS NULL`, [provider.id])).rows[0]?.attempts >= 2, 5000);
    provider.mode = 'ok';
    await waitUntil(() => provider.events.some((e) => eventChange(e).consent_id === hanakoConsent), 15_000);
    await waitUntil(async () => (await db.query(`SELECT unacked_revocations FROM connectors WHERE id = $1`, [provider.id])).rows[0].unacked_revocations === 0, 5000);
  });

  it('stops retrying an event the connector refuses as invalid, and leaves it visible', async () => {
    provider.mode = 'invalid';
    // Opting in again makes a new active version (3): a change the provider must learn too.
    const given = await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS], expectedVersion: 2 });
    expect(given.status).toBe(201);
    await waitUntil(async () => (await db.query(`SELECT failed_at FROM revocation_deliveries WHERE connector_id = $1 AND last_error = 'event_invalid'`, [provider.id])).rows.length === 1, 5000);
    await new Promise((r) => setTimeout(r, 1500));
    const { rows: tries } = await db.query(`SELECT attempts, acked_at, failed_at FROM revocation_deliveries WHERE connector_id = $1 AND last_error = 'event_invalid'`, [provider.id]);
    expect(tries[0]).toMatchObject({ attempts: 0, acked_at: null });
    expect(tries[0].failed_at).not.toBeNull();
    const { rows } = await db.query(`SELECT unacked_revocations FROM connectors WHERE id = $1`, [provider.id]);
    expect(rows[0].unacked_revocations).toBe(1);
    provider.mode = 'ok';
  });

  it('loses nothing while Redis is down: the pull still serves the change, the push is delivered once Redis is back', async () => {
    // The opt-in and opt-out need the resident's session (kept in Redis): made while it is up, the push
    // failing at the connector; then Redis goes away with the retries queued in it (two failed tries:
    // the dispatcher's own first try and the queue's first, so the next one waits in Redis).
    expect((await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS, VISITS], expectedVersion: 3 })).status).toBe(201);
    await waitUntil(async () => (await db.query(`SELECT count(*)::int AS n FROM revocation_deliveries WHERE connector_id = $1 AND acked_at IS NULL AND failed_at IS NULL`, [provider.id])).rows[0].n === 0, 10_000);
    provider.mode = 'down';
    expect((await taro.api('POST', `/api/v1/portal/consents/${taroConsentId}/withdraw`, {})).status).toBe(200);
    await waitUntil(async () => (await db.query(`SELECT attempts FROM revocation_deliveries d JOIN consent_change_outbox x ON x.seq = d.outbox_seq
      WHERE d.connector_id = $1 AND x.consent_id = $2 AND x.version = 5`, [provider.id, taroConsentId])).rows[0]?.attempts >= 2, 5000);
    redisProxy.down();
    provider.mode = 'ok';
    // The fallback: the signed feed still carries the withdrawal (assertions checked by this replica alone).
    const jwks = await (await fetch(`${hub.url}/connect/v1/jwks`)).json() as { keys: JWK[] };
    const res = await provider.call('GET', '/connect/v1/revocations');
    expect(res.status).toBe(200);
    const feed = await verifyRevocationFeed(res.text, { hubKeys: async ({ kid }) => jwks.keys.find((k) => k.kid === kid), issuer: hub.url, audience: provider.id });
    expect(feed.changes).toContainEqual(expect.objectContaining({ consent_id: taroConsentId, version: 5, state: 'withdrawn' }));
    await new Promise((r) => setTimeout(r, 1000));
    expect(provider.events.some((e) => eventChange(e).consent_id === taroConsentId && eventChange(e).version === 5)).toBe(false);
    redisProxy.up();
    await waitUntil(() => provider.events.some((e) => eventChange(e).consent_id === taroConsentId && eventChange(e).version === 5), 45_000);
    await waitUntil(async () => (await db.query(`SELECT d.acked_at FROM revocation_deliveries d JOIN consent_change_outbox x ON x.seq = d.outbox_seq
      WHERE d.connector_id = $1 AND x.consent_id = $2 AND x.version = 5`, [provider.id, taroConsentId])).rows[0]?.acked_at, 5000);
  }, 90_000);

  it('tells a revoked connector its status and gives it nothing else', async () => {
    await db.query(`UPDATE connectors SET status = 'revoked', status_changed_at = now() WHERE id = $1`, [consumer.id]);
    expect(await consumer.call('GET', `/connect/v1/connectors/${consumer.id}`)).toMatchObject({ status: 200, body: { id: consumer.id, status: 'revoked' } });
    await expectRefused_(consumer.grant(request('C-0001')), 403, 'connector_not_approved');
    expect((await consumer.call('GET', '/connect/v1/revocations')).body.error.code).toBe('connector_not_approved');
  });

  async function expectRefused_(res: Promise<{ status: number; body: Json }>, status: number, code: string): Promise<void> {
    // Refusals before the grant path (authentication, status, body shape) are logged, not audited as grant.refused.
    const r = await res;
    expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
  }
});

function eventChange(e: RevocationEventClaims): ConsentChange {
  return Object.values(e.events)[0] as ConsentChange;
}

async function waitUntil(check: () => unknown | Promise<unknown>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A TCP proxy in front of the test Redis that the test can take down and bring back. */
class RedisProxy {
  url = '';
  private isDown = false;
  private readonly sockets = new Set<Socket>();
  private readonly server = createTcpServer((client) => {
    if (this.isDown) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(this.target.port || 6379), this.target.hostname);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });

  constructor(private readonly target: URL) {}

  async start(): Promise<this> {
    const port = await freePort();
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r));
    const url = new URL(this.target.toString());
    url.hostname = '127.0.0.1';
    url.port = String(port);
    this.url = url.toString().replace(/\/$/, '');
    return this;
  }

  down(): void {
    this.isDown = true;
    for (const s of this.sockets) s.destroy();
  }

  up(): void {
    this.isDown = false;
  }

  async close(): Promise<void> {
    this.down();
    await new Promise((r) => this.server.close(r));
  }
}
