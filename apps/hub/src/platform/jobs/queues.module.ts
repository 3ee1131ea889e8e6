import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createJobQueue, type JobQueue, type JpkiJobs, type MaintenanceJobs, producerOnly, QueueName } from '@tsunagu/queue';
import { HUB_CONFIG, type HubConfig } from '../config/hub.config';
import { HubMetrics } from '../metrics/hub-metrics';

export const MAINTENANCE_QUEUE = Symbol('MAINTENANCE_QUEUE');
export const JPKI_QUEUE = Symbol('JPKI_QUEUE');

function options(config: HubConfig) {
  return { redisUrl: config.REDIS_URL, prefix: `${config.REDIS_PREFIX}bull` };
}

/**
 * A queue of this process: registered for the depth gauge (tsunagu_queue_jobs), and a producer
 * only on a web replica (HUB_ROLE=web: the worker process runs the processors).
 */
export function hubQueue<M extends object>(config: Pick<HubConfig, 'HUB_ROLE'>, metrics: HubMetrics, queue: JobQueue<M>): JobQueue<M> {
  metrics.watchQueue(queue as unknown as JobQueue);
  return config.HUB_ROLE === 'web' ? producerOnly(queue) : queue;
}

/**
 * The hub's job queues: bull on Redis when REDIS_URL is set (any replica may run a job), else
 * in this process. One instance per queue per process, shared by producers and the processor.
 */
@Global()
@Module({
  providers: [
    { provide: MAINTENANCE_QUEUE, inject: [HUB_CONFIG, HubMetrics], useFactory: (config: HubConfig, metrics: HubMetrics) => hubQueue(config, metrics, createJobQueue(QueueName.Maintenance, options(config))) },
    { provide: JPKI_QUEUE, inject: [HUB_CONFIG, HubMetrics], useFactory: (config: HubConfig, metrics: HubMetrics) => hubQueue(config, metrics, createJobQueue(QueueName.Jpki, options(config))) },
  ],
  exports: [MAINTENANCE_QUEUE, JPKI_QUEUE],
})
export class QueuesModule implements OnApplicationShutdown {
  constructor(
    @Inject(MAINTENANCE_QUEUE) private readonly maintenance: JobQueue<MaintenanceJobs>,
    @Inject(JPKI_QUEUE) private readonly jpki: JobQueue<JpkiJobs>,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.maintenance.close(), this.jpki.close()]);
  }
}
