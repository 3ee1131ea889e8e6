import type Redis from 'ioredis';
import { inProcessReplayCache, replayCacheContract, testRedis } from '@tsunagu/testing';
import { createRedis } from '../platform/redis/redis.provider';
import { InMemoryAssertionReplayCache, RedisAssertionReplayCache } from './assertion-replay';

const clients: Redis[] = [];

replayCacheContract(RedisAssertionReplayCache.name, {
  // Replicas: one client and one replica-local fallback each, one key prefix (the machine's real Redis).
  async open(replicas) {
    const { url, prefix } = testRedis();
    const opened = Array.from({ length: replicas }, () => createRedis(url));
    clients.push(...opened);
    await Promise.all(opened.map((redis) => redis.ping()));
    return opened.map((redis) => new RedisAssertionReplayCache(redis, prefix));
  },
  async close() {
    await Promise.all(clients.splice(0).map((redis) => redis.quit()));
  },
});

replayCacheContract(InMemoryAssertionReplayCache.name, inProcessReplayCache(() => new InMemoryAssertionReplayCache()));

describe(RedisAssertionReplayCache.name, () => {
  it('checks this replica alone while Redis does not answer, and refuses what it saw itself', async () => {
    const seen = new Set<string>();
    let down = false;
    const redis = {
      set: async (key: string) => {
        if (down) throw new Error('Connection is closed.');
        if (seen.has(key)) return null;
        seen.add(key);
        return 'OK';
      },
    };
    const exp = new Date(Date.now() + 60_000);
    const replicaA = new RedisAssertionReplayCache(redis as never, 'p:');
    const replicaB = new RedisAssertionReplayCache(redis as never, 'p:');
    expect(await replicaA.checkAndRemember('j1', exp)).toBe(true);
    expect(await replicaB.checkAndRemember('j1', exp)).toBe(false);
    expect([...seen]).toEqual(['p:connect:jti:j1']);
    down = true;
    expect(await replicaA.checkAndRemember('j2', exp)).toBe(true);
    expect(await replicaA.checkAndRemember('j2', exp)).toBe(false);
    expect(await replicaA.checkAndRemember('j1', exp)).toBe(false);
  });

  it('answers from this replica when Redis hangs, after a short timeout', async () => {
    const cache = new RedisAssertionReplayCache({ set: () => new Promise(() => undefined) } as never, 'p:');
    const started = Date.now();
    expect(await cache.checkAndRemember('j1', new Date(Date.now() + 60_000))).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await cache.checkAndRemember('j1', new Date(Date.now() + 60_000))).toBe(false);
  });

  it('keeps a jti at least a second even when its expiry has passed', async () => {
    const { url, prefix } = testRedis();
    const redis = createRedis(url);
    try {
      const cache = new RedisAssertionReplayCache(redis, prefix);
      expect(await cache.checkAndRemember('late', new Date(Date.now() - 5_000))).toBe(true);
      expect(await new RedisAssertionReplayCache(redis, prefix).checkAndRemember('late', new Date(Date.now() - 5_000))).toBe(false);
      expect(await redis.pttl(`${prefix}connect:jti:late`)).toBeGreaterThan(500);
    } finally {
      await redis.quit();
    }
  });
});
