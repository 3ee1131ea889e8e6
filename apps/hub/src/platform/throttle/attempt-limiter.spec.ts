import type Redis from 'ioredis';
import { attemptLimiterContract, inProcessAttemptLimiter, testRedis } from '@tsunagu/testing';
import { createRedis } from '../redis/redis.provider';
import { FlexibleAttemptLimiter } from './attempt-limiter';

const clients: Redis[] = [];
let limiters = 0;

attemptLimiterContract(`${FlexibleAttemptLimiter.name} on Redis`, {
  // Replicas: one client each on one key prefix (the machine's real Redis), as replicas share it.
  async open(limits, replicas) {
    const { url, prefix } = testRedis();
    const opened = Array.from({ length: replicas }, () => createRedis(url));
    clients.push(...opened);
    await Promise.all(opened.map((redis) => redis.ping()));
    const name = `contract-${++limiters}`;
    return opened.map((redis) => FlexibleAttemptLimiter.onRedis(redis, prefix, name, limits));
  },
  async close() {
    await Promise.all(clients.splice(0).map((redis) => redis.quit()));
  },
});

attemptLimiterContract(`${FlexibleAttemptLimiter.name} in memory`, inProcessAttemptLimiter((limits) => FlexibleAttemptLimiter.inMemory(`contract-${++limiters}`, limits)));
