import { AppLogger, LogKind } from '@tsunagu/logger';
import type { JobDataMap } from './job-data';
import {
  assertPositiveInteger, backoffDelay, retryPolicy, type JobCounts, type JobHandler, type JobOptions, type JobQueue,
  type RetryPolicy,
} from './job-queue';

type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

interface StoredJob {
  readonly id: string;
  readonly name: string;
  /** JSON text, parsed afresh for every attempt as bull does, so a handler cannot alter a retry's data. */
  readonly json: string;
  readonly attempts: number;
  readonly backoffMs: number;
  attemptsMade: number;
  state: JobState;
  timer?: NodeJS.Timeout;
}

interface Processor {
  readonly handler: JobHandler<unknown>;
  readonly concurrency: number;
  active: number;
}

/**
 * A {@link JobQueue} held in memory with timers and promises, for a single process without Redis
 * (`npm start`, the demo profile). Same retry, backoff, delay, jobId and repeat semantics as
 * {@link BullJobQueue}, but nothing survives a restart, and producer and processor must share
 * this instance.
 */
export class InProcessJobQueue<M extends object = JobDataMap> implements JobQueue<M> {
  private readonly logger = new AppLogger(InProcessJobQueue.name);
  private readonly policy: RetryPolicy;
  /** Every job still stored, by id (finished ones until they fall out of the kept window). */
  private readonly jobs = new Map<string, StoredJob>();
  private readonly waiting = new Map<string, StoredJob[]>();
  private readonly processors = new Map<string, Processor>();
  private readonly running = new Set<Promise<void>>();
  private readonly completed: string[] = [];
  private readonly failed: string[] = [];
  /** Repeat timers by job name; the interval is kept to make repeat() idempotent. */
  private readonly schedules = new Map<string, { everyMs: number; timer: NodeJS.Timeout }>();
  private nextId = 1;
  private closing?: Promise<void>;

  constructor(readonly name: string, policy: Partial<RetryPolicy> = {}) {
    this.policy = retryPolicy(policy);
  }

  async add<N extends keyof M & string>(name: N, data: M[N], options: JobOptions = {}): Promise<string> {
    this.assertOpen();
    const attempts = options.attempts ?? this.policy.attempts;
    assertPositiveInteger(attempts, 'attempts');
    if (options.jobId !== undefined && this.jobs.has(options.jobId)) return options.jobId;
    const job: StoredJob = {
      id: options.jobId ?? String(this.nextId++),
      name,
      json: JSON.stringify(data) ?? 'null',
      attempts,
      backoffMs: Math.max(0, options.backoffMs ?? this.policy.backoffMs),
      attemptsMade: 0,
      state: 'waiting',
    };
    this.jobs.set(job.id, job);
    if (options.delayMs && options.delayMs > 0) {
      this.delay(job, options.delayMs);
    } else {
      this.enqueue(job);
    }
    return job.id;
  }

  async process<N extends keyof M & string>(name: N, handler: JobHandler<M[N]>, concurrency = 1): Promise<void> {
    this.assertOpen();
    assertPositiveInteger(concurrency, 'concurrency');
    if (this.processors.has(name)) throw new Error(`Cannot define the same handler twice ${name}`);
    this.processors.set(name, { handler: handler as JobHandler<unknown>, concurrency, active: 0 });
    this.pump(name);
  }

  async repeat<N extends keyof M & string>(name: N, data: M[N], everyMs: number): Promise<void> {
    this.assertOpen();
    assertPositiveInteger(everyMs, 'everyMs');
    const existing = this.schedules.get(name);
    if (existing?.everyMs === everyMs) return;
    if (existing) clearInterval(existing.timer);
    const timer = setInterval(() => {
      this.add(name, data).catch((error: unknown) => {
        this.logger.error(`Queue ${this.name}: could not add repeated job ${name}`, error, { queue: this.name, job: name });
      });
    }, everyMs);
    // A schedule alone must not keep the process alive.
    timer.unref();
    this.schedules.set(name, { everyMs, timer });
  }

  async counts(): Promise<JobCounts> {
    const counts: JobCounts = { waiting: 0, active: 0, completed: this.completed.length, failed: this.failed.length, delayed: 0 };
    for (const job of this.jobs.values()) {
      if (job.state === 'waiting' || job.state === 'active' || job.state === 'delayed') counts[job.state]++;
    }
    return counts;
  }

  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private async stop(): Promise<void> {
    for (const { timer } of this.schedules.values()) clearInterval(timer);
    this.schedules.clear();
    for (const job of this.jobs.values()) {
      if (job.timer) clearTimeout(job.timer);
      job.timer = undefined;
    }
    while (this.running.size > 0) {
      await Promise.allSettled([...this.running]);
    }
  }

  private enqueue(job: StoredJob): void {
    job.state = 'waiting';
    const list = this.waiting.get(job.name);
    if (list) list.push(job);
    else this.waiting.set(job.name, [job]);
    this.pump(job.name);
  }

  private delay(job: StoredJob, ms: number): void {
    job.state = 'delayed';
    if (this.closing) return;
    job.timer = setTimeout(() => {
      job.timer = undefined;
      if (!this.closing) this.enqueue(job);
    }, ms);
  }

  /** Starts waiting jobs of `name` while its processor has free slots. */
  private pump(name: string): void {
    const processor = this.processors.get(name);
    const list = this.waiting.get(name);
    while (!this.closing && processor && list && list.length > 0 && processor.active < processor.concurrency) {
      const job = list.shift()!;
      processor.active++;
      const run: Promise<void> = this.run(job, processor.handler).finally(() => {
        processor.active--;
        this.running.delete(run);
        this.pump(name);
      });
      this.running.add(run);
    }
  }

  private async run(job: StoredJob, handler: JobHandler<unknown>): Promise<void> {
    job.state = 'active';
    const attempt = job.attemptsMade + 1;
    try {
      await handler(JSON.parse(job.json), { attempt, id: job.id });
      job.attemptsMade = attempt;
      this.finish(job, 'completed', this.completed, this.policy.keepCompleted);
    } catch (error) {
      job.attemptsMade = attempt;
      const fields = { queue: this.name, job: job.name, jobId: job.id, attempt };
      if (attempt < job.attempts) {
        this.logger.warn(LogKind.Event, `Job ${job.name} failed on attempt ${attempt}, will retry`, fields);
        this.delay(job, backoffDelay(job.backoffMs, attempt));
      } else {
        this.logger.error(`Job ${job.name} failed after ${attempt} attempt(s)`, error, fields);
        this.finish(job, 'failed', this.failed, this.policy.keepFailed);
      }
    }
  }

  /** Records a finished job, forgetting the oldest ones beyond `keep` (as bull's removeOnComplete/removeOnFail). */
  private finish(job: StoredJob, state: 'completed' | 'failed', kept: string[], keep: number): void {
    job.state = state;
    kept.push(job.id);
    while (kept.length > keep) {
      this.jobs.delete(kept.shift()!);
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new Error(`Queue ${this.name} is closed`);
  }
}
