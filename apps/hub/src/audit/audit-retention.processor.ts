import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobQueue, MaintenanceJobs } from '@tsunagu/queue';
import { type AuditConfig, HUB_CONFIG } from '../platform/config/hub.config';
import { MAINTENANCE_QUEUE } from '../platform/jobs/queues.module';
import { AuditRetentionService } from './audit-retention.service';

const DAY_MS = 86_400_000;

/** The daily `prune-audit` job of the maintenance queue. The processor only calls the service. */
@Injectable()
export class AuditRetentionProcessor implements OnApplicationBootstrap {
  constructor(
    @Inject(MAINTENANCE_QUEUE) private readonly queue: JobQueue<MaintenanceJobs>,
    @Inject(HUB_CONFIG) private readonly config: AuditConfig,
    private readonly retention: AuditRetentionService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.process('prune-audit', async ({ retentionDays }) => {
      await this.retention.pruneExpired(new Date(), retentionDays);
    });
    // Every replica asks; bull keeps one schedule per job and interval.
    await this.queue.repeat('prune-audit', { retentionDays: this.config.AUDIT_RETENTION_DAYS }, DAY_MS);
  }
}
