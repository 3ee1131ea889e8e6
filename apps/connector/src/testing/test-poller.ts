import { type Clock, systemClock } from '@tsunagu/common';
import { HubClient } from '../hub-client/hub.client';
import { HubKeys } from '../hub-client/hub-keys';
import { RevocationFeedPoller } from '../revocations/revocation-feed.poller';
import { RevocationSet } from '../revocations/revocation-set';
import type { FakeHub } from './fake-hub';
import { shippedConfig, testKeys } from './test-connector';

/** The Misasa provider's revocation poller and set, against a fake hub (which learns its keys). */
export async function testPoller(hub: FakeHub, options: { pullIntervalSeconds?: number; stalenessSeconds?: number; clock?: Clock } = {}): Promise<{ set: RevocationSet; poller: RevocationFeedPoller }> {
  const { clock = systemClock, ...overrides } = options;
  const httpFetch: typeof fetch = (input, init) => fetch(input, init);
  const config = shippedConfig('misasa-health', { id: 'conn-misasa', hubUrl: hub.url, serviceUrl: 'http://127.0.0.1:9', publicUrl: 'http://misasa.test', ...overrides });
  const { keys, known } = await testKeys('conn-misasa', 'http://misasa.test');
  hub.connectors.set(known.id, known);
  const identity = { id: 'conn-misasa', name: 'misasa-health' };
  const set = new RevocationSet(config, clock);
  const poller = new RevocationFeedPoller(config, identity, clock, new HubClient(config, identity, keys, httpFetch, clock), new HubKeys(config, httpFetch, clock), set);
  return { set, poller };
}

