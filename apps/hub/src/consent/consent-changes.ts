import { Injectable } from '@nestjs/common';
import { AppLogger } from '@tsunagu/logger';

/**
 * Tells listeners in this process that a consent version (and its revocation outbox row) has been
 * committed, so that the revocation dispatcher sends it at once instead of at its next poll. Only
 * a wake-up call: the outbox row is the truth, and other replicas still find it by polling.
 */
@Injectable()
export class ConsentChanges {
  private readonly logger = new AppLogger(ConsentChanges.name);
  private readonly listeners = new Set<() => void>();

  /** Calls `listener` after each committed consent change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  committed(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        // A listener's failure must not fail the resident's decision, which is already committed.
        this.logger.error('A consent change listener failed', error);
      }
    }
  }
}
