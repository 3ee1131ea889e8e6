import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobQueue, MaintenanceJobs } from '@tsunagu/queue';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { MAINTENANCE_QUEUE } from '../platform/jobs/queues.module';
import { AuditVerificationService } from './audit-verification.service';

const HOUR_MS = 3_600_000;

/** The `verify-audit-chain` job of the maintenance queue, every AUDIT_VERIFY_EVERY_HOURS. The processor only calls the service. */
@Injectable()
export class AuditVerificationProcessor implements OnApplicationBootstrap {
  constructor(
    @Inject(MAINTENANCE_QUEUE) private readonly queue: JobQueue<MaintenanceJobs>,
    @Inject(HUB_CONFIG) private readonly config: Pick<HubConfig, 'AUDIT_VERIFY_EVERY_HOURS'>,
    private readonly verification: AuditVerificationService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.AUDIT_VERIFY_EVERY_HOURS) return;
    await this.queue.process('verify-audit-chain', async () => {
      await this.verification.verifyAndRecord();
    });
    // Every replica asks; bull keeps one schedule per job and interval.
    await this.queue.repeat('verify-audit-chain', {}, this.config.AUDIT_VERIFY_EVERY_HOURS * HOUR_MS);
  }
}
