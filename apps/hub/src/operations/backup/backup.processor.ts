import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobQueue, MaintenanceJobs } from '@tsunagu/queue';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { MAINTENANCE_QUEUE } from '../../platform/jobs/queues.module';
import { HubMetrics } from '../../platform/metrics/hub-metrics';
import { BackupService } from './backup.service';

const HOUR_MS = 3_600_000;

/**
 * The hourly `back-up-database` job of the maintenance queue (a backup is written only when due),
 * and the backup's age for the `TsunaguBackupOld` alert. The processor only calls the service.
 */
@Injectable()
export class BackupProcessor implements OnApplicationBootstrap {
  constructor(
    @Inject(MAINTENANCE_QUEUE) private readonly queue: JobQueue<MaintenanceJobs>,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly backups: BackupService,
    private readonly metrics: HubMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.metrics.service.gauge('tsunagu_backup_age_seconds', 'Seconds since the newest backup in BACKUP_DIR was written (absent: none yet)', [], (set) => {
      const last = this.backups.lastBackupAt();
      if (last) set(Math.max(0, (Date.now() - last.getTime()) / 1000));
    });
    if (!this.config.BACKUP_EVERY_HOURS) return;
    await this.queue.process('back-up-database', async () => {
      await this.backups.backUpIfDue();
    });
    // Every replica asks; bull keeps one schedule per job and interval.
    await this.queue.repeat('back-up-database', {}, HOUR_MS);
    await this.queue.add('back-up-database', {}, { delayMs: this.config.BACKUP_FIRST_CHECK_SECONDS * 1000, attempts: 1 });
  }
}
