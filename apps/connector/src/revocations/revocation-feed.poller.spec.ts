import { FakeHub, hubSigningKey } from '../testing/fake-hub';
import { TestClock } from '../testing/test-connector';
import { waitUntil } from '@tsunagu/testing';
import { testPoller } from '../testing/test-poller';
import { RevocationFeedPoller } from './revocation-feed.poller';

const change = (consent_id: string, version: number) => ({ consent_id, version, state: 'withdrawn' as const, changed_at: new Date().toISOString() });

describe(RevocationFeedPoller.name, () => {
  const hub = new FakeHub();

  const poller = (options: Parameters<typeof testPoller>[1] = {}) => testPoller(hub, options);

  beforeAll(() => hub.start());
  afterAll(() => hub.stop());
  beforeEach(() => {
    hub.changes = [];
    hub.feedDown = false;
    hub.feedDelayMs = 0;
    hub.feedSigning = undefined;
    hub.feedCursors = [];
    hub.pageSize = 100;
    hub.stalenessSeconds = undefined;
    hub.feedSettling = false;
  });

  it('applies every page of a verified feed, then counts as synced, and continues from its cursor', async () => {
    const { set, poller: p } = await poller();
    hub.pageSize = 2;
    hub.changes = [change('a', 2), change('b', 2), change('c', 2)];
    expect(await p.pullOnce()).toBe(true);
    expect(set.isRevoked('a', 1) && set.isRevoked('b', 1) && set.isRevoked('c', 1)).toBe(true);
    expect(set.isFresh()).toBe(true);
    hub.changes.push(change('d', 3));
    await p.pullOnce();
    expect(hub.feedCursors).toEqual([null, '2', '3']);
    expect(set.isRevoked('d', 2)).toBe(true);
  });

  it('applies the staleness bound the hub signs into its feed when it is shorter than its own', async () => {
    const clock = new TestClock();
    const { set, poller: p } = await poller({ clock, stalenessSeconds: 120 });
    hub.stalenessSeconds = 6;
    expect(await p.pullOnce()).toBe(true);
    expect(set.stalenessSeconds).toBe(6);
    clock.advance(6_000);
    expect(set.isFresh()).toBe(true);
    clock.advance(1);
    expect(set.isFresh()).toBe(false);
  });

  it('keeps its own bound when the hub\'s is longer', async () => {
    const { set, poller: p } = await poller({ pullIntervalSeconds: 1, stalenessSeconds: 5 });
    hub.stalenessSeconds = 60;
    expect(await p.pullOnce()).toBe(true);
    expect(set.stalenessSeconds).toBe(5);
  });

  it('does not count a pull as a sync while the hub cannot move the cursor past a burst of changes', async () => {
    const { set, poller: p } = await poller();
    hub.changes = [change('in-burst', 2)];
    hub.feedSettling = true;
    expect(await p.pullOnce()).toBe(false);
    // What it did get is applied (changes only move forward), but the set stays stale.
    expect(set.isRevoked('in-burst', 1)).toBe(true);
    expect(set.isFresh()).toBe(false);
    hub.feedSettling = false;
    expect(await p.pullOnce()).toBe(true);
    expect(set.isFresh()).toBe(true);
  });

  it('pulls at a fixed rate: a slow feed does not stretch the interval', async () => {
    const { poller: p } = await poller({ pullIntervalSeconds: 0.3 });
    hub.feedDelayMs = 250;
    const before = hub.feedPulls;
    const started = Date.now();
    p.start();
    try {
      await waitUntil(() => hub.feedPulls - before >= 5, 5_000);
    } finally {
      p.stop();
    }
    // At fixed rate the fifth pull starts at 1,200 ms; at fixed delay (250 + 300 ms) only at 2,200 ms.
    expect(Date.now() - started).toBeLessThan(1_900);
  });

  it('neither applies nor counts a feed signed by another key', async () => {
    const { set, poller: p } = await poller();
    hub.feedSigning = await hubSigningKey(hub.signing.kid);
    hub.changes = [change('forged', 9)];
    expect(await p.pullOnce()).toBe(false);
    expect(set.isFresh()).toBe(false);
    expect(set.size).toBe(0);
  });

  it('goes stale while the hub is down and fresh again when it returns (fail closed)', async () => {
    const { set, poller: p } = await poller({ pullIntervalSeconds: 0.1, stalenessSeconds: 1 });
    try {
      p.start();
      await waitUntil(() => set.isFresh());
      hub.feedDown = true;
      await waitUntil(() => !set.isFresh(), 3000);
      hub.changes = [change('during-outage', 2)];
      hub.feedDown = false;
      await waitUntil(() => set.isFresh());
      expect(set.isRevoked('during-outage', 1)).toBe(true);
    } finally {
      p.stop();
    }
  });
});
