import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppLogger } from '@tsunagu/logger';
import { RevocationSignals } from '../../exchange/enforcement/revocation-signals';
import { DEPARTURE_POLL_MS } from '../departure/departure.processor';
import { TenantExitRepository } from './tenant-exit.repository';
import { TenantExitService } from './tenant-exit.service';

const BATCH = 20;

/**
 * Carries every committed tenant deletion to its certificate (docs/erasure.md "Tenants leaving"),
 * as DepartureProcessor does for residents: in every replica, on a timer and whenever an
 * acknowledgement is stored, it runs TenantExitService.followUp for the open exits — so a hub
 * killed after the commit finishes the deletion after its restart; each step is safe to repeat
 * and the certificate is stored once.
 */
@Injectable()
export class TenantExitProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(TenantExitProcessor.name);
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private stopped = false;
  private unsubscribe?: () => void;

  constructor(private readonly repo: TenantExitRepository, private readonly exits: TenantExitService, private readonly signals: RevocationSignals) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), DEPARTURE_POLL_MS);
    this.timer.unref();
    this.unsubscribe = this.signals.onProgress(() => void this.run());
    void this.run();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.unsubscribe?.();
    clearInterval(this.timer);
  }

  /** One round over the open exits. Public for tests. */
  async run(): Promise<void> {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      for (const exit of await this.repo.listOpen(BATCH)) {
        if (this.stopped) break;
        await this.exits.followUp(exit.id).catch((error) => this.logger.error('Tenant exit follow-up failed; retried on the next round', error, { exitId: exit.id }));
      }
    } catch (error) {
      this.logger.error('Could not list open tenant exits', error);
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        void this.run();
      }
    }
  }
}
