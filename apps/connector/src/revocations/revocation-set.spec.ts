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

  describe('revoked connectors', () => {
    const at = (offsetMs: number) => Math.floor((Date.parse('2026-11-22T03:00:00Z') + offsetMs) / 1000);
    const revocation = (connector_id: string, offsetMs = 0) => ({ connector_id, revoked_at: new Date(Date.parse('2026-11-22T03:00:00Z') + offsetMs).toISOString() });

    it('refuses the grants issued to a revoked connector until its revocation, whatever their consent, and no other connector\'s', () => {
      expect(set.isConnectorRevoked('cons-1', at(-10_000))).toBe(false);
      expect(set.applyConnectorRevocation(revocation('cons-1'))).toBe(true);
      expect(set.isConnectorRevoked('cons-1', at(-29_000))).toBe(true);
      expect(set.isConnectorRevoked('cons-1', at(0))).toBe(true);
      expect(set.isConnectorRevoked('cons-2', at(-29_000))).toBe(false);
      // Consents are not concerned.
      expect(set.isRevoked('c1', 1)).toBe(false);
    });

    it('allows the hub\'s clocks five seconds of disagreement, and no more', () => {
      set.applyConnectorRevocation(revocation('cons-1'));
      expect(set.isConnectorRevoked('cons-1', at(5_000))).toBe(true);
      expect(set.isConnectorRevoked('cons-1', at(6_000))).toBe(false);
    });

    it('only widens on a later moment, and ignores a repeated or earlier one', () => {
      expect(set.applyConnectorRevocation(revocation('cons-1', -20_000))).toBe(true);
      expect(set.isConnectorRevoked('cons-1', at(-10_000))).toBe(false);
      expect(set.applyConnectorRevocation(revocation('cons-1', -20_000))).toBe(false);
      expect(set.applyConnectorRevocation(revocation('cons-1', -30_000))).toBe(false);
      expect(set.applyConnectorRevocation(revocation('cons-1'))).toBe(true);
      expect(set.isConnectorRevoked('cons-1', at(-10_000))).toBe(true);
    });

    it('refuses everything issued to a connector whose moment cannot be read (the safe side)', () => {
      expect(set.applyConnectorRevocation({ connector_id: 'cons-1', revoked_at: 'not a time' })).toBe(true);
      expect(set.isConnectorRevoked('cons-1', at(3_600_000))).toBe(true);
    });

    it('forgets a revoked connector after the retention period, when its grants have long expired', () => {
      set.applyConnectorRevocation(revocation('cons-1'));
      expect(set.size).toBe(1);
      clock.advance(600_001);
      set.markSynced(clock.now());
      expect(set.size).toBe(0);
      expect(set.isConnectorRevoked('cons-1', at(0))).toBe(false);
    });

    it('tells the caches that keep grants of other connectors, with the set\'s own rule', () => {
      const calls: { azp: string; refused: number[] }[] = [];
      set.watch({ size: 0, dropRevoked: () => undefined, dropIssuedTo: (azp, isRevoked) => calls.push({ azp, refused: [at(-1_000), at(60_000)].filter(isRevoked) }) });
      set.watch({ size: 0, dropRevoked: () => undefined }); // a consumer's cache: nothing issued to others
      set.applyConnectorRevocation(revocation('cons-1'));
      set.applyConnectorRevocation(revocation('cons-1'));
      expect(calls).toEqual([{ azp: 'cons-1', refused: [at(-1_000)] }]);
    });
  });

  describe('watching caches', () => {
    /** A cache that records what it was told and what the set's rule said of a few versions. */
    function recorder(): RevocableCache & { calls: { consentId: string; revoked: number[] }[] } {
      const calls: { consentId: string; revoked: number[] }[] = [];
      return { calls, size: 0, dropRevoked: (consentId, isRevoked) => calls.push({ consentId, revoked: [1, 2, 3, 4].filter(isRevoked) }) };
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
