import { inProcessReplayCache, replayCacheContract } from '@tsunagu/testing';
import { TestClock } from '../testing/test-connector';
import { InMemoryReplayCache } from './replay-cache';

replayCacheContract(InMemoryReplayCache.name, inProcessReplayCache(() => new InMemoryReplayCache()));

describe(InMemoryReplayCache.name, () => {
  it('judges expiry by the injected clock', async () => {
    const clock = new TestClock(new Date('2026-11-22T03:00:00Z'));
    const cache = new InMemoryReplayCache(clock);
    const expiresAt = new Date(clock.current.getTime() + 60_000);
    expect(await cache.checkAndRemember('grant:g1', expiresAt)).toBe(true);

    clock.advance(59_999);
    expect(await cache.checkAndRemember('grant:g1', expiresAt)).toBe(false);
    clock.advance(1);
    expect(await cache.checkAndRemember('grant:g1', expiresAt)).toBe(true);
  });

  it('fails closed when full of unexpired ids, and takes new ids again once some expire', async () => {
    const clock = new TestClock(new Date('2026-11-22T03:00:00Z'));
    const cache = new InMemoryReplayCache(clock, 3);
    const at = (ms: number) => new Date(clock.current.getTime() + ms);
    expect(await cache.checkAndRemember('a', at(10_000))).toBe(true);
    expect(await cache.checkAndRemember('b', at(60_000))).toBe(true);
    expect(await cache.checkAndRemember('c', at(60_000))).toBe(true);

    expect(await cache.checkAndRemember('d', at(60_000))).toBe(false);
    expect(await cache.checkAndRemember('a', at(60_000))).toBe(false);
    expect(cache.size).toBe(3);

    clock.advance(10_000);
    expect(await cache.checkAndRemember('d', at(60_000))).toBe(true);
    expect(await cache.checkAndRemember('a', at(60_000))).toBe(false);
    expect(cache.size).toBe(3);
  });
});
