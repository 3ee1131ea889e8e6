import type { NestExpressApplication } from '@nestjs/platform-express';
import { createProof, ErrorReason, type GrantResponse } from '@tsunagu/contracts';
import { ConnectorException } from '../connector.exception';
import type { ConnectorKeys } from '../keys/connector-keys';
import { RevocationFeedPoller } from '../revocations/revocation-feed.poller';
import { RevocationSet } from '../revocations/revocation-set';
import { FakeHub, type KnownConnector } from '../testing/fake-hub';
import { FakeService } from '../testing/fake-service';
import { GatedProvisionStore, settle, track } from '../testing/gated-store';
import { shippedConfig, TestClock, testConnectorApp, testKeys } from '../testing/test-connector';
import { PeerService } from './peer.service';

const PUBLIC_URL = 'http://misasa-connector.test';
const HTU = `${PUBLIC_URL}/peer/v1/exchange`;
const STEPS = 'misasa-health.daily-steps';

/**
 * The provider's side of "no provision without a record" (docs/connector.md §8): the data leaves
 * only once the provision report is stored. The store here completes its writes when the spec
 * says so, which shows what the exchange does while the write is still on its way.
 */
describe(PeerService.name, () => {
  const hub = new FakeHub();
  const service = new FakeService();
  const clock = new TestClock();
  const store = new GatedProvisionStore();
  let app: NestExpressApplication;
  let peer: PeerService;
  let provider: { keys: ConnectorKeys; known: KnownConnector };
  let consumer: { keys: ConnectorKeys; known: KnownConnector };

  const grantFor = (extra: { consent_id?: string; reusable?: boolean } = {}) =>
    hub.grant(consumer.known, provider.known, { sub: 'MH-0001', items: [STEPS], ...extra }, { now: clock.now() });

  /** One exchange as the consumer connector presents it (a fresh proof each time). */
  async function exchange(grant: GrantResponse) {
    const dpop = await createProof({
      privateKey: consumer.keys.signing.privateKey, publicJwk: consumer.keys.signing.publicJwk, htm: 'POST', htu: HTU, grant: grant.grant, now: clock.now(),
    });
    return peer.exchange({ authorization: `DPoP ${grant.grant}`, dpop, body: {} });
  }

  beforeAll(async () => {
    await Promise.all([hub.start(), service.start()]);
    [provider, consumer] = await Promise.all([testKeys('conn-misasa', PUBLIC_URL), testKeys('conn-cashless', 'http://cashless.test')]);
    hub.connectors.set(provider.known.id, provider.known);
    service.routes.set('/internal/v1/users/MH-0001/daily-steps', { body: { userId: 'MH-0001', days: [{ day: '2026-11-21', steps: 6800 }] } });
    app = await testConnectorApp({
      config: shippedConfig('misasa-health', { id: 'conn-misasa', hubUrl: hub.url, serviceUrl: service.url, publicUrl: PUBLIC_URL }),
      identity: { id: 'conn-misasa', name: 'misasa-health' }, keys: provider.keys, secrets: { serviceToken: 'service-secret' }, clock,
      provisionStore: store,
    });
    await app.get(RevocationFeedPoller).pullOnce();
    peer = app.get(PeerService);
  });

  afterAll(async () => {
    store.hold = false;
    store.release();
    await app?.close();
    await Promise.all([hub.stop(), service.stop()]);
  });

  beforeEach(() => {
    store.hold = true;
    service.requests = [];
  });

  it('does not answer with the data before the provision report is stored', async () => {
    const grant = await grantFor();
    const answer = track(exchange(grant));
    await store.writesWaiting(1);
    await settle();
    // The service has answered and the items are checked, but nothing has left yet.
    expect(service.requests).toHaveLength(1);
    expect(answer.settled()).toBe(false);
    expect(store.added.at(-1)).toMatchObject({ side: 'provider', grantId: grant.grantId, outcome: 'provided', consentId: 'consent-1', consentVersion: 1 });
    store.release();
    const served = await answer.promise;
    expect(served.items[STEPS]).toEqual([{ date: '2026-11-21', steps: 6800 }]);
  });

  it('holds a second exchange under the same grant until the first one\'s report is stored, and writes it once', async () => {
    const grant = await grantFor({ reusable: true });
    const before = store.added.length;
    const first = track(exchange(grant));
    const second = track(exchange(grant));
    await store.writesWaiting(1);
    // Both have their data from the service; the second must not overtake the first's pending write.
    while (service.requests.length < 2) await settle(1);
    await settle();
    expect([first.settled(), second.settled()]).toEqual([false, false]);
    store.release();
    await Promise.all([first.promise, second.promise]);
    expect(store.added.length - before).toBe(1);
  });

  it('refuses with provision_unrecorded, and lets nothing leave, when the report cannot be stored', async () => {
    const answer = exchange(await grantFor());
    await store.writesWaiting(1);
    store.fail();
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorException);
    expect(error).toMatchObject({ code: 'provision_unrecorded', reason: ErrorReason.Unavailable });
    expect(JSON.stringify(error)).not.toContain('6800');
  });

  it('refuses when the consent is withdrawn while the report is being stored', async () => {
    const answer = exchange(await grantFor({ consent_id: 'consent-late' }));
    await store.writesWaiting(1);
    app.get(RevocationSet).apply({ consent_id: 'consent-late', version: 2, state: 'withdrawn', changed_at: clock.now().toISOString() });
    store.release();
    await expect(answer).rejects.toMatchObject({ code: 'consent_revoked' });
  });

  it('answers a consent refusal without waiting for its report to be stored', async () => {
    app.get(RevocationSet).apply({ consent_id: 'consent-gone', version: 2, state: 'withdrawn', changed_at: clock.now().toISOString() });
    const grant = await grantFor({ consent_id: 'consent-gone' });
    await expect(exchange(grant)).rejects.toMatchObject({ code: 'consent_revoked' });
    // The refusal's report is still written.
    expect(store.added.at(-1)).toMatchObject({ grantId: grant.grantId, outcome: 'refused', code: 'consent_revoked' });
    store.release();
  });
});
