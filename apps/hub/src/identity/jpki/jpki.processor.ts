import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobQueue, JpkiJobs } from '@tsunagu/queue';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { JPKI_QUEUE } from '../../platform/jobs/queues.module';
import { JpkiCrlService } from './jpki-crl.service';
import { JpkiTrustService } from './jpki-trust.service';
import { VerificationRecheckService } from './verification-recheck.service';

/**
 * Loads the trust anchors, fetches CRLs once at boot, then on schedule (bull or in-process); after
 * every refresh, and on its own schedule, re-checks every current identity verification.
 */
@Injectable()
export class JpkiProcessor implements OnApplicationBootstrap {
  constructor(
    @Inject(JPKI_QUEUE) private readonly queue: JobQueue<JpkiJobs>,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly trust: JpkiTrustService,
    private readonly crls: JpkiCrlService,
    private readonly recheck: VerificationRecheckService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.trust.init();
    if (!this.trust.configured) return;
    await this.crls.refresh();
    await this.queue.process('refresh-crls', async () => {
      await this.crls.refresh();
      await this.recheck.recheckAll();
    });
    await this.queue.process('recheck-verifications', async () => void (await this.recheck.recheckAll()));
    await this.queue.repeat('refresh-crls', {}, this.config.JPKI_CRL_REFRESH_MINUTES * 60_000);
    await this.queue.repeat('recheck-verifications', {}, this.config.JPKI_RECHECK_SECONDS * 1000);
  }
}
