import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@tsunagu/common';
import type { ConsentChange } from '@tsunagu/contracts';
import { CONNECTOR_CONFIG, type ConnectorConfig } from '../connector.tokens';

interface Entry {
  version: number;
  active: boolean;
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
 * before the first one after a start — the set is stale and the provider refuses to serve.
 */
@Injectable()
export class RevocationSet {
  private readonly entries = new Map<string, Entry>();
  private lastSync: number | undefined;
  private readonly stalenessMs: number;
  private readonly retainMs: number;

  constructor(@Inject(CONNECTOR_CONFIG) config: ConnectorConfig, @Inject(CLOCK) private readonly clock: Clock) {
    this.stalenessMs = config.revocations.stalenessSeconds * 1000;
    this.retainMs = config.revocations.retainSeconds * 1000;
  }

  /** Applies one change. Returns true when it changed what is refused. */
  apply(change: ConsentChange): boolean {
    const now = this.clock.now().getTime();
    const known = this.entries.get(change.consent_id);
    const active = change.state === 'active';
    if (known && known.version > change.version) return false;
    if (known && known.version === change.version) {
      // A version's state is fixed when committed; if two reports disagree, refusing is the safe side.
      const changed = known.active && !active;
      known.active = known.active && active;
      known.learntAt = now;
      return changed;
    }
    this.entries.set(change.consent_id, { version: change.version, active, learntAt: now });
    return true;
  }

  /** True when a grant for this consent version must be refused. */
  isRevoked(consentId: string, version: number): boolean {
    const known = this.entries.get(consentId);
    if (!known) return false;
    return version < known.version || (version === known.version && !known.active);
  }

  /** Records a successful feed pull that started at `at`. */
  markSynced(at: Date): void {
    const t = at.getTime();
    if (this.lastSync === undefined || t > this.lastSync) this.lastSync = t;
    this.prune();
  }

  /** False before the first sync and when the last one is older than the staleness bound. */
  isFresh(): boolean {
    return this.lastSync !== undefined && this.clock.now().getTime() - this.lastSync <= this.stalenessMs;
  }

  get lastSyncAt(): Date | undefined {
    return this.lastSync === undefined ? undefined : new Date(this.lastSync);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Forgets changes learnt longer ago than the retention (≥ 2 grant lifetimes): the hub issues
   * grants only for current active versions, so an old change can no longer affect a live grant.
   */
  prune(): void {
    const cutoff = this.clock.now().getTime() - this.retainMs;
    for (const [id, entry] of this.entries) if (entry.learntAt < cutoff) this.entries.delete(id);
  }
}
