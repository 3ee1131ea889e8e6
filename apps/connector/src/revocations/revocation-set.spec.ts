import type { ConnectorConfig } from '../connector.tokens';
import { TestClock } from '../testing/test-connector';
import type { RevocableCache } from './revocable-cache';
import { RevocationSet } from './revocation-set';

const config = { revocations: { pullIntervalSeconds: 2, stalenessSeconds: 10, retainSeconds: 600 } } as ConnectorConfig;
const change = (consent_id: string, version: number, state: 'active' | 'withdrawn' | 'paused' | 'expired' = 'withdrawn') =>
  ({ consent_id, version, state, changed_at: '2026-11-22T03:00:00Z' });

describe(RevocationSet.name, () => {
  let clock: TestClock;
  let set: RevocationSet;

  beforeEach(() => {
    clock = new TestClock(new Date('2026-11-22T03:00:00Z'));
    set = new RevocationSet(config, clock);
  });

  it('is stale until the first successful sync (fail closed after a restart)', () => {
    expect(set.isFresh()).toBe(false);
    set.markSynced(clock.now());
    expect(set.isFresh()).toBe(true);
  });

  it('goes stale when the last sync is older than the staleness bound', () => {
    set.markSynced(clock.now());
    clock.advance(10_000);
    expect(set.isFresh()).toBe(true);
    clock.advance(1);
    expect(set.isFresh()).toBe(false);
  });

  it('counts a sync from when its pull started, and never moves backwards', () => {
    set.markSynced(new Date(clock.now().getTime() - 9_000));
    set.markSynced(new Date(clock.now().getTime() - 20_000));
    clock.advance(1_001);
    expect(set.isFresh()).toBe(false);
  });

  it('revokes the withdrawn version and every earlier one', () => {
    set.apply(change('c1', 4));
    expect(set.isRevoked('c1', 3)).toBe(true);
    expect(set.isRevoked('c1', 4)).toBe(true);
    expect(set.isRevoked('c2', 1)).toBe(false);
  });

  it('honours a newer active version (the resident opted in again) but not grants of the narrowed one before it', () => {
    set.apply(change('c1', 4));
    set.apply(change('c1', 5, 'active'));
    expect(set.isRevoked('c1', 5)).toBe(false);
    expect(set.isRevoked('c1', 4)).toBe(true);
  });

  it('ignores late or repeated deliveries of older changes', () => {
    set.apply(change('c1', 5, 'active'));
    expect(set.apply(change('c1', 4))).toBe(false);
    expect(set.isRevoked('c1', 5)).toBe(false);
    expect(set.apply(change('c1', 5, 'withdrawn'))).toBe(true);
    expect(set.apply(change('c1', 5, 'active'))).toBe(false);
    expect(set.isRevoked('c1', 5)).toBe(true);
  });

  it('forgets changes after the retention period, on sync', () => {
    set.apply(change('c1', 2));
    clock.advance(600_001);
    set.markSynced(clock.now());
    expect(set.size).toBe(0);
  });

  it('forgets them without a sync too (a consumer-only connector never pulls)', () => {
    set.apply(change('c1', 2));
    clock.advance(600_001);
    set.apply(change('c2', 2));
    expect(set.size).toBe(1);
    expect(set.isRevoked('c1', 1)).toBe(false);
  });

  describe('staleness bound', () => {
    it('uses its own bound until a feed page names the hub\'s, then the hub\'s when shorter', () => {
      set.markSynced(clock.now());
      expect(set.stalenessSeconds).toBe(10);
      clock.advance(7_000);
      expect(set.isFresh()).toBe(true);
      // The hub's bound arrives with a later sync (e.g. the hub was upgraded meanwhile).
      set.markSynced(clock.now(), 6);
      expect(set.stalenessSeconds).toBe(6);
      clock.advance(6_000);
      expect(set.isFresh()).toBe(true);
      clock.advance(1);
      expect(set.isFresh()).toBe(false);
    });

    it('keeps its own bound when the hub\'s is longer', () => {
      set.markSynced(clock.now(), 30);
      expect(set.stalenessSeconds).toBe(10);
      clock.advance(10_001);
      expect(set.isFresh()).toBe(false);
    });

    it('keeps the hub\'s last bound when a page names none, and follows the hub when it lengthens it again', () => {
      set.markSynced(clock.now(), 4);
      set.markSynced(clock.now());
      expect(set.stalenessSeconds).toBe(4);
      set.markSynced(clock.now(), 8);
      expect(set.stalenessSeconds).toBe(8);
      clock.advance(8_001);
      expect(set.isFresh()).toBe(false);
    });

    it('is stale before the first sync whatever the bound', () => {
      expect(set.isFresh()).toBe(false);
      expect(set.stalenessSeconds).toBe(10);
    });
  });

  describe('watching caches', () => {
    /** A cache that records what it was told and what the set's rule said of a few versions. */
    function recorder(): RevocableCache & { calls: { consentId: string; revoked: number[] }[] } {
      const calls: { consentId: string; revoked: number[] }[] = [];
      return { calls, dropRevoked: (consentId, isRevoked) => calls.push({ consentId, revoked: [1, 2, 3, 4].filter(isRevoked) }) };
    }

    it('tells every watching cache of a change as it is applied, with the set\'s own rule', () => {
      const [a, b] = [recorder(), recorder()];
      set.watch(a);
      set.watch(b);
      set.apply(change('c1', 3));
      expect(a.calls).toEqual([{ consentId: 'c1', revoked: [1, 2, 3] }]);
      expect(b.calls).toEqual(a.calls);
      // A newer active version (narrowed, or opted in again) revokes only the versions before it.
      set.apply(change('c1', 4, 'active'));
      expect(a.calls[1]).toEqual({ consentId: 'c1', revoked: [1, 2, 3] });
    });

    it('does not bother the caches with a change that revokes nothing new', () => {
      const cache = recorder();
      set.apply(change('c1', 3));
      set.watch(cache);
      set.apply(change('c1', 3));
      set.apply(change('c1', 2));
      expect(cache.calls).toEqual([]);
    });
  });
});
