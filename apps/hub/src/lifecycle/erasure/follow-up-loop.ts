import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppLogger } from '@tsunagu/logger';
import type { RevocationSignals } from '../../exchange/enforcement/revocation-signals';

/** How often open departures and tenant exits are looked at (the request itself does the first round at once). */
export const FOLLOW_UP_POLL_MS = 1_000;

/**
 * Carries committed erasures (a resident's departure, a tenant's exit) to their certificates: in
 * every replica, on a timer and whenever an acknowledgement is stored, it runs `followUp` for each
 * open one — so a hub killed right after the commit (or during the follow-up) finishes the work
 * after its restart. Each step of a follow-up is safe to repeat and the certificate is stored once;
 * one round runs at a time, and a wake-up during a round starts one more.
 */
export abstract class FollowUpLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: AppLogger;
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private stopped = false;
  private unsubscribe?: () => void;

  protected constructor(name: string, private readonly signals: RevocationSignals, private readonly what: string, private readonly batch: number) {
    this.logger = new AppLogger(name);
  }

  /** Up to `limit` open items (the oldest first). */
  protected abstract listOpen(limit: number): Promise<{ id: string }[]>;
  protected abstract followUp(id: string): Promise<void>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), FOLLOW_UP_POLL_MS);
    this.timer.unref();
    // An acknowledgement (of an erasure request among others) may complete one: look at once.
    this.unsubscribe = this.signals.onProgress(() => void this.run());
    void this.run();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.unsubscribe?.();
    clearInterval(this.timer);
  }

  /** One round over the open items. Public for tests. */
  async run(): Promise<void> {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      for (const open of await this.listOpen(this.batch)) {
        if (this.stopped) break;
        await this.followUp(open.id).catch((error) => this.logger.error(`${this.what} follow-up failed; retried on the next round`, error, { id: open.id }));
      }
    } catch (error) {
      this.logger.error(`Could not list open ${this.what.toLowerCase()}s`, error);
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        void this.run();
      }
    }
  }
}
