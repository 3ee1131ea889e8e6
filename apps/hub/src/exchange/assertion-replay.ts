import type { ReplayCache } from '@tsunagu/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type Redis from 'ioredis';

/*
 * The hub's replay caches of client assertion `jti`s (docs/connector.md §7): a second use of an
 * assertion is refused. Both keep a `jti` at least a second, even when its expiry has passed.
 */

/** How long a Redis answer may take before the replica decides alone. */
const REDIS_TIMEOUT_MS = 250;

/**
 * Shared by every replica: `SET NX PXAT`. While Redis does not answer, each replica remembers the
 * `jti`s it saw itself (logged): a replay then only succeeds against another replica, within the
 * assertion's 60 s, and yields nothing usable — grants are bound to the connector's key (DPoP) —
 * whereas refusing every call would stop the revocation pull, the fallback that must keep working
 * while Redis (and with it the push queue) is down (docs/adr/2026-11-22-revocation-set.md).
 */
export class RedisAssertionReplayCache implements ReplayCache {
  private readonly logger = new AppLogger(RedisAssertionReplayCache.name);
  private readonly local = new InMemoryAssertionReplayCache();
  private lastWarning = 0;

  constructor(private readonly redis: Pick<Redis, 'set'>, private readonly prefix: string) {}

  async checkAndRemember(jti: string, expiresAt: Date): Promise<boolean> {
    const at = Math.max(expiresAt.getTime(), Date.now() + 1000);
    const firstHere = await this.local.checkAndRemember(jti, expiresAt);
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        this.redis.set(`${this.prefix}connect:jti:${jti}`, '1', 'PXAT', at, 'NX'),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('Redis timeout')), REDIS_TIMEOUT_MS))),
      ]);
      return answer === 'OK' && firstHere;
    } catch (error) {
      if (Date.now() - this.lastWarning > 10_000) {
        this.lastWarning = Date.now();
        this.logger.warn(LogKind.Authentication, 'Assertion replay cache: Redis unavailable, checking this replica only', { error: (error as Error).message });
      }
      return firstHere;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The embedded default (one process): a map swept as it grows. */
export class InMemoryAssertionReplayCache implements ReplayCache {
  private readonly seen = new Map<string, number>();

  async checkAndRemember(jti: string, expiresAt: Date): Promise<boolean> {
    const now = Date.now();
    if (this.seen.size > 10_000) for (const [k, exp] of this.seen) if (exp <= now) this.seen.delete(k);
    const known = this.seen.get(jti);
    if (known !== undefined && known > now) return false;
    this.seen.set(jti, Math.max(expiresAt.getTime(), now + 1000));
    return true;
  }
}
