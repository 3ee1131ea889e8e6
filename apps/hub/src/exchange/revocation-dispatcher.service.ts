import { Inject, Injectable, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  type ErasureRequest, isErasureAppliedFor, REVOCATION_EVENTS_PATH, type RevocationAckApplied, SET_CONTENT_TYPE, signConnectorRevokedEvent, signErasureRequestedEvent,
  signRevocationEvent, TokenVerificationError, verifyRevocationAck,
} from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { DeliverRevocationJobData, JobQueue, RevocationsJobs } from '@tsunagu/queue';
import { ConnectorAuthService } from './connector-auth.service';
import { ConnectRepository, type DeliveryWithEvent, type ErasureRequestRow } from './connect.repository';
import { REVOCATIONS_QUEUE } from './connect.tokens';
import { HubSigningKeyService } from './hub-signing-key.service';
import { changeOf, revocationOf } from './revocation-feed.service';
import { ConsentChanges } from '../consent/consent-changes';
import { RevocationSignals } from './enforcement/revocation-signals';
import { HubMetrics } from '../platform/metrics/hub-metrics';

/**
 * How often the outbox is polled anyway. A change committed in this process wakes the dispatcher
 * at once (ConsentChanges), one committed by another replica through PostgreSQL's notification
 * (RevocationSignals); this poll only catches what a lost notification (a reconnect) missed.
 */
export const OUTBOX_POLL_MS = 1_000;
/** Deliveries still open this long after their last try are queued again (jobs lost with Redis or a restart, or out of retries). */
export const REDELIVER_AFTER_MS = 30_000;
/** Tries per delivery job, exponential backoff from 250 ms (≈ 32 s in all); then the redelivery sweep takes over. */
export const DELIVERY_ATTEMPTS = 8;
export const DELIVERY_BACKOFF_MS = 250;
const DELIVERY_TIMEOUT_MS = 3_000;
const DISPATCH_BATCH = 200;
/** Deliveries of one poll tried at once from the dispatcher itself; the rest go straight to the queue. */
const FIRST_TRIES_PER_POLL = 16;

/**
 * The push path of withdrawals (ARCHITECTURE.md §6, docs/connector.md §7.6) and of revoked
 * connectors. The outbox row is written with the consent version (same statement), or with the
 * connector's revocation; this dispatcher, woken by the commit or by its poll, claims new rows,
 * records one delivery per approved connector that holds a grant under the consent, or served one
 * to the revoked connector (ConnectRepository.dispatchPending), tries each at once and queues a
 * `deliver-revocation` job for a failed try (bull with retries/backoff, or in process). A job POSTs the
 * signed SET, verifies the signed acknowledgement and stores it; `connectors.unacked_revocations`
 * and `oldest_unacked_revocation_at` follow (the admin screens' "acks overdue").
 */
@Injectable()
export class RevocationDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(RevocationDispatcher.name);
  private pollTimer?: NodeJS.Timeout;
  private sweepTimer?: NodeJS.Timeout;
  private polling = false;
  /** A wake-up came while a poll was running: poll again when it ends (the change may have committed after its query). */
  private wokenWhilePolling = false;
  private stopped = false;
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly repo: ConnectRepository,
    private readonly auth: ConnectorAuthService,
    private readonly signing: HubSigningKeyService,
    @Inject(REVOCATIONS_QUEUE) private readonly queue: JobQueue<RevocationsJobs>,
    private readonly changes: ConsentChanges,
    private readonly signals: RevocationSignals,
    @Optional() private readonly metrics?: HubMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.process('deliver-revocation', (data) => this.deliver(data), 8);
    this.unsubscribe = [this.changes.subscribe(() => this.wake()), this.signals.onOutbox(() => this.wake())];
    this.pollTimer = setInterval(() => void this.poll(), OUTBOX_POLL_MS);
    this.pollTimer.unref();
    this.sweepTimer = setInterval(() => void this.sweep(), REDELIVER_AFTER_MS / 2);
    this.sweepTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    clearInterval(this.pollTimer);
    clearInterval(this.sweepTimer);
    await this.queue.close();
  }

  /** Polls now (or right after the running poll): a consent change has just committed. */
  wake(): void {
    if (this.polling) this.wokenWhilePolling = true;
    else void this.poll();
  }

  /** Claims new outbox rows and queues their deliveries. Public for tests. */
  async poll(): Promise<number> {
    if (this.polling || this.stopped) return 0;
    this.polling = true;
    try {
      const { claimed, deliveries } = await this.repo.dispatchPending(DISPATCH_BATCH);
      for (const seq of claimed) this.signals.progressed(seq);
      // The first try goes out at once from here (a queue hop costs milliseconds the withdrawal
      // deadline does not have); a failed first try, and anything beyond the first few, is queued.
      deliveries.forEach((d, i) => void (i < FIRST_TRIES_PER_POLL ? this.firstTry(d) : this.enqueue(d, `${d.outboxSeq}:${d.connectorId}`)));
      return deliveries.length;
    } catch (error) {
      this.logger.error('Revocation outbox poll failed', error);
      return 0;
    } finally {
      this.polling = false;
      if (this.wokenWhilePolling) {
        this.wokenWhilePolling = false;
        void this.poll();
      }
    }
  }

  /** Queues again the deliveries nobody is working on any more. */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    try {
      const open = await this.repo.listOpenDeliveries(new Date(Date.now() - REDELIVER_AFTER_MS), 500);
      const round = Math.floor(Date.now() / REDELIVER_AFTER_MS);
      for (const d of open) await this.enqueue(d, `${d.outboxSeq}:${d.connectorId}:r${round}`);
      if (open.length) this.logger.warn(LogKind.Communication, 'Revocation deliveries queued again', { count: open.length });
      await this.repo.pruneGrantAudiences();
    } catch (error) {
      this.logger.error('Revocation redelivery sweep failed', error);
    }
  }

  private async firstTry(d: { outboxSeq: string; connectorId: string }): Promise<void> {
    if (this.stopped) return;
    try {
      await this.deliver({ outboxId: d.outboxSeq, connectorId: d.connectorId });
    } catch {
      // deliver() has recorded and logged the failed try; the queue retries it with backoff.
      await this.enqueue(d, `${d.outboxSeq}:${d.connectorId}`);
    }
  }

  private async enqueue(d: { outboxSeq: string; connectorId: string }, jobId: string): Promise<void> {
    try {
      await this.queue.add('deliver-revocation', { outboxId: d.outboxSeq, connectorId: d.connectorId }, { jobId, attempts: DELIVERY_ATTEMPTS, backoffMs: DELIVERY_BACKOFF_MS });
    } catch (error) {
      // The delivery row stays open: the sweep queues it again once the queue is back.
      this.logger.error('Could not queue a revocation delivery', error, { connectorId: d.connectorId, outboxSeq: d.outboxSeq });
    }
  }

  /** One try of one delivery. Throws to be retried. */
  async deliver({ outboxId, connectorId }: DeliverRevocationJobData): Promise<void> {
    const delivery = await this.repo.findDelivery(outboxId, connectorId);
    if (!delivery || delivery.acked_at || delivery.failed_at) return;
    const connector = await this.repo.findConnector(connectorId);
    // A tenant's erasure request still reaches its own connectors, revoked by the same deletion (they hold copies).
    const tenantErasure = delivery.kind === 'erasure' && !!delivery.erasure.tenant;
    if (!connector || (connector.status === 'revoked' && !tenantErasure)) {
      await this.repo.recordFailure(outboxId, connectorId, 'connector revoked');
      this.metrics?.revocationPushes.inc({ result: 'failed' });
      return;
    }
    const { key, kid } = await this.signing.signingKey();
    const signing = { signingKey: key, kid, issuer: this.auth.issuer, connectorId, txn: outboxId, jti: delivery.event_jti };
    const { token } = delivery.kind === 'consent'
      ? await signRevocationEvent({ ...signing, change: changeOf(delivery.outbox) })
      : delivery.kind === 'connector'
        ? await signConnectorRevokedEvent({ ...signing, revocation: revocationOf(delivery.revocation) })
        : await signErasureRequestedEvent({ ...signing, request: erasureRequestOf(delivery.erasure) });
    const url = `${connector.base_url.replace(/\/+$/, '')}${REVOCATION_EVENTS_PATH}`;
    let status: number;
    let body: unknown;
    try {
      const res = await fetch(url, {
        method: 'POST', headers: { 'content-type': SET_CONTENT_TYPE, accept: 'application/json' }, body: token, redirect: 'error',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      status = res.status;
      body = await res.json().catch(() => undefined);
    } catch (error) {
      await this.repo.recordAttempt(outboxId, connectorId, 'unreachable');
      this.metrics?.revocationPushes.inc({ result: 'unreachable' });
      this.logger.warn(LogKind.Communication, 'Revocation event not delivered: connector unreachable', { connectorId, outboxSeq: outboxId, error: (error as Error).message });
      throw new Error('connector unreachable');
    }
    const code = (body as { error?: { code?: string } } | undefined)?.error?.code;
    if (status === 400 && code === 'event_invalid') {
      await this.repo.recordFailure(outboxId, connectorId, 'event_invalid');
      this.metrics?.revocationPushes.inc({ result: 'failed' });
      this.logger.error('Connector refused a revocation event as invalid; not retried', undefined, { connectorId, outboxSeq: outboxId });
      return;
    }
    const ack = (body as { ack?: unknown } | undefined)?.ack;
    if (status !== 202 || typeof ack !== 'string') {
      await this.repo.recordAttempt(outboxId, connectorId, `status ${status}`);
      this.metrics?.revocationPushes.inc({ result: 'refused' });
      throw new Error(`connector answered ${status}`);
    }
    try {
      const claims = await verifyRevocationAck(ack, { connectorKey: connector.public_jwk, connectorId, hubIssuer: this.auth.issuer, eventJti: delivery.event_jti });
      if (!appliesDelivered(claims.applied, delivery)) throw new TokenVerificationError('event_invalid', 'ack applies another change');
    } catch (error) {
      await this.repo.recordAttempt(outboxId, connectorId, 'acknowledgement invalid');
      this.metrics?.revocationPushes.inc({ result: 'invalid_ack' });
      this.logger.warn(LogKind.Communication, 'Revocation acknowledgement refused', { connectorId, outboxSeq: outboxId, problem: (error as TokenVerificationError).problem });
      throw new Error('acknowledgement invalid');
    }
    await this.repo.recordAttempt(outboxId, connectorId, null);
    await this.repo.recordAck(outboxId, connectorId, ack);
    this.metrics?.revocationPushes.inc({ result: 'acknowledged' });
    const committed = delivery.kind === 'consent' ? delivery.outbox.created_at : delivery.kind === 'connector' ? delivery.revocation.created_at : delivery.erasure.created_at;
    if (committed) this.metrics?.revocationPushSeconds.observe(Math.max(0, Date.now() - new Date(committed).getTime()) / 1000);
    this.signals.progressed(outboxId);
    this.logger.log(LogKind.Communication, 'Revocation event acknowledged', {
      connectorId, outboxSeq: outboxId,
      ...(delivery.kind === 'consent' ? { consentId: delivery.outbox.consent_id, version: delivery.outbox.version }
        : delivery.kind === 'connector' ? { revokedConnectorId: delivery.revocation.connector_id } : { departureId: delivery.erasure.departure_id }),
    });
  }
}

/**
 * Whether an acknowledgement names what the delivery pushed: its consent at this version or a
 * later one, its revoked connector, or its erasure with a well-formed report of what was erased.
 */
function appliesDelivered(applied: RevocationAckApplied, delivery: DeliveryWithEvent): boolean {
  if (delivery.kind === 'consent') return 'consent_id' in applied && applied.consent_id === delivery.outbox.consent_id && applied.version >= delivery.outbox.version;
  if (delivery.kind === 'erasure') return isErasureAppliedFor(applied, delivery.erasure.departure_id);
  return 'connector_id' in applied && applied.connector_id === delivery.revocation.connector_id;
}

/** The pushed form of an erasure outbox row (the departure's ID is the erasure's). */
export function erasureRequestOf(row: ErasureRequestRow): ErasureRequest {
  return {
    erasure_id: row.departure_id, roles: row.roles, subject: row.subject, items: row.items, consent_ids: row.consent_ids, reason: row.reason,
    requested_at: new Date(row.created_at).toISOString(), ...(row.tenant ? { tenant: row.tenant } : {}),
  };
}
