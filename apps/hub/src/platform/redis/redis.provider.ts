import Redis from 'ioredis';

export const REDIS = Symbol('REDIS');

/**
 * One ioredis client per process for oidc-provider artifacts (bull opens its own). Auto-pipelining
 * sends the commands issued in one event-loop tick together: a token request makes several
 * independent lookups, and round trips dominate its cost.
 */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 3, enableReadyCheck: true, lazyConnect: false, enableAutoPipelining: true });
}
