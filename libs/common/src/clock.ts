/**
 * The time source. Injected wherever a rule depends on the time (validity, expiry, lockouts, day
 * boundaries) so that tests can move it (CONVENTIONS.md §5). It answers a `Date`; callers that
 * want milliseconds take `now().getTime()`.
 */
export interface Clock {
  now(): Date;
}

/** The one injection token of the {@link Clock}, in every app. */
export const CLOCK = Symbol('CLOCK');

/** The machine's clock: the default outside tests. */
export const systemClock: Clock = { now: () => new Date() };
