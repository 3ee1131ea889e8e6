import type { ConnectorConfig } from '../connector.tokens';
import { TestClock } from '../testing/test-connector';
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
});
