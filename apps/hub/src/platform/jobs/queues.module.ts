import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createJobQueue, type JobQueue, type JpkiJobs, type MaintenanceJobs, QueueName } from '@tsunagu/queue';
import { HUB_CONFIG, type HubConfig } from '../config/hub.config';
import { HubMetrics } from '../metrics/hub-metrics';

export const MAINTENANCE_QUEUE = Symbol('MAINTENANCE_QUEUE');
export const JPKI_QUEUE = Symbol('JPKI_QUEUE');

function options(config: HubConfig) {
  return { redisUrl: config.REDIS_URL, prefix: `${config.REDIS_PREFIX}bull` };
}

/** Registers a queue for the depth gauge (tsunagu_queue_jobs) and returns it. */
export function watched<Q extends Pick<JobQueue, 'name' | 'counts'>>(metrics: HubMetrics, queue: Q): Q {
  metrics.watchQueue(queue);
  return queue;
}

/**
 * The hub's job queues: bull on Redis when REDIS_URL is set (any replica may run a job), else
 * in this process. One instance per queue per process, shared by producers and the processor.
 */
@Global()
@Module({
  providers: [
    { provide: MAINTENANCE_QUEUE, inject: [HUB_CONFIG, HubMetrics], useFactory: (config: HubConfig, metrics: HubMetrics) => watched(metrics, createJobQueue(QueueName.Maintenance, options(config))) },
    { provide: JPKI_QUEUE, inject: [HUB_CONFIG, HubMetrics], useFactory: (config: HubConfig, metrics: HubMetrics) => watched(metrics, createJobQueue(QueueName.Jpki, options(config))) },
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
