import type { ProvisionReport } from '@tsunagu/contracts';
import type { ProvisionStore } from '../provisions/provision-outbox';

interface Waiting {
  report: ProvisionReport;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A provision store whose writes complete when the test says so: `add` waits until `release()`
 * (stored) or `fail()` (the write failed), so a spec can look at what has — and has not — happened
 * while a report is still on its way to the disk. With `hold = false`, writes complete at once.
 */
export class GatedProvisionStore implements ProvisionStore {
  /** Reports whose write completed, in order. */
  readonly stored: ProvisionReport[] = [];
  /** Every report handed to `add`, completed or not. */
  readonly added: ProvisionReport[] = [];
  hold = true;
  private waiting: Waiting[] = [];
  private arrivals: (() => void)[] = [];
  private readonly finished = new Set<string>();

  add(report: ProvisionReport): Promise<void> {
    this.added.push(report);
    if (!this.hold) {
      this.stored.push(report);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ report, resolve, reject });
      this.arrivals.splice(0).forEach((wake) => wake());
    });
  }

  /** Resolves once `count` writes are waiting. */
  async writesWaiting(count = 1): Promise<void> {
    while (this.waiting.length < count) await new Promise<void>((wake) => this.arrivals.push(wake));
  }

  /** How many writes are waiting now. */
  get pendingWrites(): number {
    return this.waiting.length;
  }

  /** Completes every waiting write. */
  release(): void {
    for (const w of this.waiting.splice(0)) {
      this.stored.push(w.report);
      w.resolve();
    }
  }

  /** Fails every waiting write. */
  fail(error: unknown = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })): void {
    for (const w of this.waiting.splice(0)) w.reject(error);
  }

  async done(reportId: string): Promise<void> {
    this.finished.add(reportId);
  }

  list(): ProvisionReport[] {
    return this.stored.filter((r) => !this.finished.has(r.reportId));
  }

  get size(): number {
    return this.list().length;
  }

  async flush(): Promise<void> {}

  async removeIfEmpty(): Promise<void> {}

  async close(): Promise<void> {}
}

/** Lets the event loop run a few turns: whatever is not blocked on something gets to finish. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

/** Tracks whether a promise has settled (without turning its rejection into an unhandled one). */
export function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  return { promise, settled: () => settled };
}
