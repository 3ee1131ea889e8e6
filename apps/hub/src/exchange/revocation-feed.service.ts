import { Inject, Injectable } from '@nestjs/common';
import { type ConnectorRevocation, type ConsentChange, cursorCovers, FEED_CONNECTOR_REVOCATIONS, signRevocationFeed } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { connectError } from './connect.exception';
import { type ConnectConnectorRow, type ConnectorRevocationRow, ConnectRepository, type OutboxRow } from './connect.repository';
import { HubSigningKeyService } from './hub-signing-key.service';
import { RevocationFeedHead } from './revocation-feed-head';

/** Changes per feed page. */
export const FEED_PAGE_SIZE = 500;
/** A pull without cursor gets the changes of this many seconds (≥ the 10 minutes of the ADR). */
export const FEED_DEFAULT_WINDOW_SECONDS = 600;
/**
 * Outbox rows younger than this may still be committing with a lower `seq` than a row already
 * visible (sequence values are taken before commit). The cursor never moves past them: they are
 * sent again on the next pull (changes only move forward, so duplicates are harmless) instead of
 * being skipped for good.
 */
export const FEED_SETTLE_MS = 5_000;

const CURSOR = /^s:(\d{1,19})$/;

export function changeOf(row: OutboxRow): ConsentChange {
  return { consent_id: row.consent_id, version: row.version, state: row.state, changed_at: new Date(row.changed_at).toISOString() };
}

export function revocationOf(row: ConnectorRevocationRow): ConnectorRevocation {
  return { connector_id: row.connector_id, revoked_at: new Date(row.revoked_at).toISOString() };
}

/** The feed extensions this hub serves; a connector's request names those it understands. */
const KNOWN_EXTENSIONS = [FEED_CONNECTOR_REVOCATIONS];

/** The known extensions named in the request header's value (comma-separated, case-insensitive), sorted. */
export function feedExtensionsOf(header: string | undefined): string[] {
  const named = new Set((header ?? '').split(',').map((e) => e.trim().toLowerCase()));
  return KNOWN_EXTENSIONS.filter((e) => named.has(e)).sort();
}

/**
 * The entity tag of a page ending at `cursor` for these extensions: a pull that sends it back as
 * `If-None-Match` with `since` = that cursor holds the page, and is answered 304 while nothing follows.
 */
export function feedEtag(cursor: string, extensions: string[]): string {
  return `W/"${cursor};${extensions.join(',')}"`;
}

/** A page, or "nothing after `since`" as of a moment (answered 304 Not Modified). */
export type FeedAnswer = { token: string; etag?: string } | { notModified: true; etag: string; asOf: Date };

function maxSeq(a: string, b: string): string {
  return BigInt(a) >= BigInt(b) ? a : b;
}

function minSeq(a: string, b: string): string {
  return BigInt(a) <= BigInt(b) ? a : b;
}

/**
 * `GET /connect/v1/revocations?since=` (docs/connector.md §7.5, the revocation ADR): the signed
 * pull path. A page holds the consent changes concerning items the caller's service provides, in
 * outbox order; the cursor is `s:<outbox seq>`. Every page carries the hub's staleness bound
 * (`staleness_seconds`), which a connector applies when it is shorter than its own. A connector
 * that asks for them (REVOCATION_FEED_EXTENSIONS_HEADER) also gets the revoked connectors it
 * served grants to (`revoked_connectors`), in the same order: both outboxes share the sequence.
 */
@Injectable()
export class RevocationFeedService {
  private readonly logger = new AppLogger(RevocationFeedService.name);

  constructor(
    private readonly repo: ConnectRepository,
    private readonly signing: HubSigningKeyService,
    private readonly head: RevocationFeedHead,
    @Inject(HUB_CONFIG) private readonly config: Pick<HubConfig, 'REVOCATION_STALENESS_SECONDS'>,
  ) {}

  /**
   * A pull. When the caller holds the page ending at `since` (`ifNoneMatch`) and the feed's head —
   * shared by every pull of this process, at most HEAD_MAX_AGE_MS old — has not moved past it,
   * the answer is "not modified" as of the head's moment: no feed query, no signature.
   */
  async pull(connector: ConnectConnectorRow, issuer: string, since: string | undefined, extensions: string[], ifNoneMatch: string | undefined): Promise<FeedAnswer> {
    if (since !== undefined && CURSOR.test(since) && ifNoneMatch !== undefined) {
      const etag = feedEtag(since, extensions);
      if (ifNoneMatch.split(',').some((tag) => tag.trim() === etag)) {
        const head = await this.head.current();
        if (cursorCovers(since, `s:${head.seq}`)) {
          await this.repo.markRevocationSync(connector.id, head.asOf);
          return { notModified: true, etag, asOf: head.asOf };
        }
      }
    }
    const { token, cursor, empty } = await this.signedPage(connector, issuer, since, extensions);
    // Only a page that says "nothing" is worth revalidating; a page with changes has no tag, so
    // that no cache (nor Express's own freshness check) ever answers 304 in its place.
    return empty ? { token, etag: feedEtag(cursor, extensions) } : { token };
  }

  async page(connector: ConnectConnectorRow, issuer: string, since: string | undefined, extensions: string[] = []): Promise<string> {
    return (await this.signedPage(connector, issuer, since, extensions)).token;
  }

  private async signedPage(connector: ConnectConnectorRow, issuer: string, since: string | undefined, extensions: string[]): Promise<{ token: string; cursor: string; empty: boolean }> {
    const started = new Date();
    let previous: string | undefined;
    if (since !== undefined) {
      const match = CURSOR.exec(since);
      if (!match) throw connectError('invalid_request', [{ field: 'since', problem: 'not a cursor of this feed' }]);
      previous = match[1];
    }
    const revokedConnectors = extensions.includes(FEED_CONNECTOR_REVOCATIONS);
    const rows = await this.repo.feedFor(connector.service_id, previous === undefined ? { since: new Date(started.getTime() - FEED_DEFAULT_WINDOW_SECONDS * 1000) } : { afterSeq: previous },
      FEED_PAGE_SIZE, revokedConnectors ? connector.id : undefined);
    const hasMore = rows.length > FEED_PAGE_SIZE;
    const page = rows.slice(0, FEED_PAGE_SIZE);
    const settled = (await this.repo.settledSeq(new Date(started.getTime() - FEED_SETTLE_MS))) ?? '0';
    const last = page.length ? page[page.length - 1].seq : settled;
    const floor = previous ?? '0';
    const cursor = maxSeq(floor, minSeq(last, settled));
    // A page that does not hold every change after the cursor says "more", even when the cursor
    // could not reach its end (changes younger than FEED_SETTLE_MS): the connector then must not
    // count the pull as a sync, since changes beyond this page committed before the query ran.
    // It stops when the cursor does not move, and goes stale if that lasts (fail closed).
    const more = hasMore;
    const { key, kid } = await this.signing.signingKey();
    const token = await signRevocationFeed({
      signingKey: key, kid, issuer, connectorId: connector.id, cursor: `s:${cursor}`, more,
      changes: page.flatMap((row) => (row.kind === 'consent' ? [changeOf(row)] : [])), stalenessSeconds: this.config.REVOCATION_STALENESS_SECONDS,
      ...(revokedConnectors ? { revokedConnectors: page.flatMap((row) => (row.kind === 'connector' ? [revocationOf(row)] : [])) } : {}), now: started,
    });
    await this.repo.markRevocationSync(connector.id, started);
    await this.repo.recordFeedExtensions(connector.id, connector.feed_extensions ?? [], extensions);
    if (page.length) this.logger.log(LogKind.Communication, 'Revocation feed page served', { connectorId: connector.id, changes: page.length, cursor, more });
    return { token, cursor: `s:${cursor}`, empty: !page.length && !more };
  }
}
