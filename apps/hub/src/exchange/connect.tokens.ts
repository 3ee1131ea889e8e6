/** Injection token of the client assertion replay cache (Redis when configured, else in process). */
export const ASSERTION_REPLAY_CACHE = Symbol('ASSERTION_REPLAY_CACHE');
/** Injection token of the revocations job queue. */
export const REVOCATIONS_QUEUE = Symbol('REVOCATIONS_QUEUE');
