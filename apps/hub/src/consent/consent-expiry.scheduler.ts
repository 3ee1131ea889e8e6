import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppLogger } from '@tsunagu/logger';
import { ConsentService } from './consent.service';

const EVERY_MS = 60_000;

/**
 * Writes the `expired` version (and receipt) of consents whose validity ended, pauses any
 * consent left on outdated terms, and finishes interrupted catalog changes (suspended or retired
 * agreements and data uses), once a minute in every replica. Replicas racing on the same
 * consent are harmless: the conditional write lets exactly one of them record it. The grant-path
 * check does not wait for this sweep: it compares valid_until and the terms revision itself.
 */
@Injectable()
export class ConsentExpiryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(ConsentExpiryScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly consents: ConsentService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.consents.expireDue()
      .then(() => this.consents.pauseAllOutdated())
      .then(() => this.consents.reconcileCatalog())
      .catch((error) => this.logger.error('Consent sweep failed', error))
      .finally(() => (this.running = undefined));
  }
}
