import type { GrantResponse } from '@tsunagu/contracts';
import { KeysByConsent, type RevocableCache } from '../revocations/revocable-cache';

/** Whether this connector's revocation set refuses a consent version (RevocationSet.isRevoked). */
export type RevokedCheck = (consentId: string, version: number) => boolean;

interface Entry {
  grant: GrantResponse;
  until: number;
}

/**
 * Reusable grants (the hub says `reusable: true`) kept until shortly before they expire, so that a
 * service asking for the same resident's same items again within a grant's lifetime does not cost
 * a hub round trip. Single-use grants are never cached.
 *
 * A grant is never reused once its consent version is revoked: a change the revocation set applies
 * drops the grants it revokes (RevocableCache, before a pushed event is acknowledged), and `get`
 * asks the set again, so a grant cached while the change was being applied is not reused either.
 * (The provider refuses such a grant anyway; this spares the refused exchange and asks the hub,
 * which may grant a newer version.)
 *
 * The margin keeps a grant from expiring on its way to the provider: 5 s covers the request's
 * time in flight plus clock skew between the connectors (the provider allows 5 s more on expiry).
 */
export class GrantCache implements RevocableCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byConsent = new KeysByConsent();

  constructor(private readonly isRevoked: RevokedCheck, private readonly maxEntries = 10_000, private readonly marginMs = 5_000) {}

  /** One entry per request: a `consentedOnly` request may be granted fewer items than asked for, so it has its own. */
  static key(localId: string, dataUse: string, items: string[], purpose: string, consentedOnly = false): string {
    return JSON.stringify([localId, dataUse, [...items].sort(), purpose, consentedOnly]);
  }

  get(key: string, nowMs: number): GrantResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= nowMs || this.isRevoked(entry.grant.consentId, entry.grant.consentVersion)) {
      this.drop(key);
      return undefined;
    }
    return entry.grant;
  }

  put(key: string, grant: GrantResponse, nowMs: number): void {
    if (!grant.reusable) return;
    const until = Date.parse(grant.expiresAt) - this.marginMs;
    if (!(until > nowMs)) return;
    this.drop(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.drop(oldest);
    }
    this.entries.set(key, { grant, until });
    this.byConsent.add(grant.consentId, grant.consentVersion, key);
  }

  drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.byConsent.delete(entry.grant.consentId, key);
  }

  dropRevoked(consentId: string, isRevoked: (version: number) => boolean): void {
    for (const key of this.byConsent.revoked(consentId, isRevoked)) this.drop(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
