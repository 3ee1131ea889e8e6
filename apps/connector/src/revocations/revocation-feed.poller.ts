import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { CLOCK, type Clock } from '@tsunagu/common';
import { verifyRevocationFeed } from '@tsunagu/contracts';
import { CONNECTOR_CONFIG, CONNECTOR_IDENTITY, type ConnectorConfig, type ConnectorIdentity } from '../connector.tokens';
import { HubClient } from '../hub-client/hub.client';
import { HubKeys } from '../hub-client/hub-keys';
import { RevocationSet } from './revocation-set';

/** At most this many pages per pull, so that one pull cannot run forever. */
const MAX_PAGES_PER_PULL = 50;

/**
 * Pulls the signed revocation feed every `pullIntervalSeconds` (the fallback of pushed events,
 * ARCHITECTURE.md §6) and marks the revocation set synced after each complete, verified pull.
 * A failed pull changes nothing: the set goes stale on its own and the provider fails closed.
 */
@Injectable()
export class RevocationFeedPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(RevocationFeedPoller.name);
  private cursor: string | undefined;
  private timer?: NodeJS.Timeout;
  private running?: Promise<boolean>;
  private stopped = true;
  private failing = false;

  constructor(
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
    @Inject(CONNECTOR_IDENTITY) private readonly identity: ConnectorIdentity,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly hub: HubClient,
    private readonly hubKeys: HubKeys,
    private readonly set: RevocationSet,
  ) {}

  onApplicationBootstrap(): void {
    // Only providers enforce revocations; a consumer-only connector has nothing to keep fresh.
    if (this.config.offers.length) this.start();
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  /** Starts pulling now and then on the interval. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One pull (all pages). Concurrent callers share it. Resolves true when the set was synced. */
  pullOnce(): Promise<boolean> {
    this.running ??= this.pull().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async tick(): Promise<void> {
    const started = Date.now();
    await this.pullOnce();
    if (this.stopped) return;
    // Fixed rate, not fixed delay: a slow pull must not stretch the interval, which bounds how long
    // a withdrawal can go unseen when pushes do not arrive.
    const interval = this.config.revocations.pullIntervalSeconds * 1000;
    this.timer = setTimeout(() => void this.tick(), Math.max(0, interval - (Date.now() - started)));
    this.timer.unref();
  }

  /** Marks the set synced, saying so when the hub's staleness bound changes what is in force. */
  private synced(started: Date, hubStalenessSeconds: number | undefined): void {
    const before = this.set.stalenessSeconds;
    this.set.markSynced(started, hubStalenessSeconds);
    const now = this.set.stalenessSeconds;
    if (now === before) return;
    const interval = this.config.revocations.pullIntervalSeconds;
    if (now <= interval) {
      this.logger.warn(LogKind.Operation, 'Staleness bound imposed by the hub is not longer than the pull interval: the set goes stale between pulls', { stalenessSeconds: now, pullIntervalSeconds: interval });
    } else {
      this.logger.log(LogKind.Operation, 'Staleness bound in force', { stalenessSeconds: now, hubStalenessSeconds, ownStalenessSeconds: this.config.revocations.stalenessSeconds });
    }
  }

  private async pull(): Promise<boolean> {
    const started = this.clock.now();
    let cursor = this.cursor;
    let applied = 0;
    try {
      for (let page = 0; page < MAX_PAGES_PER_PULL; page++) {
        const token = await this.hub.revocationFeed(cursor);
        const feed = await verifyRevocationFeed(token, { hubKeys: this.hubKeys.resolve, issuer: this.config.hub.issuer, audience: this.identity.id, now: this.clock.now() });
        for (const change of feed.changes) if (this.set.apply(change)) applied++;
        for (const revocation of feed.revoked_connectors ?? []) if (this.set.applyConnectorRevocation(revocation)) applied++;
        const moved = feed.cursor !== cursor;
        cursor = feed.cursor;
        // Keep progress page by page: a later page failing must not replay earlier ones forever.
        this.cursor = cursor;
        if (!feed.more) {
          this.synced(started, feed.staleness_seconds);
          if (this.failing) this.logger.log(LogKind.Communication, 'Revocation feed reachable again');
          if (applied) this.logger.log(LogKind.Event, 'Revocation feed applied', { changes: applied });
          this.failing = false;
          return true;
        }
        // More changes follow but the hub could not move the cursor (a burst of changes still
        // settling): this pull saw only part of them, so it is no sync. The next one tries again.
        if (!moved) {
          this.logger.warn(LogKind.Communication, 'Revocation feed still settling a burst of changes; not counted as a sync');
          return false;
        }
      }
      this.logger.warn(LogKind.Communication, 'Revocation feed has more pages than one pull takes; continuing next interval');
      return false;
    } catch (error) {
      if (!this.failing) {
        this.logger.warn(LogKind.Communication, 'Revocation feed pull failed', { problem: (error as Error).message });
      }
      this.failing = true;
      return false;
    }
  }
}
