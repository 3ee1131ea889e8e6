import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppLogger } from '@tsunagu/logger';
import { RevocationSignals } from '../../exchange/enforcement/revocation-signals';
import { DepartureRepository } from './departure.repository';
import { DepartureService } from './departure.service';

/** How often open departures are looked at (a departure's own request does the first round at once). */
export const DEPARTURE_POLL_MS = 1_000;
const BATCH = 50;

/**
 * Carries every committed departure to its certificate (docs/erasure.md): in every replica, on a
 * timer and whenever an acknowledgement is stored, it runs DepartureService.followUp for the open
 * departures — so a hub killed right after the commit (or during the follow-up) finishes the
 * departure after its restart; each step is safe to repeat and the certificate is stored once.
 */
@Injectable()
export class DepartureProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new AppLogger(DepartureProcessor.name);
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private stopped = false;
  private unsubscribe?: () => void;

  constructor(private readonly repo: DepartureRepository, private readonly departures: DepartureService, private readonly signals: RevocationSignals) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), DEPARTURE_POLL_MS);
    this.timer.unref();
    // An acknowledgement (of an erasure request among others) may complete a departure: look at once.
    this.unsubscribe = this.signals.onProgress(() => void this.run());
    void this.run();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.unsubscribe?.();
    clearInterval(this.timer);
  }

  /** One round over the open departures. Public for tests. */
  async run(): Promise<void> {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      for (const departure of await this.repo.listOpen(BATCH)) {
        if (this.stopped) break;
        await this.departures.followUp(departure.id).catch((error) => this.logger.error('Departure follow-up failed; retried on the next round', error, { departureId: departure.id }));
      }
    } catch (error) {
      this.logger.error('Could not list open departures', error);
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        void this.run();
      }
    }
  }
}
