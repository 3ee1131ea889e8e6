/** The time source of consent decisions, injectable so that tests can move it (validity, expiry). */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');
export const systemClock: Clock = { now: () => new Date() };
