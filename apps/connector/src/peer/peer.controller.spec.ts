import type { NestExpressApplication } from '@nestjs/platform-express';
import { base64url, CompactEncrypt } from 'jose';
import request from 'supertest';
import {
  createProof, type GrantResponse, jwkThumbprint, SET_CONTENT_TYPE, verifyRevocationAck,
} from '@tsunagu/contracts';
import { HubKeys } from '../hub-client/hub-keys';
import type { ConnectorKeys } from '../keys/connector-keys';
import { RevocationFeedPoller } from '../revocations/revocation-feed.poller';
import { FakeHub, hubSigningKey, type KnownConnector } from '../testing/fake-hub';
import { FakeService } from '../testing/fake-service';
import { shippedConfig, TestClock, testConnectorApp, testKeys } from '../testing/test-connector';
import { PeerController } from './peer.controller';

const PUBLIC_URL = 'http://misasa-connector.test';
const HTU = `${PUBLIC_URL}/peer/v1/exchange`;

function steps(from: string, to: string) {
  const days = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) {
    days.push({ day: new Date(t).toISOString().slice(0, 10), steps: 5000 + days.length, heartRate: 72 });
  }
  return { userId: 'MH-0001', days };
}

describe(PeerController.name, () => {
  const hub = new FakeHub();
  const service = new FakeService();
  const clock = new TestClock();
  /** Runs `check` with the clock 16 s ahead (past a 10 s grant and its 5 s tolerance), then puts it back. */
  async function sixteenSecondsLater(check: () => Promise<void>): Promise<void> {
    clock.advance(16_000);
    try {
      await check();
    } finally {
      clock.advance(-16_000);
    }
  }
  let app: NestExpressApplication;
  let provider: { keys: ConnectorKeys; known: KnownConnector };
  let consumer: { keys: ConnectorKeys; known: KnownConnector };
  let stranger: { keys: ConnectorKeys; known: KnownConnector };

  const build = (overrides: { stalenessSeconds?: number } = {}) => testConnectorApp({
    config: shippedConfig('misasa-health', { id: 'conn-misasa', hubUrl: hub.url, serviceUrl: service.url, publicUrl: PUBLIC_URL, ...overrides }),
    identity: { id: 'conn-misasa', name: 'misasa-health' },
    keys: provider.keys, secrets: { serviceToken: 'service-secret' }, clock,
  });

  const grantFor = (items: string[], extra: Parameters<FakeHub['grant']>[2] extends infer C ? Partial<C> : never = {}, options: Parameters<FakeHub['grant']>[3] = {}) =>
    hub.grant(consumer.known, provider.known, { sub: 'MH-0001', items, ...extra }, { now: clock.now(), ...options });

  type ExchangeOptions = { keys?: ConnectorKeys; htu?: string; htm?: string; proof?: string | null; proofGrant?: string; body?: object; scheme?: string; on?: NestExpressApplication };

  async function send(grant: GrantResponse | string, opts: ExchangeOptions): Promise<request.Response> {
    const token = typeof grant === 'string' ? grant : grant.grant;
    const keys = opts.keys ?? consumer.keys;
    const proof = opts.proof === null ? undefined : opts.proof ?? await createProof({
      privateKey: keys.signing.privateKey, publicJwk: keys.signing.publicJwk, htm: opts.htm ?? 'POST', htu: opts.htu ?? HTU, grant: opts.proofGrant ?? token, now: clock.now(),
    });
    let call = request((opts.on ?? app).getHttpServer()).post('/peer/v1/exchange').set('authorization', `${opts.scheme ?? 'DPoP'} ${token}`);
    if (proof) call = call.set('dpop', proof);
    return call.send(opts.body ?? {});
  }

  /** One exchange as a consumer connector would send it; `.expect(status)` shows the body when the status differs. */
  function exchange(grant: GrantResponse | string, opts: ExchangeOptions = {}) {
    return {
      async expect(status: number): Promise<request.Response> {
        const res = await send(grant, opts);
        if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
        return res;
      },
    };
  }

  beforeAll(async () => {
    await Promise.all([hub.start(), service.start()]);
    [provider, consumer, stranger] = await Promise.all([testKeys('conn-misasa', PUBLIC_URL), testKeys('conn-cashless', 'http://cashless.test'), testKeys('conn-stranger', 'http://x.test')]);
    hub.connectors.set(provider.known.id, provider.known);
    service.routes.set('/internal/v1/users/MH-0001/daily-steps', (url) => ({ body: steps(url.searchParams.get('from')!, url.searchParams.get('to')!) }));
    service.routes.set('/internal/v1/users/MH-0001/onsen-visits', {
      body: { visits: [{ date: '2026-11-21', facilityId: 'kabuyu', facility: '三朝温泉 株湯', time: '18:30', bathMinutes: 25 }] },
    });
    app = await build();
    await app.get(RevocationFeedPoller).pullOnce();
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([hub.stop(), service.stop()]);
  });

  beforeEach(() => {
    service.requests = [];
  });

  it('returns exactly the granted items, mapped to the offer and nothing more', async () => {
    const grant = await grantFor(['misasa-health.daily-steps']);
    const res = await exchange(grant).expect(200);
    expect(Object.keys(res.body.items)).toEqual(['misasa-health.daily-steps']);
    expect(res.body.grantId).toBe(grant.grantId);
    const days = res.body.items['misasa-health.daily-steps'];
    expect(days).toHaveLength(14);
    expect(days[0]).toEqual({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), steps: 5000 });
    expect(service.requests).toHaveLength(1);
    expect(service.requests[0].url.pathname).toBe('/internal/v1/users/MH-0001/daily-steps');
    expect(service.requests[0].authorization).toBe('Bearer service-secret');
  });

  it('serves several items of one grant, dropping fields the offer does not list', async () => {
    const res = await exchange(await grantFor(['misasa-health.daily-steps', 'misasa-health.onsen-visits'])).expect(200);
    expect(res.body.items['misasa-health.onsen-visits']).toEqual([{ date: '2026-11-21', facilityId: 'kabuyu', facilityName: '三朝温泉 株湯' }]);
  });

  it('passes the requested period to the service and refuses one longer than the offer allows', async () => {
    const grant = await grantFor(['misasa-health.daily-steps'], { reusable: true });
    const today = new Date(clock.now().getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
    const res = await exchange(grant, { body: { period: { from: today, to: today } } }).expect(200);
    expect(res.body.items['misasa-health.daily-steps']).toHaveLength(1);
    const long = await exchange(grant, { body: { period: { from: '2020-01-01', to: today } } }).expect(400);
    expect(long.body.error).toMatchObject({ code: 'invalid_request', details: [{ field: 'period', problem: expect.stringContaining('90 days') }] });
  });

  describe('revocations', () => {
    it('refuses to serve before its first revocation sync, without calling the service (fail closed)', async () => {
      hub.feedDown = true;
      const fresh = await build();
      try {
        const res = await exchange(await grantFor(['misasa-health.daily-steps']), { on: fresh }).expect(503);
        expect(res.body.error.code).toBe('revocations_stale');
        expect(res.body).not.toHaveProperty('items');
        expect(service.requests).toHaveLength(0);
        const health = await request(fresh.getHttpServer()).get('/health').expect(200);
        expect(health.body).toMatchObject({ status: 'degraded', revocations: { fresh: false, lastSyncAt: null } });
        hub.feedDown = false;
        await fresh.get(RevocationFeedPoller).pullOnce();
        await exchange(await grantFor(['misasa-health.daily-steps']), { on: fresh }).expect(200);
      } finally {
        hub.feedDown = false;
        await fresh.close();
      }
    });

    it('refuses once the last successful sync is older than the staleness bound', async () => {
      const saved = clock.current;
      clock.advance(121_000);
      try {
        const res = await exchange(await grantFor(['misasa-health.daily-steps'])).expect(503);
        expect(res.body.error.code).toBe('revocations_stale');
      } finally {
        clock.current = saved;
      }
    });

    it('refuses a consent withdrawn by a pushed event, and acknowledges the event with its own signature', async () => {
      const { token, jti } = await hub.event('conn-misasa', { consent_id: 'consent-push', version: 2, state: 'withdrawn', changed_at: clock.now().toISOString() });
      const pushed = await request(app.getHttpServer()).post('/revocations/v1/events').set('content-type', SET_CONTENT_TYPE).send(token).expect(202);
      await expect(verifyRevocationAck(pushed.body.ack, { connectorKey: provider.keys.signing.publicJwk, connectorId: 'conn-misasa', hubIssuer: hub.url, eventJti: jti }))
        .resolves.toMatchObject({ applied: { consent_id: 'consent-push', version: 2 } });
      const res = await exchange(await grantFor(['misasa-health.daily-steps'], { consent_id: 'consent-push', consent_version: 1 })).expect(403);
      expect(res.body.error.code).toBe('consent_revoked');
      expect(service.requests).toHaveLength(0);
    });

    it('honours the consent again when the resident opts in anew (a later active version)', async () => {
      const { token } = await hub.event('conn-misasa', { consent_id: 'consent-push', version: 3, state: 'active', changed_at: clock.now().toISOString() });
      await request(app.getHttpServer()).post('/revocations/v1/events').set('content-type', SET_CONTENT_TYPE).send(token).expect(202);
      await exchange(await grantFor(['misasa-health.daily-steps'], { consent_id: 'consent-push', consent_version: 3 })).expect(200);
      await exchange(await grantFor(['misasa-health.daily-steps'], { consent_id: 'consent-push', consent_version: 2 })).expect(403);
    });

    it('refuses a consent withdrawn in the pulled feed', async () => {
      hub.changes.push({ consent_id: 'consent-feed', version: 5, state: 'withdrawn', changed_at: clock.now().toISOString() });
      const grant = await grantFor(['misasa-health.daily-steps'], { consent_id: 'consent-feed', consent_version: 4, reusable: true });
      await exchange(grant).expect(200);
      expect(await app.get(RevocationFeedPoller).pullOnce()).toBe(true);
      expect((await exchange(grant).expect(403)).body.error.code).toBe('consent_revoked');
    });

    /** A consumer connector of its own (revoking it must not touch the other tests' consumer), with a grant to present. */
    async function ownConsumer(id: string, claims: { consent_id?: string; items?: string[] } = {}) {
      const keys = await testKeys(id, `http://${id}.test`);
      const issue = (extra: { consent_id?: string; items?: string[] } = {}) => hub.grant(keys.known, provider.known, {
        sub: 'MH-0001', items: ['misasa-health.daily-steps'], reusable: true, ...claims, ...extra,
      }, { now: clock.now() });
      return { keys: keys.keys, issue, grant: await issue() };
    }

    it('refuses every grant issued to a consumer connector revoked by a pushed event, and acknowledges naming the connector', async () => {
      const gone = await ownConsumer('conn-gone', { consent_id: 'consent-revoked-consumer' });
      await exchange(gone.grant, { keys: gone.keys }).expect(200);
      const revokedAt = clock.now().toISOString();
      const { token, jti } = await hub.connectorRevokedEvent('conn-misasa', { connector_id: 'conn-gone', revoked_at: revokedAt });
      const pushed = await request(app.getHttpServer()).post('/revocations/v1/events').set('content-type', SET_CONTENT_TYPE).send(token).expect(202);
      await expect(verifyRevocationAck(pushed.body.ack, { connectorKey: provider.keys.signing.publicJwk, connectorId: 'conn-misasa', hubIssuer: hub.url, eventJti: jti }))
        .resolves.toMatchObject({ applied: { connector_id: 'conn-gone', revoked_at: revokedAt } });
      service.requests = [];
      // The grant it presented before (verified and cached here), and another issued to it before the revocation: refused, without calling the service.
      const again = await exchange(gone.grant, { keys: gone.keys }).expect(403);
      expect(again.body.error).toMatchObject({ code: 'connector_revoked', message: expect.stringMatching(/失効/), messageEn: expect.stringMatching(/revoked/) });
      expect(again.body).not.toHaveProperty('items');
      const other = await gone.issue({ consent_id: 'consent-other', items: ['misasa-health.onsen-visits'] });
      expect((await exchange(other, { keys: gone.keys }).expect(403)).body.error.code).toBe('connector_revoked');
      expect(service.requests).toHaveLength(0);
      // Another consumer's grants are served as before.
      await exchange(await grantFor(['misasa-health.daily-steps'])).expect(200);
    });

    it('learns a revoked consumer connector from the pulled feed, which it asks for', async () => {
      const late = await ownConsumer('conn-late');
      await exchange(late.grant, { keys: late.keys }).expect(200);
      hub.revokedConnectors.push({ connector_id: 'conn-late', revoked_at: clock.now().toISOString() });
      expect(await app.get(RevocationFeedPoller).pullOnce()).toBe(true);
      expect(hub.feedExtensions.at(-1)).toBe('connector-revoked');
      expect((await exchange(late.grant, { keys: late.keys }).expect(403)).body.error.code).toBe('connector_revoked');
      await exchange(await grantFor(['misasa-health.daily-steps'])).expect(200);
    });

    it('refuses pushed events the hub did not sign, events for another connector, and bodies that are not SETs', async () => {
      const forged = await hub.event('conn-misasa', { consent_id: 'c', version: 1, state: 'withdrawn', changed_at: 'x' }, await hubSigningKey(hub.signing.kid));
      const other = await hub.event('conn-other', { consent_id: 'c', version: 1, state: 'withdrawn', changed_at: 'x' });
      for (const token of [forged.token, other.token]) {
        const res = await request(app.getHttpServer()).post('/revocations/v1/events').set('content-type', SET_CONTENT_TYPE).send(token).expect(400);
        expect(res.body.error.code).toBe('event_invalid');
      }
      await request(app.getHttpServer()).post('/revocations/v1/events').send({ set: forged.token }).expect(400);
      // The same for a connector-revoked event.
      const forgedRevocation = await hub.connectorRevokedEvent('conn-misasa', { connector_id: 'conn-cashless', revoked_at: clock.now().toISOString() }, await hubSigningKey(hub.signing.kid));
      const otherRevocation = await hub.connectorRevokedEvent('conn-other', { connector_id: 'conn-cashless', revoked_at: clock.now().toISOString() });
      for (const token of [forgedRevocation.token, otherRevocation.token]) {
        const res = await request(app.getHttpServer()).post('/revocations/v1/events').set('content-type', SET_CONTENT_TYPE).send(token).expect(400);
        expect(res.body.error.code).toBe('event_invalid');
      }
    });
  });

  describe('grants and proofs', () => {
    it('refuses the same grant and proof sent twice', async () => {
      const grant = await grantFor(['misasa-health.daily-steps'], { reusable: true });
      const proof = await createProof({ privateKey: consumer.keys.signing.privateKey, publicJwk: consumer.keys.signing.publicJwk, htm: 'POST', htu: HTU, grant: grant.grant, now: clock.now() });
      await exchange(grant, { proof }).expect(200);
      expect((await exchange(grant, { proof }).expect(401)).body.error.code).toBe('grant_replayed');
    });

    it('refuses a single-use grant presented again, even with a fresh proof', async () => {
      const grant = await grantFor(['misasa-health.daily-steps']);
      await exchange(grant).expect(200);
      expect((await exchange(grant).expect(401)).body.error.code).toBe('grant_replayed');
    });

    it('accepts a reusable grant again with a fresh proof', async () => {
      const grant = await grantFor(['misasa-health.daily-steps'], { reusable: true });
      await exchange(grant).expect(200);
      await exchange(grant).expect(200);
    });

    it('refuses a grant for another connector', async () => {
      const other = await testKeys('conn-other', 'http://other.test');
      const grant = await hub.grant(consumer.known, other.known, { sub: 'MH-0001', items: ['misasa-health.daily-steps'] }, { now: clock.now() });
      expect((await exchange(grant).expect(401)).body.error.code).toBe('grant_wrong_audience');
    });

    it('refuses an expired grant', async () => {
      const grant = await grantFor(['misasa-health.daily-steps'], {}, { lifetimeSeconds: 10 });
      await sixteenSecondsLater(async () => expect((await exchange(grant).expect(401)).body.error.code).toBe('grant_expired'));
    });

    it('refuses a grant signed by a key the hub does not publish', async () => {
      const grant = await grantFor(['misasa-health.daily-steps'], {}, { signing: await hubSigningKey() });
      expect((await exchange(grant).expect(401)).body.error.code).toBe('grant_invalid');
    });

    it('refuses an unsigned (alg none) grant', async () => {
      const iat = Math.floor(clock.now().getTime() / 1000);
      const claims = {
        iss: hub.url, aud: 'conn-misasa', sub: 'MH-0001', azp: 'conn-cashless', consumer_service: 'demo-cashless', data_use: 'cashless.health-points', purpose: 'health-points',
        items: ['misasa-health.daily-steps'], consent_id: 'consent-1', consent_version: 1, jti: 'none-grant-1', iat, exp: iat + 30, cnf: { jkt: await jwkThumbprint(consumer.keys.signing.publicJwk) },
      };
      const inner = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'tsunagu-grant+jwt', kid: hub.signing.kid }))}.${base64url.encode(JSON.stringify(claims))}.`;
      const grant = await new CompactEncrypt(new TextEncoder().encode(inner))
        .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'JWT', aud: 'conn-misasa' }).encrypt(provider.keys.encryption.publicJwk as never);
      expect((await exchange(grant).expect(401)).body.error.code).toBe('grant_invalid');
      expect(service.requests).toHaveLength(0);
    });

    it('refuses a proof made with another key than the grant is bound to', async () => {
      const res = await exchange(await grantFor(['misasa-health.daily-steps']), { keys: stranger.keys }).expect(401);
      expect(res.body.error.code).toBe('proof_key_mismatch');
    });

    it('refuses a proof for another URL, another method, another grant, or none at all', async () => {
      const grant = await grantFor(['misasa-health.daily-steps'], { reusable: true });
      for (const opts of [{ htu: 'http://cashless-connector.test/peer/v1/exchange' }, { htm: 'GET' }, { proofGrant: `${grant.grant}x` }, { proof: null }]) {
        expect((await exchange(grant, opts).expect(401)).body.error.code).toBe('proof_invalid');
      }
    });

    it('refuses a grant sent as a bearer token (it must be DPoP-bound)', async () => {
      expect((await exchange(await grantFor(['misasa-health.daily-steps']), { scheme: 'Bearer' }).expect(401)).body.error.code).toBe('grant_invalid');
    });

    it('fetches the hub JWKS again when a grant names an unknown key (hub key rotation)', async () => {
      const before = hub.jwksFetches;
      hub.extraKeys.push(hub.signing);
      hub.signing = await hubSigningKey();
      // Unknown kids refetch at most once a second (an earlier test just triggered one).
      clock.advance(1_000);
      await exchange(await grantFor(['misasa-health.daily-steps'])).expect(200);
      expect(hub.jwksFetches).toBe(before + 1);
      await exchange(await grantFor(['misasa-health.daily-steps'], {}, { signing: hub.extraKeys[0] })).expect(200);
      expect(hub.jwksFetches).toBe(before + 1);
    });
  });

  describe('grants verified before (the provider keeps a reusable grant it has opened until it expires)', () => {
    it('still refuses a cached grant once its consent is withdrawn', async () => {
      const grant = await grantFor(['misasa-health.daily-steps'], { consent_id: 'consent-cached', consent_version: 1, reusable: true });
      await exchange(grant).expect(200);
      const { token } = await hub.event('conn-misasa', { consent_id: 'consent-cached', version: 1, state: 'withdrawn', changed_at: clock.now().toISOString() });
      await request(app.getHttpServer()).post('/revocations/v1/events').set('content-type', SET_CONTENT_TYPE).send(token).expect(202);
      service.requests = [];
      expect((await exchange(grant).expect(403)).body.error.code).toBe('consent_revoked');
      expect(service.requests).toHaveLength(0);
    });

    it('still refuses a cached grant once it has expired', async () => {
      const grant = await grantFor(['misasa-health.daily-steps'], { reusable: true }, { lifetimeSeconds: 10 });
      await exchange(grant).expect(200);
      await sixteenSecondsLater(async () => expect((await exchange(grant).expect(401)).body.error.code).toBe('grant_expired'));
    });

    it('still checks every proof against a cached grant: another key, a replayed proof, another grant hash', async () => {
      const grant = await grantFor(['misasa-health.daily-steps'], { reusable: true });
      const proof = await createProof({ privateKey: consumer.keys.signing.privateKey, publicJwk: consumer.keys.signing.publicJwk, htm: 'POST', htu: HTU, grant: grant.grant, now: clock.now() });
      await exchange(grant, { proof }).expect(200);
      expect((await exchange(grant, { keys: stranger.keys }).expect(401)).body.error.code).toBe('proof_key_mismatch');
      expect((await exchange(grant, { proof }).expect(401)).body.error.code).toBe('grant_replayed');
      expect((await exchange(grant, { proofGrant: `${grant.grant}x` }).expect(401)).body.error.code).toBe('proof_invalid');
      expect((await exchange(grant, { proof: null }).expect(401)).body.error.code).toBe('proof_invalid');
      await exchange(grant).expect(200);
    });

    it('still refuses a cached single-use grant presented again', async () => {
      const grant = await grantFor(['misasa-health.daily-steps']);
      await exchange(grant).expect(200);
      expect((await exchange(grant).expect(401)).body.error.code).toBe('grant_replayed');
    });

    it('refuses a cached grant once the hub no longer publishes the key that signed it', async () => {
      const fresh = await build();
      const saved = hub.signing;
      try {
        await fresh.get(RevocationFeedPoller).pullOnce();
        const grant = await grantFor(['misasa-health.daily-steps'], { reusable: true });
        await exchange(grant, { on: fresh }).expect(200);
        hub.signing = await hubSigningKey();
        await fresh.get(HubKeys).refresh();
        expect((await exchange(grant, { on: fresh }).expect(401)).body.error.code).toBe('grant_invalid');
      } finally {
        hub.signing = saved;
        await fresh.close();
      }
    });
  });

  describe('the service behind', () => {
    it('refuses data that violates the offer schema, returning no item at all', async () => {
      service.routes.set('/internal/v1/users/MH-0002/daily-steps', { body: { days: [{ day: '2026-11-21', steps: -5 }] } });
      service.routes.set('/internal/v1/users/MH-0002/onsen-visits', { body: { visits: [] } });
      const res = await exchange(await hub.grant(consumer.known, provider.known, { sub: 'MH-0002', items: ['misasa-health.onsen-visits', 'misasa-health.daily-steps'] }, { now: clock.now() })).expect(503);
      expect(res.body).toEqual({ error: expect.objectContaining({ code: 'schema_violation', details: [{ field: 'misasa-health.daily-steps/0/steps', problem: 'must be >= 0' }] }) });
    });

    it('refuses when the mapping finds nothing in the service answer', async () => {
      service.routes.set('/internal/v1/users/MH-0003/daily-steps', { body: { weeks: [] } });
      const res = await exchange(await hub.grant(consumer.known, provider.known, { sub: 'MH-0003', items: ['misasa-health.daily-steps'] }, { now: clock.now() })).expect(503);
      expect(res.body.error.code).toBe('schema_violation');
    });

    it('answers provider_record_not_found when the service does not know the resident', async () => {
      const res = await exchange(await hub.grant(consumer.known, provider.known, { sub: 'MH-0404', items: ['misasa-health.daily-steps'] }, { now: clock.now() })).expect(404);
      expect(res.body.error.code).toBe('provider_record_not_found');
    });

    it('refuses items it does not offer', async () => {
      const res = await exchange(await grantFor(['cashless.points-balance'])).expect(404);
      expect(res.body.error.code).toBe('offer_not_provided');
    });

    it('answers provider_unavailable when the service errs or is down', async () => {
      service.routes.set('/internal/v1/users/MH-0005/daily-steps', { status: 500, body: {} });
      const failing = await exchange(await hub.grant(consumer.known, provider.known, { sub: 'MH-0005', items: ['misasa-health.daily-steps'] }, { now: clock.now() })).expect(503);
      expect(failing.body.error.code).toBe('provider_unavailable');
      const port = service.port;
      await service.stop();
      try {
        const down = await exchange(await grantFor(['misasa-health.daily-steps'])).expect(503);
        expect(down.body.error.code).toBe('provider_unavailable');
        expect(down.body).not.toHaveProperty('items');
      } finally {
        await service.start(port);
      }
    });
  });

  it('reports a fresh revocation set on /health', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', connector: 'misasa-health', connectorId: 'conn-misasa', revocations: { fresh: true } });
  });
});
