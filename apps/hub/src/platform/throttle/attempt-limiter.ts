import type { AttemptDecision, AttemptLimiter } from '@tsunagu/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type Redis from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** The limits of one {@link FlexibleAttemptLimiter} (whole seconds: Redis expires keys in seconds). */
export interface AttemptLimiterOptions {
  /** Attempts allowed per window. */
  points: number;
  windowSeconds: number;
  /** The first block when a key goes over; each further one within `strikeWindowSeconds` doubles it. */
  blockSeconds: number;
  /** The longest block (default a day). */
  maxBlockSeconds?: number;
  /** How long past blocks count towards the next one (default a day). */
  strikeWindowSeconds?: number;
}

const DAY = 86_400;

/**
 * An {@link AttemptLimiter} on rate-limiter-flexible: a fixed-window counter per key, and a second
 * counter of how often the key went over ("strikes") that makes each block twice as long as the
 * last. On Redis the counting is one atomic script per attempt, shared by every replica; while
 * Redis does not answer, each replica counts alone in memory (the insurance limiter), so a Redis
 * outage neither opens the gates nor refuses everyone.
 */
export class FlexibleAttemptLimiter implements AttemptLimiter {
  private readonly logger = new AppLogger(FlexibleAttemptLimiter.name);
  private readonly maxBlockSeconds: number;

  private constructor(
    private readonly attempts: RateLimiterAbstract,
    private readonly strikes: RateLimiterAbstract,
    private readonly options: AttemptLimiterOptions,
  ) {
    this.maxBlockSeconds = options.maxBlockSeconds ?? DAY;
  }

  /** The in-process twin (the embedded default, one process). `name` keeps limiters apart. */
  static inMemory(name: string, options: AttemptLimiterOptions): FlexibleAttemptLimiter {
    return new FlexibleAttemptLimiter(memory(name, options), memoryStrikes(name, options), options);
  }

  /** Shared by every replica through `redis`, under `${prefix}throttle:${name}:`. */
  static onRedis(redis: Redis, prefix: string, name: string, options: AttemptLimiterOptions): FlexibleAttemptLimiter {
    const attempts = new RateLimiterRedis({
      storeClient: redis, keyPrefix: `${prefix}throttle:${name}`, points: options.points, duration: options.windowSeconds,
      insuranceLimiter: memory(name, options),
    });
    const strikes = new RateLimiterRedis({
      storeClient: redis, keyPrefix: `${prefix}throttle:${name}:strikes`, points: 1_000_000, duration: options.strikeWindowSeconds ?? DAY,
      insuranceLimiter: memoryStrikes(name, options),
    });
    return new FlexibleAttemptLimiter(attempts, strikes, options);
  }

  async consume(key: string): Promise<AttemptDecision> {
    try {
      const res = await this.attempts.consume(key);
      return { allowed: true, remaining: res.remainingPoints, retryAfterSeconds: 0, blockStarted: false };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      if (rejection.consumedPoints !== this.options.points + 1) {
        return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), blockStarted: false };
      }
      // This attempt is the one that went over (the counter is atomic: exactly one sees this value).
      const strike = await this.strikes.penalty(key, 1);
      const seconds = Math.min(this.maxBlockSeconds, this.options.blockSeconds * 2 ** Math.max(0, strike.consumedPoints - 1));
      await this.attempts.block(key, seconds);
      this.logger.debug(LogKind.Authentication, 'Throttle: key blocked', { seconds, strike: strike.consumedPoints });
      return { allowed: false, remaining: 0, retryAfterSeconds: seconds, blockStarted: true };
    }
  }

  async reset(key: string): Promise<void> {
    await Promise.all([this.attempts.delete(key), this.strikes.delete(key)]);
  }
}

function memory(name: string, options: AttemptLimiterOptions): RateLimiterMemory {
  return new RateLimiterMemory({ keyPrefix: name, points: options.points, duration: options.windowSeconds });
}

function memoryStrikes(name: string, options: AttemptLimiterOptions): RateLimiterMemory {
  return new RateLimiterMemory({ keyPrefix: `${name}:strikes`, points: 1_000_000, duration: options.strikeWindowSeconds ?? DAY });
}
