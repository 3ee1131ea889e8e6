import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobQueue, JpkiJobs } from '@tsunagu/queue';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { JPKI_QUEUE } from '../../platform/jobs/queues.module';
import { JpkiCrlService } from './jpki-crl.service';
import { JpkiTrustService } from './jpki-trust.service';

/** Loads the trust anchors, fetches CRLs once at boot, then on schedule (bull or in-process). */
@Injectable()
export class JpkiProcessor implements OnApplicationBootstrap {
  constructor(
    @Inject(JPKI_QUEUE) private readonly queue: JobQueue<JpkiJobs>,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly trust: JpkiTrustService,
    private readonly crls: JpkiCrlService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.trust.init();
    if (!this.trust.configured) return;
    await this.crls.refresh();
    await this.queue.process('refresh-crls', async () => void (await this.crls.refresh()));
    await this.queue.repeat('refresh-crls', {}, this.config.JPKI_CRL_REFRESH_MINUTES * 60_000);
  }
}
