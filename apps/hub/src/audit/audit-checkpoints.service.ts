import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { JWK } from 'jose';
import { detachFromTransaction } from '@tsunagu/database';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { Queryable } from '@tsunagu/common';
import { type AuditConfig, HUB_CONFIG } from '../platform/config/hub.config';
import { KeysService } from '../platform/keys/keys.service';
import { type CheckpointPayload, signCheckpoint } from './audit-chain';
import { type CheckpointKind, AuditRepository } from './audit.repository';

/** How often each replica looks whether a time-based checkpoint is due (M is whole minutes, so a minute suffices). */
const TICK_MS = 60_000;

/**
 * Signed checkpoints over the chain (JWS by the hub's active key): every N rows or M minutes, and
 * at each retention cut. A checkpoint pins the chain at a seq with the hub's signature, so rows
 * cannot be rewritten up to it without the key, and a tail cut below it shows.
 * Every checkpoint is also written to the log (kind `event`), a copy outside the database.
 */
@Injectable()
export class AuditCheckpointsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(AuditCheckpointsService.name);
  /** The newest checkpointed seq this process knows of; refreshed whenever it writes or checks. */
  private knownCheckpointSeq?: number;
  private running?: Promise<unknown>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repo: AuditRepository,
    private readonly keys: KeysService,
    @Inject(HUB_CONFIG) private readonly config: AuditConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.trigger('time'), TICK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /**
   * Called after each append with its seq: starts a checkpoint in the background once N rows
   * have gone by since the last checkpoint this process knows of (on the first append since boot,
   * it asks the database). Never throws, never delays the caller.
   */
  afterAppend(seq: number): void {
    if (this.knownCheckpointSeq === undefined || seq - this.knownCheckpointSeq >= this.config.AUDIT_CHECKPOINT_EVERY_ROWS) this.trigger('rows');
  }

  private trigger(due: 'rows' | 'time'): void {
    if (this.running) return;
    // Started from inside the caller's transaction (an append), but not part of it: it runs on its
    // own connection and checkpoints committed rows only.
    this.running = detachFromTransaction(() => this.checkpointIfDue(due))
      .catch((error) => this.logger.error('Audit checkpoint failed', error))
      .finally(() => (this.running = undefined));
  }

  /**
   * Writes a periodic checkpoint over the newest committed row if one is due: `rows` — N rows
   * since the last checkpoint; `time` — M minutes and at least one row; `now` — any new row.
   * Replicas take turns under an advisory lock, so one checkpoint is written, not one each.
   */
  async checkpointIfDue(due: 'rows' | 'time' | 'now' = 'now', now = new Date()): Promise<CheckpointPayload | undefined> {
    // A cheap look first (every replica ticks every minute), the key and the lock only when due.
    if (!(await this.dueAt(undefined, due, now))) return undefined;
    const signingKey = await this.signingKey();
    const written = await this.repo.transaction(async (q) => {
      await this.repo.lockForCheckpoint(q);
      const last = await this.dueAt(q, due, now);
      return last && this.insert(q, signingKey, 'periodic', last.seq, last.hash);
    });
    if (written) {
      this.knownCheckpointSeq = Math.max(this.knownCheckpointSeq ?? 0, written.seq);
      this.logger.log(LogKind.Event, 'Audit checkpoint signed', { ...written });
    }
    return written;
  }

  /** The newest row, if a checkpoint over it is due. */
  private async dueAt(q: Queryable | undefined, due: 'rows' | 'time' | 'now', now: Date): Promise<{ seq: number; hash: string } | undefined> {
    const [last, checkpoint] = [await this.repo.lastEvent(q), await this.repo.latestCheckpoint(q)];
    this.knownCheckpointSeq = Math.max(this.knownCheckpointSeq ?? 0, checkpoint?.seq ?? 0);
    if (!last || last.seq <= (checkpoint?.seq ?? 0)) return undefined;
    const rowsSince = last.seq - (checkpoint?.seq ?? 0);
    const minutesSince = checkpoint ? (now.getTime() - checkpoint.createdAt.getTime()) / 60_000 : Infinity;
    const isDue = due === 'now'
      || rowsSince >= this.config.AUDIT_CHECKPOINT_EVERY_ROWS
      || due === 'time' && minutesSince >= this.config.AUDIT_CHECKPOINT_EVERY_MINUTES;
    return isDue ? last : undefined;
  }

  /** The hub's active private key. Fetch it before opening a transaction (the embedded database has one connection). */
  async signingKey(): Promise<JWK> {
    return (await this.keys.privateJwks())[0];
  }

  /** The active private key, and every key's public half by kid (to check older checkpoints). */
  async keyRing(): Promise<{ signing: JWK; publicKeys: Map<string, JWK> }> {
    const all = await this.keys.privateJwks();
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const publicKeys = new Map(all.map(({ d, ...pub }) => [pub.kid!, pub as JWK]));
    return { signing: all[0], publicKeys };
  }

  /** Signs the checkpoint at a retention cut, inside the retention job's transaction. */
  async writeCut(q: Queryable, signingKey: JWK, seq: number, hash: string): Promise<CheckpointPayload> {
    const written = await this.insert(q, signingKey, 'cut', seq, hash);
    this.logger.log(LogKind.Event, 'Audit cut checkpoint signed', { ...written });
    return written;
  }

  private async insert(q: Queryable, signingKey: JWK, kind: CheckpointKind, seq: number, hash: string): Promise<CheckpointPayload & { kid: string }> {
    const payload: CheckpointPayload = { seq, hash, time: new Date().toISOString(), kind };
    const jws = await signCheckpoint(signingKey, payload);
    await this.repo.insertCheckpoint(q, { seq, hash, kind, kid: signingKey.kid!, jws });
    return { ...payload, kid: signingKey.kid! };
  }
}
