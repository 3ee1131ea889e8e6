import { THROTTLE_ERROR_MESSAGES_WITH_VALUE, ThrottleErrorCodes, type ThrottleErrorCode } from '@tsunagu/contracts';
import { DomainException } from './domain.exception';

/** The answer of an {@link AttemptLimiter} to one attempt. */
export interface AttemptDecision {
  /** False: refuse the request (429) before doing any work for it. */
  allowed: boolean;
  /** Attempts left in the current window (0 once refused). */
  remaining: number;
  /** Refused: whole seconds until an attempt may succeed again (the `Retry-After` value); 0 when allowed. */
  retryAfterSeconds: number;
  /** True for the one attempt that started a block (so it is recorded once, not per refused request). */
  blockStarted: boolean;
}

/**
 * Counts attempts per key (an address, a login ID, a client ID) in a fixed window and refuses
 * them once the window's allowance is used; a key that goes over is blocked for a while, longer
 * each time it goes over again (progressive). Counting and deciding are one atomic step: of any
 * number of concurrent attempts for one key, on one instance or on replicas sharing a store, at
 * most the allowance is let through. Every implementation runs `attemptLimiterContract` of
 * @tsunagu/testing.
 */
export interface AttemptLimiter {
  /** Counts one attempt for `key` and says whether it may go ahead. */
  consume(key: string): Promise<AttemptDecision>;
  /** Forgets `key`'s attempts and blocks (after a successful sign-in). */
  reset(key: string): Promise<void>;
}

/** A request refused by a limiter: 429, `Retry-After`, the same words whoever asked. */
export class TooManyAttemptsException extends DomainException<ThrottleErrorCode> {
  /** @param blockStarted true when this refusal started a block (record it once). */
  constructor(readonly retryAfterSeconds: number, readonly blockStarted = false) {
    super('too_many_attempts', ThrottleErrorCodes.too_many_attempts, THROTTLE_ERROR_MESSAGES_WITH_VALUE.too_many_attempts(retryAfterSeconds));
  }
}

/** The headers a reply to `error` carries: `Retry-After` for a throttled request, none otherwise. */
export function throttleHeaders(error: unknown): Record<string, string> {
  return error instanceof TooManyAttemptsException ? { 'retry-after': String(error.retryAfterSeconds) } : {};
}

/**
 * Consumes one attempt of each `[limiter, key]` pair, in order, stopping at the first refusal
 * (an address over its limit does not also count against the login ID it named). Throws
 * {@link TooManyAttemptsException} with the longest wait when any refuses.
 */
export async function consumeAll(checks: [AttemptLimiter, string][]): Promise<AttemptDecision[]> {
  const decisions: AttemptDecision[] = [];
  for (const [limiter, key] of checks) {
    const decision = await limiter.consume(key);
    decisions.push(decision);
    if (!decision.allowed) throw new TooManyAttemptsException(Math.max(1, ...decisions.map((d) => d.retryAfterSeconds)), decision.blockStarted);
  }
  return decisions;
}
