import http from 'node:http';
import https from 'node:https';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { HubClient } from '../hub-client/hub.client';

/** No byte from the hub for this long (it sends a head every ≤ 2 s): the stream is taken as cut. */
export const STREAM_SILENCE_MS = 10_000;
/** Reconnection backoff: from this, doubling, up to STREAM_BACKOFF_MAX_MS, each delay jittered ±50 %. */
export const STREAM_BACKOFF_MIN_MS = 500;
export const STREAM_BACKOFF_MAX_MS = 30_000;
/** A hub without the stream (404, 405, 501, not an event stream): try again after this long, pulling meanwhile. */
export const STREAM_UNSUPPORTED_RETRY_MS = 5 * 60_000;
/** An event larger than this is not the hub's (a head is under 1 KiB): the stream is dropped. */
const MAX_EVENT_BYTES = 64 * 1024;

/** What the stream passes on: each complete server-sent event, and its openings and cuts. */
export interface RevocationStreamListener {
  event(type: string, data: string): void;
  opened(): void;
  closed(reason: string): void;
}

/** The jittered backoff delay before reconnection attempt `failures` (1-based). */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const base = Math.min(STREAM_BACKOFF_MAX_MS, STREAM_BACKOFF_MIN_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.5 + random()));
}

/**
 * Parses a text/event-stream (WHATWG HTML §9.2.6) fed in chunks: `event:` and `data:` fields,
 * comments (`:`) and `retry:` ignored, an event dispatched at each blank line. Returns false when an
 * event grows beyond MAX_EVENT_BYTES (then the caller drops the stream).
 */
export class EventStreamParser {
  private buffer = '';
  private type = '';
  private data: string[] = [];

  constructor(private readonly dispatch: (type: string, data: string) => void) {}

  push(chunk: string): boolean {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + (this.buffer.startsWith('\r\n', nl) ? 2 : 1));
      this.line(line);
    }
    return this.buffer.length + this.data.reduce((n, d) => n + d.length, 0) <= MAX_EVENT_BYTES;
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length) this.dispatch(this.type || 'message', this.data.join('\n'));
      this.type = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.type = value;
    else if (field === 'data') this.data.push(value);
  }
}

/**
 * The connector's end of the hub's revocation stream (docs/connector.md §7.5): one GET held open,
 * outbound (what municipal firewalls allow), authenticated with a fresh client assertion at each
 * connection. It only carries events to its listener (the poller verifies and acts on them) and
 * keeps itself connected: a cut, an error answer or silence longer than STREAM_SILENCE_MS
 * reconnects after a jittered backoff; a hub without the stream is asked again only after
 * STREAM_UNSUPPORTED_RETRY_MS. Its own agentless socket: a held stream must not take one of the
 * pooled sockets the exchange path uses.
 */
export class RevocationStream {
  private readonly logger = new AppLogger(RevocationStream.name);
  private req?: http.ClientRequest;
  private timer?: NodeJS.Timeout;
  private silence?: NodeJS.Timeout;
  private failures = 0;
  private stopped = true;
  private open = false;

  constructor(private readonly hub: HubClient, private readonly listener: RevocationStreamListener) {}

  /** Whether the stream is open now (an answer 200 text/event-stream is being read). */
  get connected(): boolean {
    return this.open;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.silence);
    this.req?.destroy();
    this.req = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), delayMs);
    this.timer.unref();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let request: { url: string; headers: Record<string, string> };
    try {
      request = await this.hub.revocationStreamRequest();
    } catch (error) {
      this.failed(`no assertion: ${(error as Error).message}`);
      return;
    }
    if (this.stopped) return;
    const url = new URL(request.url);
    const transport = url.protocol === 'https:' ? https : http;
    let done = false;
    const end = (reason: string, retryMs?: number) => {
      if (done) return;
      done = true;
      clearTimeout(this.silence);
      req.destroy();
      if (this.req === req) this.req = undefined;
      const wasOpen = this.open;
      this.open = false;
      if (wasOpen) this.listener.closed(reason);
      if (retryMs !== undefined) this.schedule(retryMs);
      else this.failed(reason);
    };
    const quiet = () => {
      clearTimeout(this.silence);
      this.silence = setTimeout(() => end('silent'), STREAM_SILENCE_MS);
      this.silence.unref();
    };
    const req = transport.request(url, { method: 'GET', headers: request.headers, agent: false }, (res) => {
      const type = String(res.headers['content-type'] ?? '');
      if (res.statusCode !== 200 || !type.startsWith('text/event-stream')) {
        res.resume();
        const unsupported = [404, 405, 501].includes(res.statusCode ?? 0) || (res.statusCode === 200 && !type.startsWith('text/event-stream'));
        if (unsupported) this.logger.log(LogKind.Communication, 'Hub has no revocation stream; pulling the feed', { status: res.statusCode });
        end(`status ${res.statusCode}`, unsupported ? STREAM_UNSUPPORTED_RETRY_MS : undefined);
        return;
      }
      this.open = true;
      quiet();
      const parser = new EventStreamParser((event, data) => {
        // A head proves the stream works end to end: the next cut starts the backoff afresh.
        if (event === 'head') this.failures = 0;
        this.listener.event(event, data);
      });
      res.setEncoding('utf8');
      this.listener.opened();
      res.on('data', (chunk: string) => {
        quiet();
        if (!parser.push(chunk)) end('event too large');
      });
      res.on('end', () => end('closed by the hub'));
      res.on('error', (error) => end(error.message));
      res.on('close', () => end('closed'));
    });
    this.req = req;
    req.on('error', (error) => end(error.message));
    req.setTimeout(STREAM_SILENCE_MS, () => end('no answer'));
    req.end();
  }

  private failed(reason: string): void {
    this.failures++;
    if (this.failures === 1) this.logger.warn(LogKind.Communication, 'Revocation stream cut; reconnecting (the feed is pulled meanwhile)', { problem: reason });
    this.schedule(backoffDelay(this.failures));
  }
}
