import { BullJobQueue } from './bull.job-queue';
import { InProcessJobQueue } from './in-process.job-queue';
import type { QueueJobMap } from './job-data';
import type { JobQueue, RetryPolicy } from './job-queue';
import type { QueueName } from './queue-name';

export interface CreateJobQueueOptions extends Partial<RetryPolicy> {
  /** Redis URL; without one the queue lives in this process. */
  redisUrl?: string;
  /** Redis key prefix (ignored in process). */
  prefix: string;
}

/**
 * The queue `name` on Redis (bull) when a Redis URL is given, else in this process. Create each
 * queue once per process and share it: in process, jobs reach only the instance they were added to.
 */
export function createJobQueue<Q extends QueueName>(name: Q, options: CreateJobQueueOptions): JobQueue<QueueJobMap[Q]> {
  const { redisUrl, prefix, ...policy } = options;
  return redisUrl
    ? new BullJobQueue<QueueJobMap[Q]>(name, { ...policy, redisUrl, prefix })
    : new InProcessJobQueue<QueueJobMap[Q]>(name, policy);
}

/**
 * The queue as a producer only: jobs are added and scheduled, never run here — for the hub's web
 * replicas when a separate worker process runs the processors (HUB_ROLE=web; bull on Redis only).
 */
export function producerOnly<M extends object>(queue: JobQueue<M>): JobQueue<M> {
  return new Proxy(queue, {
    get(target, property, receiver) {
      if (property === 'process') return async () => undefined;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
