import type { JobDataMap } from './job-data';

/** Options of one job. Unset values come from the queue's {@link RetryPolicy}. */
export interface JobOptions {
  /** Total tries including the first one. */
  attempts?: number;
  /** Base of the exponential backoff: the n-th retry waits (2^n − 1) × backoffMs (bull's formula). */
  backoffMs?: number;
  /** Runs the job no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** Adding a job whose id is still stored (waiting, delayed, active, or kept as completed/failed) is a no-op. */
  jobId?: string;
}

/** What a handler learns about the run besides the data. */
export interface JobMeta {
  /** 1 on the first try, 2 on the first retry, … */
  attempt: number;
  id: string;
}

export type JobHandler<D> = (data: D, meta: JobMeta) => Promise<void>;

export interface JobCounts {
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
}

/** Retry and retention settings of a queue (from config). */
export interface RetryPolicy {
  /** Default total tries per job. */
  attempts: number;
  /** Default backoff base, see {@link JobOptions.backoffMs}. */
  backoffMs: number;
  /** How many completed jobs are kept (bounded so Redis does not grow). */
  keepCompleted: number;
  /** How many failed jobs are kept for inspection. */
  keepFailed: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  backoffMs: 1000,
  keepCompleted: 1000,
  keepFailed: 5000,
};

/**
 * A named queue of jobs, `M` mapping each job name to its data type. Implemented on Redis by
 * {@link BullJobQueue} and in process by {@link InProcessJobQueue}; both pass the same contract
 * suite (job-queue.contract.spec.ts).
 *
 * A job that throws is retried with exponential backoff until its attempts are used up, then
 * recorded as failed and logged with kind `error` (never with its data).
 */
export interface JobQueue<M extends object = JobDataMap> {
  readonly name: string;

  /** Stores a job and resolves with its id. */
  add<N extends keyof M & string>(name: N, data: M[N], options?: JobOptions): Promise<string>;

  /**
   * Runs `handler` for jobs named `name`, at most `concurrency` at a time. One handler per job
   * name and queue instance. Jobs of a name nobody processes stay waiting in process; bull fails
   * them once this instance processes other names of the queue, so one worker should process
   * every job of a queue.
   */
  process<N extends keyof M & string>(name: N, handler: JobHandler<M[N]>, concurrency?: number): Promise<void>;

  /**
   * Adds `name` every `everyMs` milliseconds. Idempotent: calling it again, from this instance or
   * (bull) from another replica on the same Redis and prefix, keeps one schedule. Calling it with
   * another interval replaces the schedule; the data of the first call is kept until then.
   */
  repeat<N extends keyof M & string>(name: N, data: M[N], everyMs: number): Promise<void>;

  counts(): Promise<JobCounts>;

  /** Stops taking jobs and timers, waits for the active jobs, releases connections. Idempotent. */
  close(): Promise<void>;
}

/** Delay before the retry that follows `attemptsMade` failed tries (bull's exponential strategy). */
export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return Math.round((Math.pow(2, attemptsMade) - 1) * backoffMs);
}

/** The queue's policy: the given values over {@link DEFAULT_RETRY_POLICY}, checked. */
export function retryPolicy(given: Partial<RetryPolicy> = {}): RetryPolicy {
  const pick = <K extends keyof RetryPolicy>(key: K): RetryPolicy[K] => given[key] ?? DEFAULT_RETRY_POLICY[key];
  const policy: RetryPolicy = {
    attempts: pick('attempts'),
    backoffMs: pick('backoffMs'),
    keepCompleted: pick('keepCompleted'),
    keepFailed: pick('keepFailed'),
  };
  assertPositiveInteger(policy.attempts, 'attempts');
  for (const key of ['backoffMs', 'keepCompleted', 'keepFailed'] as const) {
    if (!Number.isInteger(policy[key]) || policy[key] < 0) throw new RangeError(`${key} must be a non-negative integer`);
  }
  return policy;
}

export function assertPositiveInteger(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${what} must be a positive integer`);
  }
}
