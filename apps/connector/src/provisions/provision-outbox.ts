import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ProvisionReport } from '@tsunagu/contracts';

/** One line of the outbox file. */
type OutboxLine = { op: 'add'; report: ProvisionReport } | { op: 'done'; reportId: string };

/** Compact the file once it holds this many finished lines. */
const COMPACT_AFTER_DONE = 1000;

/**
 * The outbox stays open for appending with O_DSYNC: a write returns once its bytes (and the file
 * size) are on the disk, so a batch costs one system call instead of open, write, fsync and
 * close — four trips to libuv's thread pool. Where O_DSYNC does not exist (Windows) each write is
 * followed by fdatasync.
 */
const DSYNC = constants.O_DSYNC as number | undefined;
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (DSYNC ?? 0);

/**
 * Where provision reports wait for the hub. The reporter and the queue need only this; the file
 * outbox below is the one a connector runs on (tests and the benchmark put others in its place).
 */
export interface ProvisionStore {
  /** The file behind the store, if any. */
  readonly file?: string;
  /** Stores a report; resolves once it survives a crash of the process (and of the machine, for the file). */
  add(report: ProvisionReport): Promise<void>;
  /** Marks a report finished (acknowledged or refused for good). */
  done(reportId: string): Promise<void>;
  /** Stored reports not yet finished, oldest first. */
  list(): ProvisionReport[];
  /** How many {@link list} returns. */
  readonly size: number;
  /** Waits for every write in progress. */
  flush(): Promise<void>;
  /** Removes what backs the store when nothing is pending (a throw-away store of a test process). */
  removeIfEmpty(): Promise<void>;
  /** Waits for every write in progress and releases what the store holds open (shutdown). */
  close(): Promise<void>;
}

/** A pending report, and whether its `add` line is on disk yet. */
interface Entry {
  report: ProvisionReport;
  stored: boolean;
  write: Promise<void>;
}

/** A line waiting for the next group commit, and whom to tell. */
interface Waiter {
  /** Called once the line is fsync'd, before anything else (compaction) looks at the entries. */
  onStored?: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The durable outbox of provision reports: a JSON-lines file, append-only, each write fsync'd
 * before the caller is told it is stored. `add` lines carry a report; `done` lines mark one
 * acknowledged by the hub (or refused for good). On start the file is replayed: every `add`
 * without a `done` is pending again, so reports survive a hub outage and a connector restart.
 * A torn last line (a crash mid-write) is cut off, so the next append starts on a line of its own.
 * Writes arriving together share one fsync (group commit: one `open, write, fsync, close` per
 * batch, however many reports are waiting). Once many reports are done the file is rewritten with
 * only the pending ones (temp file, fsync, rename).
 *
 * Only stored reports are listed (sent to the hub): a report whose write failed was never
 * recorded for its caller — the data it describes did not move — so it is forgotten.
 */
export class ProvisionOutbox implements ProvisionStore {
  private readonly pending = new Map<string, Entry>();
  private storedCount = 0;
  private doneLines = 0;
  private buffer: string[] = [];
  private waiters: Waiter[] = [];
  private writing: Promise<void> | undefined;
  private written = 0;
  private handle: fs.FileHandle | undefined;
  /** A write failed: the file may end in part of a line, which the next write must not extend. */
  private mayBeTorn = false;

  private constructor(readonly file: string) {}

  /** Batches written so far (each one fsync, however many lines it carried): what the benchmark divides by. */
  get batches(): number {
    return this.written;
  }

  /** Opens (creating the directory and file if needed) and replays the outbox. */
  static async open(file: string): Promise<ProvisionOutbox> {
    const outbox = new ProvisionOutbox(file);
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    let bytes = Buffer.alloc(0);
    try {
      bytes = await fs.readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // Created (empty) and its directory entry synced now, so that no fsync'd report can later
      // vanish with a file the machine never recorded.
      await (await fs.open(file, 'a', 0o600)).close();
      await syncDirectory(file);
    }
    // A crash mid-append leaves a last line without its newline: the report on it was never
    // acknowledged to its caller. Cut it off, else the next append would be glued to it and lost.
    const whole = bytes.lastIndexOf(0x0a) + 1;
    if (whole < bytes.length) await fs.truncate(file, whole);
    for (const raw of bytes.subarray(0, whole).toString('utf8').split('\n')) {
      if (!raw.trim()) continue;
      let line: OutboxLine;
      try {
        line = JSON.parse(raw) as OutboxLine;
      } catch {
        continue; // not a line this outbox wrote whole (a damaged file): skipped, the rest still counts
      }
      if (line.op === 'add' && line.report?.reportId) {
        if (!outbox.pending.has(line.report.reportId)) outbox.storedCount++;
        outbox.pending.set(line.report.reportId, { report: line.report, stored: true, write: Promise.resolve() });
      } else if (line.op === 'done') {
        if (outbox.pending.delete(line.reportId)) outbox.storedCount--;
        outbox.doneLines++;
      }
    }
    if (outbox.doneLines >= COMPACT_AFTER_DONE) await outbox.compact();
    return outbox;
  }

  /** Stored reports not yet acknowledged, oldest first. */
  list(): ProvisionReport[] {
    const reports: ProvisionReport[] = [];
    for (const entry of this.pending.values()) if (entry.stored) reports.push(entry.report);
    return reports;
  }

  get size(): number {
    return this.storedCount;
  }

  /**
   * Stores a report durably: resolves once its line is fsync'd, rejects if it could not be
   * written (the report is then forgotten). Adding a report already pending waits for the same write.
   */
  add(report: ProvisionReport): Promise<void> {
    const pending = this.pending.get(report.reportId);
    if (pending) return pending.write;
    const entry: Entry = { report, stored: false, write: Promise.resolve() };
    this.pending.set(report.reportId, entry);
    entry.write = this.append({ op: 'add', report }, () => {
      entry.stored = true;
      this.storedCount++;
    }).catch((error: unknown) => {
      if (this.pending.get(report.reportId) === entry) this.pending.delete(report.reportId);
      throw error;
    });
    return entry.write;
  }

  /** Marks a stored report finished (acknowledged or refused for good). Repeating it is a no-op. */
  async done(reportId: string): Promise<void> {
    const entry = this.pending.get(reportId);
    if (!entry?.stored) return;
    this.pending.delete(reportId);
    this.storedCount--;
    // Counted once written: compaction then drops lines that are in the file, not ones still buffered.
    await this.append({ op: 'done', reportId }, () => this.doneLines++);
  }

  /** Deletes the file when nothing is pending (a throw-away outbox of a test process). */
  async removeIfEmpty(): Promise<void> {
    await this.close();
    if (this.pending.size === 0) await fs.rm(this.file, { force: true });
  }

  /** Waits for every write in progress. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Waits for every write in progress and closes the file (a later write opens it again). */
  async close(): Promise<void> {
    await this.flush();
    await this.closeHandle();
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  /** Appends `chunk` and returns once it is on the disk. */
  private async appendDurably(chunk: string): Promise<void> {
    try {
      this.handle ??= await fs.open(this.file, APPEND_FLAGS, 0o600);
      // After a failed write the file may end mid-line: a newline first, so that line stays alone
      // (skipped when replayed) instead of swallowing the first line of this batch.
      await this.handle.appendFile(this.mayBeTorn ? `\n${chunk}` : chunk, 'utf8');
      if (DSYNC === undefined) await this.handle.datasync();
      this.mayBeTorn = false;
    } catch (error) {
      this.mayBeTorn = true;
      await this.closeHandle();
      throw error;
    }
  }

  private append(line: OutboxLine, onStored?: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.buffer.push(`${JSON.stringify(line)}\n`);
      this.waiters.push({ onStored, resolve, reject });
      this.writing ??= this.writeLoop();
    });
  }

  /** Group commit: everything buffered is written with one synchronous write, then the next batch. */
  private async writeLoop(): Promise<void> {
    try {
      while (this.buffer.length) {
        const chunk = this.buffer.join('');
        const waiters = this.waiters;
        this.buffer = [];
        this.waiters = [];
        try {
          await this.appendDurably(chunk);
          this.written++;
          waiters.forEach((w) => w.onStored?.());
          // Compacting here, between batches, means no append can land in the file being replaced;
          // it keeps what is stored, this batch included, and not the lines still buffered. A failed
          // compaction leaves the appended file as it was (correct, only longer): tried again later.
          if (this.doneLines >= COMPACT_AFTER_DONE) await this.compact().catch(() => undefined);
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
    // The open handle is the old file's: the next batch opens the new one.
    await this.closeHandle();
    await fs.rename(tmp, this.file);
    await syncDirectory(this.file);
    this.doneLines = 0;
  }
}

/** Makes a file's creation or renaming durable (its directory entry), not only its content. */
async function syncDirectory(file: string): Promise<void> {
  const dir = await fs.open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
