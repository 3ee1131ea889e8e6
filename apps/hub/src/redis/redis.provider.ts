import Redis from 'ioredis';

export const REDIS = Symbol('REDIS');

/** One ioredis client per process for oidc-provider artifacts (bull opens its own). */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 3, enableReadyCheck: true, lazyConnect: false });
}
