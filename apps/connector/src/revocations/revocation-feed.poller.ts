import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { CLOCK, type Clock } from '@tsunagu/common';
import { cursorCovers, furtherCursor, verifyRevocationChanges, verifyRevocationFeed, verifyRevocationHead } from '@tsunagu/contracts';
import { CONNECTOR_CONFIG, CONNECTOR_IDENTITY, type ConnectorConfig, type ConnectorIdentity } from '../connector.tokens';
import { HubClient } from '../hub-client/hub.client';
import { HubKeys } from '../hub-client/hub-keys';
import { RevocationSet } from './revocation-set';
import { RevocationStream } from './revocation-stream';

/** At most this many pages per pull, so that one pull cannot run forever. */
const MAX_PAGES_PER_PULL = 50;
/**
 * A verified head came this recently (the hub sends one every ≤ 2 s): the interval's pull is skipped.
 * Longer quiet, and the pulls resume, so a stream that dies silently costs at most this much freshness.
 */
export const STREAM_QUIET_MS = 3_000;
/** A catch-up pull after changes the stream brought waits a random delay up to this. */
export const CATCH_UP_SPREAD_MS = 1_000;

/**
 * Keeps the revocation set in step with the hub's signed feed (the fallback of pushed events,
 * ARCHITECTURE.md §6) and marks it synced after each complete, verified pull. A failed pull
 * changes nothing: the set goes stale on its own and the provider fails closed.
 *
 * Idle, it costs the hub almost nothing (docs/adr/2026-12-02-revocation-stream.md): it holds the
 * hub's revocation stream (RevocationStream), whose signed heads are syncs without a pull while the
 * feed position they name is one this connector has seen, and whose `change` events make it pull
 * at once. Without a verified head for STREAM_QUIET_MS (no stream, an old hub, a cut) it pulls every
 * `pullIntervalSeconds`, revalidating its last empty page (`If-None-Match`: 304 when nothing followed).
 */
@Injectable()
export class RevocationFeedPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(RevocationFeedPoller.name);
  private cursor: string | undefined;
  private timer?: NodeJS.Timeout;
  private running?: Promise<boolean>;
  private stopped = true;
  private failing = false;
  /** The entity tag of the last page, when it was an empty page ending at `cursor`. */
  private etag?: { cursor: string; tag: string };
  /** The highest feed head verified, and when (ms, this connector's clock). */
  private latestHead?: string;
  private lastHeadAt = -Infinity;
  /** Every change up to this position has been pulled (the cursor, or a head a complete pull started after). */
  private covered?: string;
  private headProblem?: string;
  /** The head of the latest `changes` event applied: the changes up to it are in the set, maybe not the cursor. */
  private streamedUpTo?: string;
  private catchUp?: NodeJS.Timeout;
  private readonly stream: RevocationStream;

  constructor(
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
    @Inject(CONNECTOR_IDENTITY) private readonly identity: ConnectorIdentity,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly hub: HubClient,
    private readonly hubKeys: HubKeys,
    private readonly set: RevocationSet,
  ) {
    this.stream = new RevocationStream(hub, {
      event: (type, data) => void this.streamEvent(type, data),
      opened: () => this.logger.log(LogKind.Communication, 'Revocation stream open'),
      closed: (reason) => this.logger.log(LogKind.Communication, 'Revocation stream closed', { reason }),
    });
  }

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
    this.stream.start();
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.stream.stop();
    clearTimeout(this.catchUp);
    this.catchUp = undefined;
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

  /** Whether a pull is running now. */
  get pulling(): boolean {
    return this.running !== undefined;
  }

  /** Whether the stream delivered a verified head within STREAM_QUIET_MS. */
  get streaming(): boolean {
    return this.clock.now().getTime() - this.lastHeadAt <= STREAM_QUIET_MS;
  }

  /**
   * One event of the stream. Changes: verified and applied at once (as a pushed event); the feed
   * catches the cursor up at the next head. A head: verified, then a sync if this connector has
   * pulled up to it, else a pull — after a short random delay when the stream already brought the
   * changes up to it, so that the connectors of a service do not all pull at the same moment. A
   * change: a pull now (and once more after a pull already running).
   */
  async streamEvent(type: string, data: string): Promise<void> {
    if (type === 'change') {
      await this.pullFresh();
      return;
    }
    if (type === 'changes') {
      await this.applyStreamedChanges(data);
      return;
    }
    if (type !== 'head') return;
    const received = this.clock.now();
    let head: Awaited<ReturnType<typeof verifyRevocationHead>>;
    try {
      head = await verifyRevocationHead(data, { hubKeys: this.hubKeys.resolve, issuer: this.config.hub.issuer, now: received });
    } catch (error) {
      const problem = (error as Error).message;
      if (this.headProblem !== problem) this.logger.warn(LogKind.Communication, 'Revocation stream head refused; pulling instead', { problem });
      this.headProblem = problem;
      return;
    }
    this.headProblem = undefined;
    this.lastHeadAt = received.getTime();
    this.latestHead = furtherCursor(this.latestHead, head.head);
    if (cursorCovers(furtherCursor(this.covered, this.cursor), head.head)) {
      // The head's moment, not its arrival: what it proves is as of the hub's read (and never later than now).
      this.synced(new Date(Math.min(received.getTime(), head.asOf.getTime())), head.staleness_seconds);
      return;
    }
    if (cursorCovers(this.streamedUpTo, head.head)) {
      // Only the cursor is behind: what it would bring is applied already. The set is not synced
      // meanwhile, so the delay (≤ CATCH_UP_SPREAD_MS, far below the staleness bound) costs no safety.
      if (!this.catchUp) {
        this.catchUp = setTimeout(() => {
          this.catchUp = undefined;
          if (!this.stopped) void this.pullFresh();
        }, Math.random() * CATCH_UP_SPREAD_MS);
        this.catchUp.unref();
      }
      return;
    }
    await this.pullFresh();
  }

  /** A `changes` event: applied when the hub's signature and freshness verify; otherwise ignored (the feed brings them). */
  private async applyStreamedChanges(data: string): Promise<void> {
    let claims: Awaited<ReturnType<typeof verifyRevocationChanges>>;
    try {
      claims = await verifyRevocationChanges(data, { hubKeys: this.hubKeys.resolve, issuer: this.config.hub.issuer, now: this.clock.now() });
    } catch (error) {
      this.logger.warn(LogKind.Communication, 'Revocation stream changes refused; the feed brings them', { problem: (error as Error).message });
      return;
    }
    let applied = 0;
    for (const change of claims.changes) if (this.set.apply(change)) applied++;
    this.streamedUpTo = furtherCursor(this.streamedUpTo, claims.head);
    if (applied) this.logger.log(LogKind.Event, 'Revocation stream changes applied', { changes: applied });
  }

  /** A pull that starts after now: one running may have queried before the news, so it is awaited and another follows. */
  private async pullFresh(): Promise<boolean> {
    if (this.running) await this.running;
    // Running now means started since (by another event): after the news too.
    return this.pullOnce();
  }

  private async tick(): Promise<void> {
    const started = Date.now();
    if (!this.streaming) await this.pullOnce();
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
    const headAtStart = this.latestHead;
    let cursor = this.cursor;
    let applied = 0;
    try {
      for (let page = 0; page < MAX_PAGES_PER_PULL; page++) {
        const tag = this.etag && this.etag.cursor === cursor ? this.etag.tag : undefined;
        const answer = await this.hub.revocationFeedPage(cursor, tag);
        if ('notModified' in answer) {
          // Nothing after the cursor, as of the hub's moment (or this pull's start if it named none).
          this.synced(new Date(Math.min(started.getTime(), answer.asOf?.getTime() ?? Infinity)), undefined);
          this.covered = furtherCursor(cursor, headAtStart);
          if (this.failing) this.logger.log(LogKind.Communication, 'Revocation feed reachable again');
          this.failing = false;
          return true;
        }
        const token = answer.token;
        const feed = await verifyRevocationFeed(token, { hubKeys: this.hubKeys.resolve, issuer: this.config.hub.issuer, audience: this.identity.id, now: this.clock.now() });
        for (const change of feed.changes) if (this.set.apply(change)) applied++;
        for (const revocation of feed.revoked_connectors ?? []) if (this.set.applyConnectorRevocation(revocation)) applied++;
        const moved = feed.cursor !== cursor;
        cursor = feed.cursor;
        // Keep progress page by page: a later page failing must not replay earlier ones forever.
        this.cursor = cursor;
        this.etag = answer.etag && !feed.more && !feed.changes.length && !feed.revoked_connectors?.length ? { cursor, tag: answer.etag } : undefined;
        if (!feed.more) {
          this.synced(started, feed.staleness_seconds);
          // This complete pull started after that head was verified: every change up to it was in its pages.
          this.covered = furtherCursor(cursor, headAtStart);
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
