/**
 * Remembers single-use identifiers (grant and proof `jti`s) until they expire. The interface lets
 * a Redis implementation (`SET key 1 NX PXAT expiry`) replace the in-memory one when a connector
 * runs as several replicas.
 */
export interface ReplayCache {
  /**
   * Records `key` until `expiresAtMs`. Returns false when it was already recorded (a replay) — or
   * when the cache is full of unexpired entries, because forgetting one would reopen a replay.
   */
  remember(key: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
}

export const REPLAY_CACHE = Symbol('REPLAY_CACHE');

/** The default: a Map swept of expired entries as it grows; bounded, failing closed when full. */
export class InMemoryReplayCache implements ReplayCache {
  private readonly entries = new Map<string, number>();
  private nextSweep = 0;

  constructor(private readonly maxEntries = 1_000_000) {}

  async remember(key: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    if (nowMs >= this.nextSweep || this.entries.size >= this.maxEntries) this.sweep(nowMs);
    const known = this.entries.get(key);
    if (known !== undefined && known > nowMs) return false;
    if (this.entries.size >= this.maxEntries) return false;
    this.entries.set(key, expiresAtMs);
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(nowMs: number): void {
    for (const [key, expiry] of this.entries) if (expiry <= nowMs) this.entries.delete(key);
    this.nextSweep = nowMs + 5_000;
  }
}
