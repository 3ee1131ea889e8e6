import { ErrorReason, type GrantResponse } from '@tsunagu/contracts';
import { OfferCatalog } from '../adapters/offer-catalog';
import { ConnectorException } from '../connector.exception';
import type { HttpFetch } from '../connector.tokens';
import type { HubClient } from '../hub-client/hub.client';
import type { ConnectorKeys } from '../keys/connector-keys';
import { ProvisionReporter } from '../provisions/provision-reporter';
import { RevocationSet } from '../revocations/revocation-set';
import { GatedProvisionStore, settle, track } from '../testing/gated-store';
import { shippedConfig, TestClock, testKeys } from '../testing/test-connector';
import { SdkService } from './sdk.service';

const STEPS = 'misasa-health.daily-steps';
const REQUEST = { localId: 'C-0001', dataUse: 'cashless.health-points', purpose: 'health-points', items: [STEPS] };

/**
 * The consumer's side of "no provision without a record" (docs/connector.md §8): the service gets
 * the data only once the provision report is stored. The hub and the provider connector are
 * stand-ins; the store completes its writes when the spec says so.
 */
describe(SdkService.name, () => {
  const clock = new TestClock();
  const config = shippedConfig('cashless', { id: 'conn-cashless', hubUrl: 'http://hub.test', serviceUrl: 'http://127.0.0.1:9', publicUrl: 'http://cashless.test' });
  let keys: ConnectorKeys;
  let store: GatedProvisionStore;
  let sdk: SdkService;
  let grants = 0;
  /** Calls that reached the provider connector. */
  let exchanges = 0;

  const hub = {
    async requestGrant(): Promise<GrantResponse> {
      grants++;
      return {
        grant: `grant-${grants}`, tokenType: 'DPoP', grantId: `g-${grants}`, items: [STEPS], reusable: true, consentId: 'consent-1', consentVersion: 1,
        expiresAt: new Date(clock.now().getTime() + 30_000).toISOString(), provider: { connectorId: 'conn-misasa', url: 'http://misasa.test' },
      };
    },
  } as unknown as HubClient;

  const http = (async (url: string, init: RequestInit) => {
    exchanges++;
    const grantId = /^DPoP grant-(\d+)$/.exec((init.headers as Record<string, string>).authorization)![1];
    if (!url.endsWith('/peer/v1/exchange')) throw new Error(`unexpected call to ${url}`);
    return new Response(JSON.stringify({ grantId: `g-${grantId}`, items: { [STEPS]: [{ date: '2026-11-21', steps: 6800 }] }, providedAt: clock.now().toISOString() }), {
      status: 200, headers: { 'content-type': 'application/json' },
    });
  }) as unknown as HttpFetch;

  beforeAll(async () => {
    ({ keys } = await testKeys('conn-cashless', 'http://cashless.test'));
  });

  beforeEach(() => {
    store = new GatedProvisionStore();
    // The reporter's queue is not started: nothing is sent to the (absent) hub.
    const reporter = new ProvisionReporter(config, { id: 'conn-cashless', name: 'cashless' }, keys, http, clock, store, {});
    sdk = new SdkService(config, keys, http, clock, hub, new OfferCatalog(config), new RevocationSet(config, clock), reporter);
  });

  it('does not hand the data to the service before the provision report is stored', async () => {
    const answer = track(sdk.request(REQUEST));
    await store.writesWaiting(1);
    await settle();
    // The provider has answered and the items are checked, but the service has nothing yet.
    expect(exchanges).toBeGreaterThan(0);
    expect(answer.settled()).toBe(false);
    expect(store.added.at(-1)).toMatchObject({ side: 'consumer', grantId: `g-${grants}`, peerConnectorId: 'conn-misasa', items: [STEPS], outcome: 'provided' });
    store.release();
    expect((await answer.promise).items[STEPS]).toEqual([{ date: '2026-11-21', steps: 6800 }]);
  });

  it('holds a second request under the cached grant until the first one\'s report is stored', async () => {
    const first = track(sdk.request(REQUEST));
    await store.writesWaiting(1);
    const second = track(sdk.request(REQUEST));
    await settle(20);
    expect([first.settled(), second.settled()]).toEqual([false, false]);
    store.release();
    await Promise.all([first.promise, second.promise]);
    expect(store.added).toHaveLength(1);
  });

  it('answers provision_unrecorded, without the data, when the report cannot be stored', async () => {
    const answer = sdk.request(REQUEST);
    await store.writesWaiting(1);
    store.fail();
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorException);
    expect(error).toMatchObject({ code: 'provision_unrecorded', reason: ErrorReason.Unavailable });
    expect(JSON.stringify(error)).not.toContain('6800');
  });
});
