import { createHash } from 'node:crypto';
import { GRANT_CLOCK_TOLERANCE_SECONDS, type GrantClaims } from '@tsunagu/contracts';
import { KeysByConsent, KeysByGroup, type RevocableCache } from '../revocations/revocable-cache';

/** Whether the hub key that verified a grant is still the one the hub publishes under its `kid`. */
export type CurrentKeyCheck = (kid: string, key: unknown) => boolean;

interface Entry {
  claims: Readonly<GrantClaims>;
  kid: string;
  key: unknown;
}

/**
 * Grants this provider has decrypted and verified, so that a reusable grant presented again (the
 * consumer keeps one for up to its 30 s lifetime, one request after another) costs no ECDH, AES
 * and ES256 work again. An entry is the result of `openGrant` for one exact compact grant string,
 * keyed by its SHA-256 (which is also what the proof's `ath` is over); nothing in that result
 * depends on anything but the string, this connector's keys and configuration, and the hub key
 * that signed it. So a hit re-checks only what can change with time: expiry (as `openGrant`
 * would, with the same clock tolerance) and that the signing key is still published by the hub
 * (a key the hub withdrew stops vouching for cached grants at once). Everything about the request
 * — the DPoP proof, its and a single-use grant's replay, the revocation set, the items, the
 * schemas — is checked by the caller on every request, cached grant or not.
 *
 * Bounded: expired entries are swept as it fills; when full of live ones, the oldest goes (it is
 * verified again if it comes back: a cache miss costs time, never safety). A consent change that
 * revokes a grant's version, and the revocation of the consumer connector it was issued to (its
 * `azp`), drop its entry at once (RevocableCache): the caller's revocation check would refuse it
 * anyway, so this is hygiene — a revoked grant is not kept for its lifetime.
 */
export class VerifiedGrantCache implements RevocableCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byConsent = new KeysByConsent();
  /** The keys by consumer (`azp`), with each grant's `iat`. */
  private readonly byConsumer = new KeysByGroup();
  private nextSweep = 0;

  constructor(private readonly isCurrentKey: CurrentKeyCheck, private readonly maxEntries = 5_000) {}

  static keyOf(grant: string): string {
    return createHash('sha256').update(grant, 'ascii').digest('base64url');
  }

  /** The claims of an earlier verification of exactly this grant, while it is still valid. */
  get(grant: string, nowMs: number): Readonly<GrantClaims> | undefined {
    const id = VerifiedGrantCache.keyOf(grant);
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (!this.stillValid(entry, nowMs) || !this.isCurrentKey(entry.kid, entry.key)) {
      // Verified again from scratch, which gives the caller the precise refusal (grant_expired, …).
      this.delete(id);
      return undefined;
    }
    return entry.claims;
  }

  /** Remembers a grant `openGrant` accepted, with the hub key (`kid` and key object) that verified it. */
  put(grant: string, claims: GrantClaims, kid: string, key: unknown, nowMs: number): void {
    if (nowMs >= this.nextSweep || this.entries.size >= this.maxEntries) this.sweep(nowMs);
    const id = VerifiedGrantCache.keyOf(grant);
    this.delete(id);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.delete(oldest);
    }
    const frozen = Object.freeze({ ...claims, items: Object.freeze([...claims.items]), cnf: Object.freeze({ ...claims.cnf }) }) as Readonly<GrantClaims>;
    this.entries.set(id, { claims: frozen, kid, key });
    this.byConsent.add(frozen.consent_id, frozen.consent_version, id);
    this.byConsumer.add(frozen.azp, frozen.iat, id);
  }

  dropRevoked(consentId: string, isRevoked: (version: number) => boolean): void {
    for (const id of this.byConsent.revoked(consentId, isRevoked)) this.delete(id);
  }

  dropIssuedTo(azp: string, isRevoked: (iat: number) => boolean): void {
    for (const id of this.byConsumer.revoked(azp, isRevoked)) this.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }

  private stillValid(entry: Entry, nowMs: number): boolean {
    const now = Math.floor(nowMs / 1000);
    return now < entry.claims.exp + GRANT_CLOCK_TOLERANCE_SECONDS && entry.claims.iat <= now + GRANT_CLOCK_TOLERANCE_SECONDS;
  }

  private sweep(nowMs: number): void {
    for (const [id, entry] of this.entries) if (!this.stillValid(entry, nowMs)) this.delete(id);
    this.nextSweep = nowMs + 5_000;
  }

  private delete(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.byConsent.delete(entry.claims.consent_id, id);
    this.byConsumer.delete(entry.claims.azp, id);
  }
}
