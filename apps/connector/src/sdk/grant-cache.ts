import type { GrantResponse } from '@tsunagu/contracts';

/**
 * Reusable grants (the hub says `reusable: true`) kept until shortly before they expire, so that a
 * service asking for the same resident's same items again within a grant's lifetime does not cost
 * a hub round trip. Single-use grants are never cached.
 */
export class GrantCache {
  private readonly entries = new Map<string, { grant: GrantResponse; until: number }>();

  constructor(private readonly maxEntries = 10_000, private readonly marginMs = 5_000) {}

  /** One entry per request: a `consentedOnly` request may be granted fewer items than asked for, so it has its own. */
  static key(localId: string, dataUse: string, items: string[], purpose: string, consentedOnly = false): string {
    return JSON.stringify([localId, dataUse, [...items].sort(), purpose, consentedOnly]);
  }

  get(key: string, nowMs: number): GrantResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.grant;
  }

  put(key: string, grant: GrantResponse, nowMs: number): void {
    if (!grant.reusable) return;
    const until = Date.parse(grant.expiresAt) - this.marginMs;
    if (!(until > nowMs)) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { grant, until });
  }

  drop(key: string): void {
    this.entries.delete(key);
  }
}
