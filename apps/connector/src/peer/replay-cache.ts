import { type Clock, type ReplayCache, systemClock } from '@tsunagu/common';

/** Injection token of the connector's {@link ReplayCache} (grant and proof `jti`s). */
export const REPLAY_CACHE = Symbol('REPLAY_CACHE');

/**
 * The default: a Map swept of expired entries as it grows; bounded, failing closed when full.
 * A Redis implementation (`SET key 1 NX PXAT expiry`) can replace it when a connector runs as
 * several replicas.
 */
export class InMemoryReplayCache implements ReplayCache {
  private readonly entries = new Map<string, number>();
  private nextSweep = 0;

  constructor(private readonly clock: Clock = systemClock, private readonly maxEntries = 1_000_000) {}

  async checkAndRemember(key: string, expiresAt: Date): Promise<boolean> {
    const nowMs = this.clock.now().getTime();
    if (nowMs >= this.nextSweep || this.entries.size >= this.maxEntries) this.sweep(nowMs);
    const known = this.entries.get(key);
    if (known !== undefined && known > nowMs) return false;
    if (this.entries.size >= this.maxEntries) return false;
    this.entries.set(key, expiresAt.getTime());
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
