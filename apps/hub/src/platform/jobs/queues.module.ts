import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createJobQueue, type JobQueue, type JpkiJobs, type MaintenanceJobs, QueueName } from '@tsunagu/queue';
import { HUB_CONFIG, type HubConfig } from '../config/hub.config';

export const MAINTENANCE_QUEUE = Symbol('MAINTENANCE_QUEUE');
export const JPKI_QUEUE = Symbol('JPKI_QUEUE');

function options(config: HubConfig) {
  return { redisUrl: config.REDIS_URL, prefix: `${config.REDIS_PREFIX}bull` };
}

/**
 * The hub's job queues: bull on Redis when REDIS_URL is set (any replica may run a job), else
 * in this process. One instance per queue per process, shared by producers and the processor.
 */
@Global()
@Module({
  providers: [
    { provide: MAINTENANCE_QUEUE, inject: [HUB_CONFIG], useFactory: (config: HubConfig) => createJobQueue(QueueName.Maintenance, options(config)) },
    { provide: JPKI_QUEUE, inject: [HUB_CONFIG], useFactory: (config: HubConfig) => createJobQueue(QueueName.Jpki, options(config)) },
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
