import { Injectable, Optional } from '@nestjs/common';
import type { EntityManager, QueryRunner } from 'typeorm';
import { AppLogger, currentCorrelationId } from '@tsunagu/logger';
import type { Queryable } from '@tsunagu/common';
import { AUDIT_ACTOR_KINDS, type AuditEvent, type AuditRecord, logKindOf } from './audit-event';
import { cleanDetails, cleanString, GENESIS_HASH, hashRecord } from './audit-hash';
import { AuditCheckpointsService } from './audit-checkpoints.service';
import { AuditRepository } from './audit.repository';
import { HubMetrics } from '../platform/metrics/hub-metrics';

const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** Where a caller's transaction is, if it has one: an EntityManager from `dataSource.transaction`, or a QueryRunner. */
export type AuditTransaction = EntityManager | QueryRunner;

function activeTransaction(tx: AuditTransaction | undefined): Queryable | undefined {
  if (!tx) return undefined;
  if ('isTransactionActive' in tx && typeof tx.isTransactionActive === 'boolean') return tx.isTransactionActive ? tx : undefined;
  const runner = (tx as EntityManager).queryRunner;
  return runner?.isTransactionActive ? (tx as EntityManager) : undefined;
}

/**
 * The audit chain of security-relevant events (ARCHITECTURE.md §8, docs/audit.md).
 *
 * Every call appends one row to a single, global hash chain in PostgreSQL and mirrors the event
 * to the winston log with the kind of its area (`auth.*`/`jpki.*` → authentication;
 * `admin.*`/`connector.*`/`link.*` → operation; the rest, e.g. `consent.*`/`grant.*` → event).
 */
@Injectable()
export class AuditService {
  private readonly logger = new AppLogger(AuditService.name);

  constructor(private readonly repo: AuditRepository, private readonly checkpoints: AuditCheckpointsService, @Optional() private readonly metrics?: HubMetrics) {}

  /**
   * Appends an event to the audit chain and returns the stored row (with its seq and hash).
   *
   * Pass `tx` — the EntityManager of `dataSource.transaction(…)`, or a QueryRunner with a started
   * transaction — to append inside the caller's transaction, so that a decision and its audit row
   * commit or roll back together. Without it (or if `tx` has no active transaction), the row is
   * appended in a transaction of its own. Inside a transaction, always pass it: the embedded
   * database has a single connection, and a second transaction would wait for the first forever.
   *
   * Appends are serialized across connections and replicas by an advisory lock held until the
   * appending transaction ends, so call `record` last in a long transaction: every other append
   * waits for it. The transaction must be READ COMMITTED (PostgreSQL's default).
   *
   * The correlation ID is the current request's (@tsunagu/logger). `details` must hold no secrets
   * and no payloads: values under secret-looking keys (password, token, secret, key, pin…) are
   * stored as "[redacted]" anyway, and strings are capped.
   *
   * Throws if the row cannot be written (fail closed: the caller's action should not go
   * unrecorded), or if the event is malformed (a programming error).
   *
   * @example
   * await this.audit.record({ type: 'consent.decision', actor: { kind: 'resident', id: residentId }, tenantId,
   *   subject: consentId, outcome: 'success', details: { dataUse: 'misasa-health-checkup', decision: 'opt_in' } }, manager);
   */
  async record(event: AuditEvent, tx?: AuditTransaction): Promise<AuditRecord> {
    this.assertWellFormed(event);
    const content = {
      type: event.type,
      actor: { kind: event.actor.kind, id: event.actor.id === undefined ? null : cleanString(String(event.actor.id), 200) },
      tenantId: event.tenantId === undefined ? null : cleanString(event.tenantId, 200),
      subject: event.subject === undefined ? null : cleanString(event.subject, 200),
      outcome: event.outcome,
      reason: event.reason === undefined ? null : cleanString(event.reason, 200),
      details: cleanDetails(event.details),
      correlationId: currentCorrelationId() ?? null,
    };
    const append = async (q: Queryable): Promise<AuditRecord> => {
      await this.repo.lockForAppend(q);
      const head = await this.repo.head(q);
      const unhashed = { seq: head.seq + 1, time: head.now.toISOString(), ...content, prevHash: head.hash ?? GENESIS_HASH };
      const record: AuditRecord = { ...unhashed, hash: hashRecord(unhashed) };
      await this.repo.insert(q, record);
      return record;
    };
    const outer = activeTransaction(tx);
    const record = outer ? await append(outer) : await this.repo.transaction(append);
    // Inside a caller's transaction the row may still roll back: the log line says so.
    this.mirror(record, !!outer);
    this.checkpoints.afterAppend(record.seq);
    this.metrics?.auditAppends.inc({ outcome: record.outcome });
    return record;
  }

  private mirror(r: AuditRecord, inCallerTransaction: boolean): void {
    const fields = {
      ...(inCallerTransaction ? { auditPendingCommit: true } : {}),
      auditType: r.type, auditSeq: r.seq, outcome: r.outcome, actorKind: r.actor.kind, actorId: r.actor.id ?? undefined,
      tenantId: r.tenantId ?? undefined, subject: r.subject ?? undefined, reason: r.reason ?? undefined, details: r.details,
    };
    const message = `Audit: ${r.type} (${r.outcome})`;
    if (r.outcome === 'failure') this.logger.warn(logKindOf(r.type), message, fields);
    else this.logger.log(logKindOf(r.type), message, fields);
  }

  private assertWellFormed(event: AuditEvent): void {
    const problems: string[] = [];
    if (typeof event.type !== 'string' || !EVENT_TYPE.test(event.type) || event.type.length > 64) problems.push(`type "${String(event.type)}" is not area.verb in lower case`);
    if (!event.actor || !AUDIT_ACTOR_KINDS.includes(event.actor.kind)) problems.push('actor.kind is not one of resident, admin, service, connector, system');
    if (event.outcome !== 'success' && event.outcome !== 'failure') problems.push('outcome is not success or failure');
    if (event.details !== undefined && (event.details === null || typeof event.details !== 'object' || Array.isArray(event.details))) problems.push('details is not an object');
    if (problems.length) throw new TypeError(`Malformed audit event: ${problems.join('; ')}`);
  }
}
