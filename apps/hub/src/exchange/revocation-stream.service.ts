import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { REVOCATION_CHANGES_MAX, signRevocationChanges, signRevocationHead } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { type ConnectConnectorRow, ConnectRepository } from './connect.repository';
import { HubSigningKeyService } from './hub-signing-key.service';
import { type FeedHead, RevocationFeedHead } from './revocation-feed-head';
import { changeOf } from './revocation-feed.service';

/** Longest pause between two heads; shorter when a third of the hub's staleness bound is shorter. */
export const STREAM_HEAD_INTERVAL_MS = 2_000;
/** How often the streams of this process are recorded as seen and synced (one statement for all). */
export const STREAM_SYNC_WRITE_MS = 5_000;
/** A stream is closed after this long (± a tenth, jittered) so that the connector authenticates again. */
export const STREAM_MAX_LIFETIME_MS = 5 * 60_000;
/** Streams one connector may hold to one process; a further one closes the oldest (a reconnect after a silent cut). */
export const STREAMS_PER_CONNECTOR = 2;
/** Outbox rows one wake-up reads at most; more (a burst), and every stream is told to pull instead. */
export const ROUTE_MAX_ROWS = 1_000;
/** The reconnection delay a client is told to use (SSE `retry:`); the connector adds its own jitter. */
export const STREAM_RETRY_MS = 2_000;

/** The write side of one open stream (the controller's HTTP response). */
export interface StreamSink {
  /** Writes raw text; false when the socket's buffer is full (a slow or dead reader). */
  write(chunk: string): boolean;
  close(): void;
}

interface Stream {
  connectorId: string;
  serviceId: string;
  sink: StreamSink;
  opened: number;
  closeTimer: NodeJS.Timeout;
}

/** One server-sent event (data on one line: a JWS or a cursor has no newline). */
export function sseEvent(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

/**
 * The revocation stream (REVOCATION_STREAM_PATH, docs/connector.md §7.5): what an idle connector
 * costs the hub. Every STREAM_HEAD_INTERVAL_MS the process reads the feed's head once
 * (RevocationFeedHead), signs it once and writes it to every stream it holds: a connector whose
 * cursor covers it is synced without a pull. When a change commits — here, on another replica
 * or in the worker (PostgreSQL notifications through RevocationSignals; in process on the
 * embedded database) — the streams of the services it concerns get it at once in a `changes`
 * event signed once per service, and apply it; the signed feed, pulled when the next head is
 * beyond their cursor, stays the source of truth and moves their cursor. The streams themselves hold no
 * state that matters: one cut loses nothing, the connector pulls from its cursor on reconnecting.
 */
@Injectable()
export class RevocationStreamService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new AppLogger(RevocationStreamService.name);
  private readonly streams = new Set<Stream>();
  private headTimer?: NodeJS.Timeout;
  private lastToken?: { head: FeedHead; token: string };
  /** Outbox position up to which changes were routed to streams (undefined until the first head). */
  private routed?: string;
  private routing = false;
  private routeAgain = false;
  private lastSyncWrite = 0;
  private unsubscribe?: () => void;
  private stopped = false;
  readonly headIntervalMs: number;

  constructor(
    private readonly repo: ConnectRepository,
    private readonly signing: HubSigningKeyService,
    private readonly heads: RevocationFeedHead,
    @Inject(HUB_CONFIG) private readonly config: Pick<HubConfig, 'REVOCATION_STALENESS_SECONDS' | 'PUBLIC_URL'>,
  ) {
    // Three heads per staleness bound: one lost or late head never makes a connector stale.
    this.headIntervalMs = Math.min(STREAM_HEAD_INTERVAL_MS, Math.floor((config.REVOCATION_STALENESS_SECONDS * 1000) / 3));
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.heads.onChange(() => this.route());
    this.headTimer = setInterval(() => void this.tick(), this.headIntervalMs);
    this.headTimer.unref();
  }

  /** Before the HTTP server closes: ends every stream, which the server would otherwise wait for. */
  beforeApplicationShutdown(): void {
    this.stopped = true;
    this.unsubscribe?.();
    clearInterval(this.headTimer);
    for (const stream of [...this.streams]) this.drop(stream);
  }

  /** How many streams this process holds. */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Takes an authenticated connector's stream: tells it the retry delay, sends the current head
   * (its first sync or its cue to catch up) and keeps it until the client goes, the lifetime ends
   * or the hub stops. Returns the function the caller runs when the client went away.
   */
  async open(connector: ConnectConnectorRow, sink: StreamSink): Promise<() => void> {
    if (this.stopped) {
      sink.close();
      return () => undefined;
    }
    const mine = [...this.streams].filter((s) => s.connectorId === connector.id).sort((a, b) => a.opened - b.opened);
    for (const old of mine.slice(0, Math.max(0, mine.length - STREAMS_PER_CONNECTOR + 1))) this.drop(old);
    const lifetime = STREAM_MAX_LIFETIME_MS * (0.9 + Math.random() * 0.2);
    const stream: Stream = { connectorId: connector.id, serviceId: connector.service_id, sink, opened: Date.now(), closeTimer: setTimeout(() => this.drop(stream), lifetime) };
    stream.closeTimer.unref();
    this.streams.add(stream);
    sink.write(`retry: ${STREAM_RETRY_MS}\n: tsunagu revocation stream\n\n`);
    try {
      const { token } = await this.signedHead(this.headIntervalMs);
      this.send(stream, sseEvent('head', token));
    } catch (error) {
      this.logger.error('Revocation stream: no head for a new stream', error, { connectorId: connector.id });
      this.drop(stream);
    }
    return () => this.forget(stream);
  }

  /** One head for every stream. Public for tests. */
  async tick(): Promise<void> {
    if (this.stopped || !this.streams.size) return;
    try {
      const { head, token } = await this.signedHead(-1);
      const event = sseEvent('head', token);
      for (const stream of [...this.streams]) this.send(stream, event);
      // Changes no notification announced (a lost one, a LISTEN reconnect) are routed now.
      if (this.routed === undefined || BigInt(head.seq) > BigInt(this.routed)) void this.route();
      if (Date.now() - this.lastSyncWrite >= STREAM_SYNC_WRITE_MS) {
        this.lastSyncWrite = Date.now();
        const approved = new Set(await this.repo.markStreamsSynced([...new Set([...this.streams].map((s) => s.connectorId))], head.asOf));
        // A connector suspended or revoked since it authenticated loses its stream here, within STREAM_SYNC_WRITE_MS.
        for (const stream of [...this.streams]) if (!approved.has(stream.connectorId)) this.drop(stream);
      }
    } catch (error) {
      this.logger.error('Revocation stream head failed', error);
    }
  }

  /**
   * Sends the changes after `routed` to the streams of the services they concern: one signed
   * `changes` event per service (applied at once by its connectors, no pull needed to enforce
   * them), or `change` (pull) when a connector revocation is among them or they are more than one
   * event carries. One read of the head and one of the changes per wake-up, however many streams;
   * wake-ups during a run coalesce into one more run.
   */
  async route(): Promise<void> {
    if (this.stopped) return;
    if (this.routing) {
      this.routeAgain = true;
      return;
    }
    this.routing = true;
    try {
      do {
        this.routeAgain = false;
        const head = await this.heads.read();
        const from = this.routed;
        this.routed = from === undefined || BigInt(head.seq) > BigInt(from) ? head.seq : from;
        if (from === undefined || !this.streams.size || BigInt(head.seq) <= BigInt(from)) continue;
        const { changes, all, more } = await this.repo.changesConcerned(from, head.seq, ROUTE_MAX_ROWS);
        const wake = sseEvent('change', `s:${head.seq}`);
        if (all || more) {
          for (const stream of [...this.streams]) this.send(stream, wake);
          continue;
        }
        const byService = new Map<string, typeof changes>();
        for (const row of changes) {
          const rows = byService.get(row.service_id);
          if (rows) rows.push(row);
          else byService.set(row.service_id, [row]);
        }
        const listening = new Set([...this.streams].map((s) => s.serviceId));
        const events = new Map<string, string>();
        const { key, kid } = await this.signing.signingKey();
        for (const [serviceId, rows] of byService) {
          if (!listening.has(serviceId)) continue;
          events.set(serviceId, rows.length > REVOCATION_CHANGES_MAX ? wake : sseEvent('changes', await signRevocationChanges({
            signingKey: key, kid, issuer: this.config.PUBLIC_URL, service: serviceId, head: `s:${head.seq}`, changes: rows.map(changeOf),
          })));
        }
        for (const stream of [...this.streams]) {
          const event = events.get(stream.serviceId);
          if (event) this.send(stream, event);
        }
      } while (this.routeAgain && !this.stopped);
    } catch (error) {
      this.logger.error('Revocation stream: routing a change failed (the next head makes connectors pull)', error);
    } finally {
      this.routing = false;
    }
  }

  /** The signed head, signed again when the last one is older than `maxAgeMs` or the head moved. */
  private async signedHead(maxAgeMs: number): Promise<{ head: FeedHead; token: string }> {
    const last = this.lastToken;
    if (last && Date.now() - last.head.asOf.getTime() <= maxAgeMs) return last;
    const head = await this.heads.current(maxAgeMs);
    if (last && last.head === head) return last;
    const { key, kid } = await this.signing.signingKey();
    const token = await signRevocationHead({
      signingKey: key, kid, issuer: this.config.PUBLIC_URL, head: `s:${head.seq}`, asOf: head.asOf, stalenessSeconds: this.config.REVOCATION_STALENESS_SECONDS,
    });
    this.lastToken = { head, token };
    if (this.routed === undefined) this.routed = head.seq;
    return this.lastToken;
  }

  private send(stream: Stream, chunk: string): void {
    // A reader that does not keep up (full socket buffer) is dropped: it reconnects and catches up from the feed.
    if (!stream.sink.write(chunk)) {
      this.logger.warn(LogKind.Communication, 'Revocation stream dropped: the connector does not read it', { connectorId: stream.connectorId });
      this.drop(stream);
    }
  }

  private drop(stream: Stream): void {
    this.forget(stream);
    stream.sink.close();
  }

  private forget(stream: Stream): void {
    clearTimeout(stream.closeTimer);
    this.streams.delete(stream);
  }
}
