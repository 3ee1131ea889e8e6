import type { NestExpressApplication } from '@nestjs/platform-express';
import { issueStatisticsGrant, type StatisticsGrantClaims } from '@tsunagu/contracts';
import { checkStatisticsAnswer, tableSpecOf } from '@tsunagu/statistics';
import request from 'supertest';
import type { ConnectorKeys } from '../keys/connector-keys';
import { FakeHub, type KnownConnector } from '../testing/fake-hub';
import { FakeService } from '../testing/fake-service';
import { shippedConfig, TestClock, testConnectorApp, testKeys } from '../testing/test-connector';

const PUBLIC_URL = 'http://misasa-connector.test';
const STEPS = 'misasa-health.daily-steps';
const SOURCE = '/internal/v1/statistics/daily-steps';
const MISASA = '31364';
const KURAYOSHI = '31203';
const TOTTORI = '31201';

/** 14 users in Misasa, 8 in Kurayoshi and 12 in Tottori, each with a monthly mean for October and November 2026. */
const users = Array.from({ length: 34 }, (_, i) => ({
  id: `MH-${String(i + 1).padStart(4, '0')}`, municipality: i < 14 ? MISASA : i < 22 ? KURAYOSHI : TOTTORI, steps: 5000 + i * 100,
}));

/**
 * The provider connector's computation of a statistics grant (issue #20) through the shipped
 * Misasa configuration, against a real local service and real keys: only the granted residents'
 * rows count, k holds on residents with its complements, and every bad grant is a typed refusal.
 */
describe('statistics at the provider connector', () => {
  const hub = new FakeHub();
  const service = new FakeService();
  const clock = new TestClock();
  let app: NestExpressApplication;
  let provider: { keys: ConnectorKeys; known: KnownConnector };
  const definition = { item: STEPS, aggregate: 'mean' as const, groupBy: ['municipality' as const, 'month' as const], period: { from: '2026-10', to: '2026-11' }, k: 10 };

  const grant = async (over: Partial<Omit<StatisticsGrantClaims, 'jti' | 'iat' | 'exp'>> = {}) => (await issueStatisticsGrant({
    claims: {
      iss: hub.url, aud: provider.known.id, data_use: 'cashless.ebpm-steps', item: STEPS, aggregate: 'mean', group_by: ['municipality', 'month'],
      period: definition.period, k: 10, subjects: users.map((u) => u.id), ...over,
    },
    signingKey: hub.signing.privateKey, kid: hub.signing.kid, providerEncryptionKey: provider.known.encryptionJwk, lifetimeSeconds: 30, now: clock.now(),
  })).grant;
  const post = (body: string) => request(app.getHttpServer()).post('/peer/v1/statistics').set('content-type', 'application/jwt').send(body);

  beforeAll(async () => {
    await Promise.all([hub.start(), service.start()]);
    provider = await testKeys('conn-misasa', PUBLIC_URL);
    hub.connectors.set(provider.known.id, provider.known);
    // The app answers for whomever it is asked about — and, to test the connector, for one user it was not asked about.
    service.routes.set(SOURCE, (_url, body) => {
      const asked = new Set<string>(JSON.parse(body ?? '{}').localIds ?? []);
      const rows = users.filter((u) => asked.has(u.id)).flatMap((u) => ['2026-10', '2026-11'].map((month) => ({ userId: u.id, month, meanSteps: u.steps, municipalityCode: u.municipality })));
      return { body: { rows: [...rows, { userId: 'MH-9999', month: '2026-11', meanSteps: 1, municipalityCode: MISASA }] } };
    });
    app = await testConnectorApp({
      config: shippedConfig('misasa-health', { id: 'conn-misasa', hubUrl: hub.url, serviceUrl: service.url, publicUrl: PUBLIC_URL }),
      identity: { id: 'conn-misasa', name: 'misasa-health' }, keys: provider.keys, secrets: { serviceToken: 'service-secret' }, clock,
    });
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([hub.stop(), service.stop()]);
  });
  beforeEach(() => { service.requests = []; });

  it('computes the table from the granted residents only, hides the town under k with its complements, and the hub\'s check passes it', async () => {
    const res = await post(await grant()).expect(200);
    const spec = tableSpecOf(definition, (await import('@tsunagu/statistics')).TOTTORI_MUNICIPALITY_CODES);
    expect(checkStatisticsAnswer(spec, res.body)).toEqual([]);
    const entry = (municipality: string, month: string) => res.body.entries.find((e: { key: string[] }) => e.key[0] === municipality && e.key[1] === month);
    const misasaMean = users.slice(0, 14).reduce((s, u) => s + u.steps, 0) / 14;
    expect(entry(MISASA, '2026-11')).toEqual({ key: [MISASA, '2026-11'], contributors: 14, value: misasaMean });
    // 8 residents in Kurayoshi: hidden, in each month and over both.
    expect(entry(KURAYOSHI, '2026-11')).toMatchObject({ contributors: null, value: null });
    expect(entry(KURAYOSHI, '*')).toMatchObject({ contributors: null });
    // And along November's line a second town is hidden with it, so that the total does not give Kurayoshi away.
    const hiddenInNovember = res.body.entries.filter((e: { key: string[]; contributors: number | null }) => e.key[1] === '2026-11' && e.key[0] !== '*' && e.contributors === null);
    expect(hiddenInNovember.length).toBeGreaterThanOrEqual(2);
    // The user nobody granted is nowhere: Misasa's total adds its cells, 14 residents in each of two months (a total is additive, so that the hub can check it).
    expect(entry(MISASA, '*')).toMatchObject({ contributors: 28 });
    expect(JSON.stringify(res.body)).not.toContain('MH-');
    // The service was asked about the granted residents, in one call, with the months only.
    expect(service.requests).toHaveLength(1);
    expect(JSON.parse(service.requests[0].body!)).toEqual({ localIds: users.map((u) => u.id), from: '2026-10', to: '2026-11' });
    expect(service.requests[0].authorization).toBe('Bearer service-secret');
  });

  it('reads many residents in batches of 1,000', async () => {
    await post(await grant({ subjects: Array.from({ length: 2_500 }, (_, i) => `U-${i}`) })).expect(200);
    expect(service.requests.map((r) => JSON.parse(r.body!).localIds.length)).toEqual([1000, 1000, 500]);
  });

  it('computes a grant once: the same grant again is grant_replayed', async () => {
    const once = await grant();
    await post(once).expect(200);
    const again = await post(once).expect(401);
    expect(again.body.error.code).toBe('grant_replayed');
  });

  it('refuses what the offer does not allow, an exchange grant, a grant for another connector, and a body that is no grant', async () => {
    const code = async (body: string, status: number) => (await post(body).expect(status)).body.error.code;
    expect(await code(await grant({ group_by: ['municipality', 'age_band'] }), 400)).toBe('invalid_request');
    expect(await code(await grant({ item: 'misasa-health.onsen-visits', aggregate: 'count' }), 404)).toBe('offer_not_provided');
    expect(await code(await grant({ aud: 'conn-other' }), 401)).toBe('grant_wrong_audience');
    const exchange = await hub.grant({ id: 'conn-cashless', signingJwk: provider.known.signingJwk, encryptionJwk: provider.known.encryptionJwk, url: 'http://cashless.test' }, provider.known, { sub: 'MH-0001', items: [STEPS] }, { now: clock.now() });
    expect(await code(exchange.grant, 401)).toBe('grant_invalid');
    expect((await request(app.getHttpServer()).post('/peer/v1/statistics').send({ grant: 'x' }).expect(400)).body.error.code).toBe('invalid_request');
    expect(service.requests).toHaveLength(0);
  });

  it('refuses rows that do not fit the grant (a user without a municipality) instead of leaving anyone out', async () => {
    const saved = service.routes.get(SOURCE)!;
    service.routes.set(SOURCE, { body: { rows: [{ userId: 'MH-0001', month: '2026-11', meanSteps: 5000 }] } });
    try {
      const res = await post(await grant()).expect(503);
      expect(res.body.error.code).toBe('schema_violation');
    } finally {
      service.routes.set(SOURCE, saved);
    }
  });
});
