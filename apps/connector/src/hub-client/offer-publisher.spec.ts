import { systemClock } from '@tsunagu/common';
import { pollUntil } from '@tsunagu/testing';
import { FakeHub } from '../testing/fake-hub';
import { shippedConfig, testKeys } from '../testing/test-connector';
import { HubClient } from './hub.client';
import { OfferPublisher, publicationRetryable } from './offer-publisher';

/** The connector publishing its configuration's offers at start, against a stand-in hub on a real port. */
describe(OfferPublisher.name, () => {
  const hub = new FakeHub();
  let publisher: OfferPublisher | undefined;

  async function make(name: 'misasa-health' | 'cashless' = 'misasa-health', offers?: []) {
    const { keys, known } = await testKeys(`conn-${name}`, 'http://127.0.0.1:1');
    hub.connectors.set(known.id, known);
    const config = shippedConfig(name, { id: known.id, hubUrl: hub.url, serviceUrl: 'http://127.0.0.1:1', publicUrl: 'http://127.0.0.1:1' });
    if (offers) config.offers = offers;
    const client = new HubClient(config, { id: known.id, name }, keys, (input, init) => fetch(input, init), systemClock);
    publisher = new OfferPublisher(config, client);
    publisher.retryDelaysMs = [10, 20];
    return publisher;
  }

  beforeAll(() => hub.start());
  afterAll(() => hub.stop());
  beforeEach(() => {
    hub.publications = [];
    hub.publicationAnswers = [];
  });
  afterEach(() => publisher?.onApplicationShutdown());

  it('publishes every offer of the configuration at start, with its texts, special care, schema and longest window', async () => {
    const p = await make('cashless');
    p.onApplicationBootstrap();
    await expect(p.done).resolves.toEqual({ offers: [
      { code: 'cashless.points-balance', outcome: 'created', version: 1 }, { code: 'cashless.monthly-spending', outcome: 'created', version: 1 },
    ] });
    expect(hub.publications).toHaveLength(1);
    const [points, spending] = hub.publications[0].body.offers;
    expect(points).toEqual({
      code: 'cashless.points-balance', name: { ja: 'ポイント残高', en: 'Points balance' },
      description: { ja: 'キャッシュレス決済基盤のポイント残高と基準日時。', en: 'Your points balance at the cashless payment base, and when it was taken.' },
      specialCare: false, schema: expect.objectContaining({ type: 'object', required: ['points', 'asOf'] }), maxWindowDays: null,
    });
    expect(spending.maxWindowDays).toBe(366);
  });

  it('tries again while the hub is unreachable or busy, without holding up the start', async () => {
    hub.publicationAnswers = [{ status: 503, body: {} }, { status: 502, body: '<html>' }, { status: 200, body: { offers: [{ code: 'misasa-health.daily-steps', outcome: 'unchanged', version: 3 }] } }];
    const p = await make();
    const started = Date.now();
    p.onApplicationBootstrap();
    expect(Date.now() - started).toBeLessThan(50);
    expect(hub.publications).toHaveLength(0);
    await expect(p.done).resolves.toEqual({ offers: [{ code: 'misasa-health.daily-steps', outcome: 'unchanged', version: 3 }] });
    expect(hub.publications).toHaveLength(3);
  });

  it('stops at a typed refusal of the hub (the configuration must change first)', async () => {
    hub.publicationAnswers = [{ status: 409, body: { error: { code: 'offer_code_taken', details: [{ field: 'offers/0/code', problem: 'belongs to another service' }] } } }];
    const p = await make();
    p.onApplicationBootstrap();
    // The run is over (stopped for good): no retry is scheduled after the refusal.
    await expect(p.done).resolves.toBeUndefined();
    expect(hub.publications).toHaveLength(1);
    await expect(p.publishOnce()).rejects.toMatchObject({ code: 'offer_code_taken', details: [{ field: 'offers/0/code', problem: 'belongs to another service' }] });
  });

  it('publishes nothing for a consumer-only connector, and stops trying on shutdown', async () => {
    const consumer = await make('cashless', []);
    consumer.onApplicationBootstrap();
    await consumer.done;
    expect(hub.publications).toHaveLength(0);

    hub.publicationAnswers = [{ status: 503, body: {} }];
    const p = await make();
    p.retryDelaysMs = [5_000];
    p.onApplicationBootstrap();
    await pollUntil(() => hub.publications.length, (n) => n >= 1, 5_000, 5);
    p.onApplicationShutdown();
    await expect(p.done).resolves.toBeUndefined();
    expect(hub.publications).toHaveLength(1);
  });

  it('retries transport trouble only', () => {
    expect(['hub_unavailable', 'provider_unavailable', 'not_found', 'internal_error'].map(publicationRetryable)).toEqual([true, true, true, true]);
    expect(['invalid_offer_schema', 'offer_code_taken', 'invalid_request', 'connector_not_approved', 'client_assertion_invalid'].map(publicationRetryable)).toEqual([false, false, false, false, false]);
  });
});
