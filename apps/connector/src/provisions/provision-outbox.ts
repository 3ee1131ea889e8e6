import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ProvisionReport } from '@tsunagu/contracts';

/** One line of the outbox file. */
type OutboxLine = { op: 'add'; report: ProvisionReport } | { op: 'done'; reportId: string };

/** Compact the file once it holds this many finished lines. */
const COMPACT_AFTER_DONE = 1000;

/**
 * The durable outbox of provision reports: a JSON-lines file, append-only, each write fsync'd
 * before the caller is told it is stored. `add` lines carry a report; `done` lines mark one
 * acknowledged by the hub (or refused for good). On start the file is replayed: every `add`
 * without a `done` is pending again, so reports survive a hub outage and a connector restart.
 * A torn last line (a crash mid-write) is skipped. Writes arriving together share one fsync.
 * Once many reports are done the file is rewritten with only the pending ones (temp file, fsync,
 * rename).
 */
export class ProvisionOutbox {
  private readonly pending = new Map<string, ProvisionReport>();
  private doneLines = 0;
  private buffer: string[] = [];
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private writing: Promise<void> | undefined;

  private constructor(readonly file: string) {}

  /** Opens (creating the directory and file if needed) and replays the outbox. */
  static async open(file: string): Promise<ProvisionOutbox> {
    const outbox = new ProvisionOutbox(file);
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    let text = '';
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      let line: OutboxLine;
      try {
        line = JSON.parse(raw) as OutboxLine;
      } catch {
        continue; // a torn write: the report was never acknowledged to its caller
      }
      if (line.op === 'add' && line.report?.reportId) outbox.pending.set(line.report.reportId, line.report);
      else if (line.op === 'done') {
        outbox.pending.delete(line.reportId);
        outbox.doneLines++;
      }
    }
    if (outbox.doneLines >= COMPACT_AFTER_DONE) await outbox.compact();
    return outbox;
  }

  /** Reports not yet acknowledged, oldest first. */
  list(): ProvisionReport[] {
    return [...this.pending.values()];
  }

  get size(): number {
    return this.pending.size;
  }

  /** Stores a report durably (resolves once fsync'd). Adding a report already pending is a no-op. */
  async add(report: ProvisionReport): Promise<void> {
    if (this.pending.has(report.reportId)) return;
    this.pending.set(report.reportId, report);
    await this.append({ op: 'add', report });
  }

  /** Marks a report finished (acknowledged or refused for good). Repeating it is a no-op. */
  async done(reportId: string): Promise<void> {
    if (!this.pending.delete(reportId)) return;
    this.doneLines++;
    await this.append({ op: 'done', reportId });
  }

  /** Deletes the file when nothing is pending (a throw-away outbox of a test process). */
  async removeIfEmpty(): Promise<void> {
    await this.flush();
    if (this.pending.size === 0) await fs.rm(this.file, { force: true });
  }

  /** Waits for every write in progress. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private append(line: OutboxLine): Promise<void> {
    return new Promise((resolve, reject) => {
      this.buffer.push(`${JSON.stringify(line)}\n`);
      this.waiters.push({ resolve, reject });
      this.writing ??= this.writeLoop();
    });
  }

  /** Group commit: everything buffered is written with one fsync, then the next batch. */
  private async writeLoop(): Promise<void> {
    try {
      while (this.buffer.length) {
        const chunk = this.buffer.join('');
        const waiters = this.waiters;
        this.buffer = [];
        this.waiters = [];
        try {
          const handle = await fs.open(this.file, 'a', 0o600);
          try {
            await handle.appendFile(chunk, 'utf8');
            await handle.sync();
          } finally {
            await handle.close();
          }
          // Compacting here, between batches, means no append can land in the file being replaced.
          if (this.doneLines >= COMPACT_AFTER_DONE) await this.compact();
          waiters.forEach((w) => w.resolve());
        } catch (error) {
          waiters.forEach((w) => w.reject(error));
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  private async compact(): Promise<void> {
    const tmp = `${this.file}.tmp`;
    const handle = await fs.open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(this.list().map((report) => `${JSON.stringify({ op: 'add', report })}\n`).join(''), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, this.file);
    this.doneLines = 0;
  }
}
