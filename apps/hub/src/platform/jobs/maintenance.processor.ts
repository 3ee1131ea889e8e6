import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobQueue, MaintenanceJobs } from '@tsunagu/queue';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { HUB_CONFIG, type HubConfig } from '../config/hub.config';
import { KeysService } from '../keys/keys.service';
import { MAINTENANCE_QUEUE } from './queues.module';

const DAY_MS = 86_400_000;

/** Daily housekeeping. The processor only calls services; the rules live there. */
@Injectable()
export class MaintenanceProcessor implements OnApplicationBootstrap {
  private readonly logger = new AppLogger(MaintenanceProcessor.name);

  constructor(
    @Inject(MAINTENANCE_QUEUE) private readonly queue: JobQueue<MaintenanceJobs>,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly keys: KeysService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.process('purge-retired-keys', async ({ olderThanDays }) => {
      const removed = await this.keys.purgeRetired(new Date(Date.now() - olderThanDays * DAY_MS));
      if (removed) this.logger.log(LogKind.Operation, 'Retired signing keys removed from JWKS', { removed });
    });
    // Every replica asks; bull keeps one schedule per job and interval.
    await this.queue.repeat('purge-retired-keys', { olderThanDays: this.config.KEY_RETIRED_RETENTION_DAYS }, DAY_MS);
  }
}
