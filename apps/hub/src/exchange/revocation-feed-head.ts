import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConsentChanges } from '../consent/consent-changes';
import { ConnectRepository } from './connect.repository';
import { RevocationSignals } from './enforcement/revocation-signals';

/** How old a head read from the database may be when it answers an unchanged pull (304). */
export const HEAD_MAX_AGE_MS = 1_000;

/** The feed's head as of a moment: every change committed before `asOf` is at or before `seq`. */
export interface FeedHead {
  seq: string;
  asOf: Date;
}

/**
 * The revocation feed's head, shared by every idle pull and stream of this process: read from the
 * database at most once per HEAD_MAX_AGE_MS however many connectors ask, and read again at once
 * after a change committed here or elsewhere (ConsentChanges, RevocationSignals). The moment it
 * proves is the moment its query started, so a notification that is late or lost makes an answer
 * older, never wrong: a 304 and a stream head carry that moment and the connector syncs at it.
 */
@Injectable()
export class RevocationFeedHead implements OnApplicationBootstrap, OnApplicationShutdown {
  private head?: FeedHead;
  private reading?: Promise<FeedHead>;
  /** Bumped by every change: a read that started before one is not kept as current. */
  private generation = 0;
  private unsubscribe: (() => void)[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly repo: ConnectRepository,
    private readonly changes: ConsentChanges,
    private readonly signals: RevocationSignals,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = [this.changes.subscribe(() => this.changed()), this.signals.onOutbox(() => this.changed())];
  }

  onApplicationShutdown(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
  }

  /** Calls `listener` after each change committed (in this process, or notified from another). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The head, read again when older than `maxAgeMs` or when a change came since. Concurrent callers share one read. */
  async current(maxAgeMs = HEAD_MAX_AGE_MS): Promise<FeedHead> {
    const head = this.head;
    if (head && Date.now() - head.asOf.getTime() <= maxAgeMs) return head;
    return this.read();
  }

  /** Reads the head from the database now (shared with a read already running). */
  read(): Promise<FeedHead> {
    this.reading ??= (async () => {
      const generation = this.generation;
      const asOf = new Date();
      try {
        const seq = await this.repo.feedHead();
        const head = { seq, asOf };
        if (generation === this.generation) this.head = head;
        return head;
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  private changed(): void {
    this.generation++;
    this.head = undefined;
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A listener's failure (a stream gone) must not stop the others; they log their own.
      }
    }
  }
}
