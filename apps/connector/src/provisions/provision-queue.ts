import { AppLogger, LogKind } from '@tsunagu/logger';
import type { ProvisionReport } from '@tsunagu/contracts';
import type { ProvisionStore } from './provision-outbox';

/** What one attempt to deliver a report came to. */
export type SendResult = 'acknowledged' | 'refused' | 'retry';

/** Delivers one report to the hub. Must not throw: transport problems are `retry`. */
export type ProvisionSender = (report: ProvisionReport) => Promise<SendResult>;

export interface ProvisionQueueOptions {
  /** First retry delay after a failed attempt (default 500 ms); doubled per failure. */
  retryBaseMs?: number;
  /** Longest retry delay (default 60 s). */
  retryMaxMs?: number;
  /** Reports sent at once (default 8). */
  concurrency?: number;
}

/**
 * Sends the outbox's reports to the hub until each is acknowledged, with exponential backoff
 * (with jitter) while the hub is down. A report refused for good (the hub says it can never be
 * recorded) is dropped with a warning. Nothing here keeps a report only in memory: a report is
 * in the outbox file before `enqueue` resolves, and leaves it only once the hub answered.
 */
export class ProvisionQueue {
  private readonly logger = new AppLogger(ProvisionQueue.name);
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly concurrency: number;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly outbox: ProvisionStore, private readonly send: ProvisionSender, options: ProvisionQueueOptions = {}) {
    this.retryBaseMs = options.retryBaseMs ?? 500;
    this.retryMaxMs = options.retryMaxMs ?? 60_000;
    this.concurrency = options.concurrency ?? 8;
  }

  /** Reports still waiting for the hub. */
  get pending(): number {
    return this.outbox.size;
  }

  /** Stores the report durably, then schedules its delivery. */
  async enqueue(report: ProvisionReport): Promise<void> {
    await this.outbox.add(report);
    this.kick();
  }

  /** Starts delivering what the outbox held from before (after a restart). */
  start(): void {
    this.stopped = false;
    if (this.outbox.size) this.kick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Stops, lets a pass in progress end, waits for the outbox's writes and closes it (shutdown). */
  async close(): Promise<void> {
    this.stop();
    await this.running?.catch(() => undefined);
    await this.outbox.close();
  }

  /** One delivery pass now (tests; also what the timer runs). Resolves when the pass is over. */
  async drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
    });
    await this.running;
    if (this.again && !this.stopped) {
      this.again = false;
      this.kick();
    }
  }

  private kick(): void {
    if (this.stopped || this.timer) return;
    if (this.failures) return this.schedule(); // backing off: the scheduled retry takes it
    if (this.running) {
      this.again = true;
      return;
    }
    void this.drain();
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    const exp = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.min(this.failures - 1, 20));
    const delay = Math.round(exp / 2 + Math.random() * exp / 2);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, delay);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    const reports = this.outbox.list();
    let failed = false;
    for (let i = 0; i < reports.length && !failed && !this.stopped; i += this.concurrency) {
      const results = await Promise.all(reports.slice(i, i + this.concurrency).map(async (report) => {
        const result = await this.send(report).catch((): SendResult => 'retry');
        if (result === 'refused') this.logger.warn(LogKind.Communication, 'Provision report refused by the hub; dropped', { reportId: report.reportId, grantId: report.grantId });
        if (result !== 'retry') await this.outbox.done(report.reportId);
        return result;
      }));
      failed = results.includes('retry');
    }
    if (failed) {
      this.failures++;
      if (this.failures === 1) this.logger.warn(LogKind.Communication, 'Provision reports waiting for the hub', { pending: this.outbox.size });
      this.schedule();
    } else {
      if (this.failures) this.logger.log(LogKind.Communication, 'Provision reports delivered again', { pending: this.outbox.size });
      this.failures = 0;
    }
  }
}
