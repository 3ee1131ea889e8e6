import { FakeHub, hubSigningKey } from '../testing/fake-hub';
import { TestClock } from '../testing/test-connector';
import { waitUntil } from '@tsunagu/testing';
import { testPoller } from '../testing/test-poller';
import { RevocationFeedPoller, STREAM_QUIET_MS } from './revocation-feed.poller';
import { backoffDelay, EventStreamParser, STREAM_BACKOFF_MAX_MS, STREAM_BACKOFF_MIN_MS } from './revocation-stream';

const change = (consent_id: string, version: number) => ({ consent_id, version, state: 'withdrawn' as const, changed_at: new Date().toISOString() });

describe(EventStreamParser.name, () => {
  it('dispatches events split anywhere across chunks, with any line ending, skipping comments and retry', () => {
    const events: [string, string][] = [];
    const parser = new EventStreamParser((type, data) => events.push([type, data]));
    const text = 'retry: 2000\r\n: a comment\r\n\r\nevent: head\ndata: a.b.c\n\nevent: change\rdata: s:5\r\rdata: one\ndata: two\n\n';
    for (const ch of text) expect(parser.push(ch)).toBe(true);
    expect(events).toEqual([['head', 'a.b.c'], ['change', 's:5'], ['message', 'one\ntwo']]);
  });

  it('keeps a field without a space after the colon, and dispatches nothing for an event without data', () => {
    const events: [string, string][] = [];
    const parser = new EventStreamParser((type, data) => events.push([type, data]));
    parser.push('event:head\ndata:x\n\nevent: empty\n\n');
    expect(events).toEqual([['head', 'x']]);
  });

  it('says so when an event grows beyond what a hub ever sends (the caller drops the stream)', () => {
    const parser = new EventStreamParser(() => undefined);
    expect(parser.push(`data: ${'x'.repeat(32 * 1024)}\n`)).toBe(true);
    expect(parser.push(`data: ${'x'.repeat(40 * 1024)}`)).toBe(false);
  });
});

describe(backoffDelay.name, () => {
  it('doubles from the minimum up to the maximum, jittered by half either way', () => {
    expect(backoffDelay(1, () => 0)).toBe(STREAM_BACKOFF_MIN_MS / 2);
    expect(backoffDelay(1, () => 0.5)).toBe(STREAM_BACKOFF_MIN_MS);
    expect(backoffDelay(3, () => 0.5)).toBe(STREAM_BACKOFF_MIN_MS * 4);
    expect(backoffDelay(30, () => 0.999)).toBeLessThan(STREAM_BACKOFF_MAX_MS * 1.5);
    expect(backoffDelay(30, () => 0)).toBe(STREAM_BACKOFF_MAX_MS / 2);
  });
});

describe(`${RevocationFeedPoller.name} on the revocation stream`, () => {
  const hub = new FakeHub();
  const running: RevocationFeedPoller[] = [];

  async function poller(options: Parameters<typeof testPoller>[1] = {}) {
    const made = await testPoller(hub, options);
    running.push(made.poller);
    return made;
  }

  beforeAll(() => hub.start());
  afterAll(() => hub.stop());
  beforeEach(() => {
    hub.changes = [];
    hub.seqCursors = true;
    hub.streamEnabled = true;
    hub.etags = false;
    hub.notModified = 0;
    hub.streamOpens = 0;
    hub.stalenessSeconds = undefined;
    hub.now = () => new Date();
  });
  afterEach(() => {
    for (const p of running.splice(0)) p.stop();
    hub.cutStreams();
  });

  it('stays synced on verified heads alone, without pulling, while its cursor covers them', async () => {
    const clock = new TestClock();
    const { set, poller: p } = await poller({ clock, pullIntervalSeconds: 0.2, stalenessSeconds: 1 });
    expect(await p.pullOnce()).toBe(true);
    const pulls = hub.feedPulls;
    // 1.5 s on the poller's clock: past the 1 s staleness bound and seven pull intervals.
    for (let i = 0; i < 6; i++) {
      clock.advance(250);
      await p.streamEvent('head', await hub.head({ asOf: clock.now(), now: clock.now() }));
      expect(set.isFresh()).toBe(true);
      // Heads this recent make the interval's pull skip (the e2e shows it across real processes).
      expect(p.streaming).toBe(true);
    }
    expect(hub.feedPulls - pulls).toBe(0);
  });

  it('pulls at once on a change event, and on a head beyond its cursor', async () => {
    const { set, poller: p } = await poller({ pullIntervalSeconds: 60, stalenessSeconds: 120 });
    p.start();
    await waitUntil(() => hub.streams.size === 1 && set.isFresh());
    hub.changes.push(change('woken', 2));
    const woken = Date.now();
    hub.sendStream('change', hub.cursorAt(1));
    await waitUntil(() => set.isRevoked('woken', 1), 1_000);
    expect(Date.now() - woken).toBeLessThan(500);
    hub.changes.push(change('behind', 3));
    hub.sendStream('head', await hub.head());
    await waitUntil(() => set.isRevoked('behind', 2), 1_000);
    // Each pull went on from the cursor the previous one reached.
    expect(hub.feedCursors).toEqual(expect.arrayContaining(['s:0', 's:1']));
    expect(hub.feedCursors).not.toContain('s:2');
  });

  it('applies the changes the stream brings at once, without a pull, and catches its cursor up soon after the next head', async () => {
    const { set, poller: p } = await poller({ pullIntervalSeconds: 60, stalenessSeconds: 120 });
    p.start();
    await waitUntil(() => hub.streams.size === 1 && set.isFresh());
    const pulls = hub.feedPulls;
    hub.changes.push(change('streamed', 2));
    hub.sendStream('changes', await hub.changesToken(0));
    await waitUntil(() => set.isRevoked('streamed', 1), 1_000);
    expect(hub.feedPulls).toBe(pulls);
    // Changes signed by anyone else are not applied.
    hub.changes.push(change('forged', 2));
    await p.streamEvent('changes', await hub.changesToken(1, { signing: await hubSigningKey(hub.signing.kid) }));
    expect(set.isRevoked('forged', 1)).toBe(false);
    hub.changes.pop();
    // The next head is beyond the cursor: one pull, within the spread, moves the cursor.
    hub.sendStream('head', await hub.head());
    await waitUntil(() => hub.feedPulls > pulls, 2_000);
    await waitUntil(() => hub.feedCursors.at(-1) === 's:0');
    await waitUntil(() => !p.pulling);
    await p.streamEvent('head', await hub.head());
    expect(hub.feedPulls).toBe(pulls + 1);
    expect(set.isFresh()).toBe(true);
  });

  it('takes nothing from a head signed by another key, nor more than its own moment from an old one', async () => {
    const clock = new TestClock();
    const { set, poller: p } = await poller({ clock, pullIntervalSeconds: 1, stalenessSeconds: 2 });
    expect(await p.pullOnce()).toBe(true);
    const pulledAt = clock.now();
    clock.advance(2_500);
    expect(set.isFresh()).toBe(false);
    await p.streamEvent('head', await hub.head({ signing: await hubSigningKey(hub.signing.kid), now: clock.now() }));
    expect(set.isFresh()).toBe(false);
    expect(p.streaming).toBe(false);
    // Signed now, but proving the feed only as of the pull: replaying what the hub knew then is no sync.
    await p.streamEvent('head', await hub.head({ asOf: pulledAt, now: clock.now() }));
    expect(set.isFresh()).toBe(false);
    await p.streamEvent('head', await hub.head({ asOf: clock.now(), now: clock.now() }));
    expect(set.isFresh()).toBe(true);
    expect(p.streaming).toBe(true);
    clock.advance(STREAM_QUIET_MS + 1);
    // No head for that long: the interval's pulls resume.
    expect(p.streaming).toBe(false);
  });

  it('reconnects after a cut and catches up from its cursor what it missed meanwhile', async () => {
    const { set, poller: p } = await poller({ pullIntervalSeconds: 60, stalenessSeconds: 120 });
    p.start();
    await waitUntil(() => hub.streams.size === 1 && set.isFresh());
    const opens = hub.streamOpens;
    hub.cutStreams();
    hub.changes.push(change('missed', 2));
    // The first reconnection comes after 250–750 ms; its first head is beyond the cursor.
    await waitUntil(() => hub.streamOpens > opens && set.isRevoked('missed', 1), 3_000);
  });

  it('pulls as before from a hub without the stream', async () => {
    hub.streamEnabled = false;
    const { set, poller: p } = await poller({ pullIntervalSeconds: 0.1, stalenessSeconds: 2 });
    p.start();
    await waitUntil(() => set.isFresh());
    hub.changes.push(change('pulled', 2));
    await waitUntil(() => set.isRevoked('pulled', 1));
    expect(p.streaming).toBe(false);
    expect(hub.streamOpens).toBe(0);
  });

  it('revalidates an empty page: a 304 is a sync without a new page, and a change after it is pulled in full', async () => {
    hub.etags = true;
    const clock = new TestClock();
    hub.now = () => clock.now();
    const { set, poller: p } = await poller({ clock, pullIntervalSeconds: 1, stalenessSeconds: 2 });
    expect(await p.pullOnce()).toBe(true);
    clock.advance(2_500);
    expect(set.isFresh()).toBe(false);
    expect(await p.pullOnce()).toBe(true);
    expect(hub.notModified).toBe(1);
    expect(set.isFresh()).toBe(true);
    hub.changes.push(change('after-304', 2));
    expect(await p.pullOnce()).toBe(true);
    expect(hub.notModified).toBe(1);
    expect(set.isRevoked('after-304', 1)).toBe(true);
  });
});
