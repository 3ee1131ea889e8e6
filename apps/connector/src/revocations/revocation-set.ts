import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@tsunagu/common';
import { type ConnectorRevocation, type ConsentChange, GRANT_CLOCK_TOLERANCE_SECONDS } from '@tsunagu/contracts';
import { CONNECTOR_CONFIG, type ConnectorConfig } from '../connector.tokens';
import type { RevocableCache } from './revocable-cache';

interface Entry {
  version: number;
  active: boolean;
  learntAt: number;
}

/** A revoked consumer connector: grants issued to it until `revokedAtMs` are refused. */
interface RevokedConnector {
  revokedAtMs: number;
  learntAt: number;
}

/**
 * What this connector knows of consent changes, and how recently it confirmed that knowledge
 * with the hub (docs/adr/2026-11-22-revocation-set.md).
 *
 * Per consent: the highest version heard of and whether that version is active. A grant naming an
 * older version, or this version when it is not active, is revoked. Changes only move forward, so
 * late, duplicate or out-of-order deliveries are harmless.
 *
 * Freshness: only a successful pull of the signed feed counts as a sync (a pushed event proves the
 * hub can reach us, not that we missed nothing). With no sync within the staleness bound — and
 * before the first one after a start — the set is stale and the provider refuses to serve. The
 * bound is the smaller of this connector's `revocations.stalenessSeconds` and the one the hub
 * signs into its feed pages (once a pull brought it): the hub promises residents "enforced
 * everywhere by commit + its bound", and a longer local setting must not break that promise.
 *
 * Revoked connectors: per consumer connector a tenant admin revoked, the moment; a grant issued
 * to it (`azp`) until then is refused (`connector_revoked`), whatever its consent. A later moment
 * for the same connector only widens what is refused.
 *
 * Caches of grants watch the set: every change that revokes something is passed to them at once
 * (RevocableCache), so a cached grant never outlives its consent version, nor its consumer.
 */
@Injectable()
export class RevocationSet {
  private readonly entries = new Map<string, Entry>();
  private readonly revokedConnectors = new Map<string, RevokedConnector>();
  private readonly caches: RevocableCache[] = [];
  private lastSync: number | undefined;
  private readonly ownStalenessMs: number;
  private hubStalenessMs: number | undefined;
  private readonly retainMs: number;
  private nextPrune = 0;

  constructor(@Inject(CONNECTOR_CONFIG) config: ConnectorConfig, @Inject(CLOCK) private readonly clock: Clock) {
    this.ownStalenessMs = config.revocations.stalenessSeconds * 1000;
    this.retainMs = config.revocations.retainSeconds * 1000;
  }

  /** Passes every change that revokes something to `cache`, synchronously, as it is applied. */
  watch(cache: RevocableCache): void {
    this.caches.push(cache);
  }

  /**
   * An erasure request (docs/erasure.md): drops from every watching cache each grant under these
   * consents, whatever its version. Returns how many entries went.
   */
  dropConsents(consentIds: string[]): number {
    const before = this.caches.reduce((n, c) => n + c.size, 0);
    for (const cache of this.caches) for (const id of consentIds) cache.dropRevoked(id, () => true);
    return before - this.caches.reduce((n, c) => n + c.size, 0);
  }

  /** Applies one change. Returns true when it changed what is refused (the watching caches have then dropped what it revokes). */
  apply(change: ConsentChange): boolean {
    const now = this.clock.now().getTime();
    // A consumer-only connector never syncs (markSynced prunes): keep its memory bounded here too.
    if (now >= this.nextPrune) this.prune();
    const known = this.entries.get(change.consent_id);
    const active = change.state === 'active';
    if (known && known.version > change.version) return false;
    let changed = true;
    if (known && known.version === change.version) {
      // A version's state is fixed when committed; if two reports disagree, refusing is the safe side.
      changed = known.active && !active;
      known.active = known.active && active;
      known.learntAt = now;
    } else {
      this.entries.set(change.consent_id, { version: change.version, active, learntAt: now });
    }
    if (changed) {
      const consentId = change.consent_id;
      for (const cache of this.caches) cache.dropRevoked(consentId, (version) => this.isRevoked(consentId, version));
    }
    return changed;
  }

  /**
   * Applies one revoked connector. Returns true when it changed what is refused (the watching
   * caches have then dropped the grants issued to it). An unreadable moment refuses every grant
   * issued to the connector: refusing is the safe side.
   */
  applyConnectorRevocation(revocation: ConnectorRevocation): boolean {
    const now = this.clock.now().getTime();
    if (now >= this.nextPrune) this.prune();
    const parsed = Date.parse(revocation.revoked_at);
    const revokedAtMs = Number.isNaN(parsed) ? Number.POSITIVE_INFINITY : parsed;
    const known = this.revokedConnectors.get(revocation.connector_id);
    if (known) known.learntAt = now;
    if (known && known.revokedAtMs >= revokedAtMs) return false;
    this.revokedConnectors.set(revocation.connector_id, { revokedAtMs, learntAt: now });
    const azp = revocation.connector_id;
    for (const cache of this.caches) cache.dropIssuedTo?.(azp, (iat) => this.isConnectorRevoked(azp, iat));
    return true;
  }

  /**
   * True when a grant issued to the connector `azp` at `iat` (seconds) must be refused: it was
   * issued before that connector's revocation — give or take the clock tolerance between the hub's
   * processes and its database (the hub issues a revoked connector no grant afterwards anyway).
   */
  isConnectorRevoked(azp: string, iat: number): boolean {
    const known = this.revokedConnectors.get(azp);
    return !!known && iat * 1000 <= known.revokedAtMs + GRANT_CLOCK_TOLERANCE_SECONDS * 1000;
  }

  /** True when a grant for this consent version must be refused. */
  isRevoked(consentId: string, version: number): boolean {
    const known = this.entries.get(consentId);
    if (!known) return false;
    return version < known.version || (version === known.version && !known.active);
  }

  /**
   * Records a successful feed pull that started at `at`, with the staleness bound its pages were
   * signed with (`staleness_seconds`; undefined from an older hub, which leaves the last one heard
   * in force). The hub's latest word counts, so an operator can also lengthen it again.
   */
  markSynced(at: Date, hubStalenessSeconds?: number): void {
    const t = at.getTime();
    if (this.lastSync === undefined || t > this.lastSync) this.lastSync = t;
    if (hubStalenessSeconds !== undefined) this.hubStalenessMs = hubStalenessSeconds * 1000;
    this.prune();
  }

  /** The staleness bound in force, in seconds: the smaller of this connector's and the hub's. */
  get stalenessSeconds(): number {
    return this.stalenessMs / 1000;
  }

  /** False before the first sync and when the last one is older than the staleness bound. */
  isFresh(): boolean {
    return this.lastSync !== undefined && this.clock.now().getTime() - this.lastSync <= this.stalenessMs;
  }

  private get stalenessMs(): number {
    return Math.min(this.ownStalenessMs, this.hubStalenessMs ?? Infinity);
  }

  get lastSyncAt(): Date | undefined {
    return this.lastSync === undefined ? undefined : new Date(this.lastSync);
  }

  /** How many consent changes and revoked connectors the set remembers. */
  get size(): number {
    return this.entries.size + this.revokedConnectors.size;
  }

  /**
   * Forgets changes learnt longer ago than the retention (≥ 2 grant lifetimes): the hub issues
   * grants only for current active versions, so an old change can no longer affect a live grant;
   * nor does it issue any to a revoked connector, whose grants have all expired by then.
   */
  prune(): void {
    const now = this.clock.now().getTime();
    const cutoff = now - this.retainMs;
    for (const [id, entry] of this.entries) if (entry.learntAt < cutoff) this.entries.delete(id);
    for (const [id, entry] of this.revokedConnectors) if (entry.learntAt < cutoff) this.revokedConnectors.delete(id);
    this.nextPrune = now + 60_000;
  }
}
