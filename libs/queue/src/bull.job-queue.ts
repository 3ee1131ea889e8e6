import Bull from 'bull';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { JobDataMap } from './job-data';
import {
  assertPositiveInteger, retryPolicy, type JobCounts, type JobHandler, type JobOptions, type JobQueue,
  type RetryPolicy,
} from './job-queue';

export interface BullJobQueueOptions extends Partial<RetryPolicy> {
  /** redis://[user:password@]host:port[/db]. Never logged. */
  redisUrl: string;
  /**
   * Key prefix shared by every queue of one deployment (all hub replicas use the same one; test
   * runs and other hubs on the same Redis use their own). Trailing colons are dropped, bull adds one.
   */
  prefix: string;
}

/**
 * A {@link JobQueue} on Redis with bull 4: durable, shared by every replica using the same Redis
 * and prefix. Repeatable jobs are deduplicated by bull's repeat key (job name + interval), so
 * every replica may call {@link repeat} at boot.
 */
export class BullJobQueue<M extends object = JobDataMap> implements JobQueue<M> {
  private readonly logger = new AppLogger(BullJobQueue.name);
  private readonly queue: Bull.Queue;
  private readonly policy: RetryPolicy;
  private closing?: Promise<void>;
  /** The handlers running in this process: close waits for them itself (see {@link close}). */
  private readonly running = new Set<Promise<void>>();

  constructor(readonly name: string, options: BullJobQueueOptions) {
    const prefix = options.prefix.replace(/:+$/, '');
    if (!prefix) throw new RangeError('BullJobQueue needs a key prefix');
    this.policy = retryPolicy(options);
    this.queue = new Bull(name, options.redisUrl, {
      prefix,
      defaultJobOptions: { removeOnComplete: keep(this.policy.keepCompleted), removeOnFail: keep(this.policy.keepFailed) },
    });
    this.queue.on('error', (error: unknown) => {
      this.logger.error(`Queue ${name}: Redis error`, error, { queue: name });
    });
    this.queue.on('failed', (job: Bull.Job, error: Error) => this.onFailed(job, error));
  }

  async add<N extends keyof M & string>(name: N, data: M[N], options: JobOptions = {}): Promise<string> {
    this.assertOpen();
    const job = await this.queue.add(name, data, this.jobOptions(options));
    return String(job.id);
  }

  async process<N extends keyof M & string>(name: N, handler: JobHandler<M[N]>, concurrency = 1): Promise<void> {
    this.assertOpen();
    assertPositiveInteger(concurrency, 'concurrency');
    // bull's promise settles only when the queue closes; it is not awaited.
    this.queue
      .process(name, concurrency, async (job: Bull.Job<M[N]>) => {
        const run = handler(job.data, { attempt: job.attemptsMade + 1, id: String(job.id) });
        const tracked = run.then(() => undefined, () => undefined);
        this.running.add(tracked);
        try {
          await run;
        } finally {
          this.running.delete(tracked);
        }
      })
      .catch((error: unknown) => this.logger.error(`Queue ${this.name}: processor stopped`, error, { queue: this.name, job: name }));
    await this.queue.isReady();
  }

  async repeat<N extends keyof M & string>(name: N, data: M[N], everyMs: number): Promise<void> {
    this.assertOpen();
    assertPositiveInteger(everyMs, 'everyMs');
    // A changed interval would otherwise add a second schedule beside the old one.
    for (const schedule of await this.queue.getRepeatableJobs()) {
      if (schedule.name === name && !schedule.id && schedule.every !== everyMs) {
        await this.queue.removeRepeatableByKey(schedule.key);
      }
    }
    await this.queue.add(name, data, { ...this.jobOptions({}), repeat: { every: everyMs } });
  }

  /** The underlying bull queue, for read-only dashboards (bull-board). Not for adding or processing jobs. */
  get bullQueue(): Bull.Queue {
    return this.queue;
  }

  async counts(): Promise<JobCounts> {
    const { waiting, active, completed, failed, delayed } = await this.queue.getJobCounts();
    return { waiting, active, completed, failed, delayed };
  }

  /**
   * Stops taking jobs, waits for the handlers running here, then disconnects. bull's own waiting
   * close (`whenCurrentJobsFinished`) leaves the forced reconnection of its blocking client
   * unobserved while jobs finish, and its "Connection is closed" rejection then surfaces as an
   * unhandled rejection at shutdown; so the waiting is done here and bull closes without it.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.queue.pause(true, true).catch(() => undefined);
      await Promise.all([...this.running]);
      // …and for bull's own bookkeeping of those jobs (moving them to completed or failed), which
      // runs after the handler: cut off, its Redis calls would fail as the connections close.
      const processing = (this.queue as unknown as { processing?: Promise<unknown>[] }).processing ?? [];
      await Promise.all(Object.values(processing).map((p) => p.catch(() => undefined)));
      await this.queue.close(true);
    })();
    return this.closing;
  }

  private jobOptions(options: JobOptions): Bull.JobOptions {
    const attempts = options.attempts ?? this.policy.attempts;
    const backoffMs = options.backoffMs ?? this.policy.backoffMs;
    assertPositiveInteger(attempts, 'attempts');
    return {
      attempts,
      backoff: backoffMs > 0 ? { type: 'exponential', delay: backoffMs } : undefined,
      delay: options.delayMs && options.delayMs > 0 ? options.delayMs : undefined,
      jobId: options.jobId,
      removeOnComplete: keep(this.policy.keepCompleted),
      removeOnFail: keep(this.policy.keepFailed),
    };
  }

  private onFailed(job: Bull.Job, error: Error): void {
    const fields = { queue: this.name, job: job.name, jobId: String(job.id), attempt: job.attemptsMade };
    if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
      this.logger.error(`Job ${job.name} failed after ${job.attemptsMade} attempt(s)`, error, fields);
    } else {
      this.logger.warn(LogKind.Event, `Job ${job.name} failed on attempt ${job.attemptsMade}, will retry`, fields);
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new Error(`Queue ${this.name} is closed`);
  }
}

/** bull reads `0` as "keep everything"; keeping none is `true`. */
function keep(count: number): number | true {
  return count === 0 ? true : count;
}

/** The bull queue behind a {@link JobQueue}, when it is a {@link BullJobQueue} (undefined for in-process queues). */
export function bullQueueOf(queue: unknown): Bull.Queue | undefined {
  return queue instanceof BullJobQueue ? queue.bullQueue : undefined;
}
