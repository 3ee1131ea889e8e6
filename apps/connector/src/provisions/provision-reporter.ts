import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { CLOCK, type Clock } from '@tsunagu/common';
import {
  createClientAssertion, HUB_CONNECT_PATH, isFinalProvisionRefusal, type ProvisionReport, PROVISIONS_PATH,
} from '@tsunagu/contracts';
import {
  CONNECTOR_CONFIG, CONNECTOR_IDENTITY, CONNECTOR_KEYS, type ConnectorConfig, type ConnectorIdentity, HTTP_FETCH, type HttpFetch,
} from '../connector.tokens';
import { connectorError } from '../connector.exception';
import { fetchProblem } from '../hub-client/fetch-error';
import type { ConnectorKeys } from '../keys/connector-keys';
import { ProvisionOutbox, type ProvisionStore } from './provision-outbox';
import { ProvisionQueue, type ProvisionQueueOptions, type SendResult } from './provision-queue';
import { ConnectorMetrics } from '../health/connector-metrics';

export const PROVISION_OUTBOX = Symbol('PROVISION_OUTBOX');

/** A grant lives at most 60 s: remembering a reported grant for 5 minutes covers its every use. */
export const REPORTED_TTL_MS = 5 * 60_000;
const REPORTED_MAX = 50_000;
/** Where the outboxes of connectors without a data directory (tests) go; removed when empty. */
const TEMP_OUTBOX_DIR = path.join(tmpdir(), 'tsunagu-connector');
export const PROVISIONS_OPTIONS = Symbol('PROVISIONS_OPTIONS');

/** Where the outbox lives and how it retries. */
export interface ProvisionsOptions extends ProvisionQueueOptions {
  /** The outbox file (default: beside the key file, `<connector name>.provisions.jsonl`). */
  file?: string;
  /**
   * How long a reported (grant, outcome) is remembered, so that later exchanges under the same
   * grant are not reported again (default {@link REPORTED_TTL_MS}; 0 reports every exchange: the
   * benchmark's worst case).
   */
  reportedTtlMs?: number;
}

/**
 * The outbox file: the configured one, else beside the key file (the connector's data directory);
 * without that directory (only when the keys were handed over in memory: tests), one file per
 * process under the system's temporary directory.
 */
export function provisionOutboxFile(config: ConnectorConfig, identity: ConnectorIdentity, options: ProvisionsOptions = {}): string {
  if (options.file) return options.file;
  const dir = path.dirname(path.resolve(config.keys.file));
  return existsSync(dir)
    ? path.join(dir, `${config.connector.name}.provisions.jsonl`)
    : path.join(TEMP_OUTBOX_DIR, `${identity.id}-${process.pid}.provisions.jsonl`);
}

/** The provider of the opened outbox. */
export const provisionOutboxProvider = {
  provide: PROVISION_OUTBOX,
  inject: [CONNECTOR_CONFIG, CONNECTOR_IDENTITY, PROVISIONS_OPTIONS],
  useFactory: (config: ConnectorConfig, identity: ConnectorIdentity, options: ProvisionsOptions) => ProvisionOutbox.open(provisionOutboxFile(config, identity, options)),
};

/** What the peer and SDK services know of an exchange; the reporter adds the report ID, the side and the time. */
export type ExchangeFacts = Omit<ProvisionReport, 'reportId' | 'side' | 'occurredAt'>;

/** A (side, grant, outcome) reported: until when it is remembered, and its write (settled or not). */
interface Reported {
  until: number;
  stored: Promise<void>;
}

/**
 * Reports each exchange this connector took part in to the hub's provision ledger
 * (`POST /connect/v1/provisions`, docs/connector.md §8): metadata only, through the durable
 * outbox, retried until the hub acknowledges. The exchange waits for the report to be stored
 * (fsync'd, shared with the writes of concurrent exchanges), never for the hub: a provider stores
 * it before the data leaves, a consumer before it hands the data to its service, so that no
 * crash after the data moved can lose the record of it.
 */
@Injectable()
export class ProvisionReporter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(ProvisionReporter.name);
  readonly queue: ProvisionQueue;
  /** (side, grant, outcome) triples already reported (longer than any grant lives), with their write. */
  private readonly reported = new Map<string, Reported>();
  private readonly reportedTtlMs: number;

  constructor(
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
    @Inject(CONNECTOR_IDENTITY) private readonly identity: ConnectorIdentity,
    @Inject(CONNECTOR_KEYS) private readonly keys: ConnectorKeys,
    @Inject(HTTP_FETCH) private readonly http: HttpFetch,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PROVISION_OUTBOX) private readonly outbox: ProvisionStore,
    @Inject(PROVISIONS_OPTIONS) options: ProvisionsOptions,
    @Optional() private readonly metrics?: ConnectorMetrics,
  ) {
    this.queue = new ProvisionQueue(outbox, (report) => this.send(report), options);
    metrics?.watchProvisions(() => this.queue.pending);
    this.reportedTtlMs = options.reportedTtlMs ?? REPORTED_TTL_MS;
  }

  onApplicationBootstrap(): void {
    this.queue.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    if (this.outbox.file?.startsWith(TEMP_OUTBOX_DIR)) await this.outbox.removeIfEmpty();
  }

  /**
   * Records one exchange for the hub: resolves once the report is stored durably, rejects with
   * `provision_unrecorded` when it could not be (the caller then must not let the data go). The
   * ledger keeps one entry per grant, so later exchanges under the same (reusable) grant with the
   * same outcome are not reported again (at 1,000 exchanges/s on reused grants, the hub sees one
   * report per grant) — but they wait for that first report's write: none may move data before
   * the record of its grant is stored. A failed write is forgotten, so the next exchange tries again.
   */
  report(side: ProvisionReport['side'], facts: ExchangeFacts): Promise<void> {
    this.metrics?.exchanges.inc({ side, outcome: facts.outcome });
    const nowMs = this.clock.now().getTime();
    const key = `${side} ${facts.grantId} ${facts.outcome}`;
    const seen = this.reported.get(key);
    if (seen && seen.until > nowMs) return seen.stored;
    if (this.reported.size >= REPORTED_MAX) {
      for (const [k, r] of this.reported) if (r.until <= nowMs) this.reported.delete(k);
      // Forgetting only costs a second report of a grant (the hub answers `duplicate`).
      if (this.reported.size >= REPORTED_MAX) this.reported.clear();
    }
    const report: ProvisionReport = { reportId: randomUUID(), side, ...facts, occurredAt: this.clock.now().toISOString() };
    const entry: Reported = { until: nowMs + this.reportedTtlMs, stored: Promise.resolve() };
    entry.stored = this.queue.enqueue(report).catch((error: unknown) => {
      if (this.reported.get(key) === entry) this.reported.delete(key);
      this.logger.error('Provision report could not be stored', error, { grantId: report.grantId, side, outcome: report.outcome });
      throw connectorError('provision_unrecorded');
    });
    if (this.reportedTtlMs > 0) this.reported.set(key, entry);
    return entry.stored;
  }

  private async send(report: ProvisionReport): Promise<SendResult> {
    try {
      const assertion = await createClientAssertion({
        privateKey: this.keys.signing.privateKey, kid: this.keys.signing.kid, subject: this.identity.id, audience: this.config.hub.issuer, now: this.clock.now(),
      });
      const res = await this.http(`${this.config.hub.url}${HUB_CONNECT_PATH}${PROVISIONS_PATH}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${assertion}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(report),
        signal: AbortSignal.timeout(this.config.hub.timeoutMs),
        redirect: 'error',
      });
      const text = await res.text().catch(() => '');
      if (res.status === 200 || res.status === 201) return 'acknowledged';
      if (isFinalProvisionRefusal(res.status)) {
        this.logger.warn(LogKind.Communication, 'Hub refused a provision report', { grantId: report.grantId, status: res.status, body: text.slice(0, 300) });
        return 'refused';
      }
      return 'retry';
    } catch (error) {
      if (this.queue.pending < 2) this.logger.warn(LogKind.Communication, 'Provision report not delivered; will retry', { grantId: report.grantId, problem: fetchProblem(error) });
      return 'retry';
    }
  }
}
