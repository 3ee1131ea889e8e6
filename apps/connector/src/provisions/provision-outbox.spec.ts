import { randomUUID } from 'node:crypto';
import { appendFileSync, promises as fsp, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProvisionReport } from '@tsunagu/contracts';
import { ProvisionOutbox } from './provision-outbox';
import { ProvisionQueue, type SendResult } from './provision-queue';

function report(grantId = randomUUID()): ProvisionReport {
  return {
    reportId: randomUUID(), grantId, side: 'consumer', peerConnectorId: randomUUID(), dataUse: 'cashless.health-points', items: ['misasa.steps'],
    purpose: 'points', outcome: 'provided', occurredAt: new Date().toISOString(),
  };
}

/** Waits until `check` holds (real timers: the queue's backoff is a few milliseconds here). */
async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe(`${ProvisionOutbox.name} and ${ProvisionQueue.name}`, () => {
  let dir: string;
  let file: string;

  /** Every outbox a test opened, closed after it (an outbox keeps its file open). */
  let opened: ProvisionOutbox[] = [];
  const open = async (f: string): Promise<ProvisionOutbox> => {
    const outbox = await ProvisionOutbox.open(f);
    opened.push(outbox);
    return outbox;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'provisions-'));
    file = path.join(dir, 'data', 'c.provisions.jsonl');
  });
  afterEach(async () => {
    await Promise.all(opened.map((o) => o.close()));
    opened = [];
    rmSync(dir, { recursive: true, force: true });
  });

  /** The prototype of the file handles the outbox writes through (to fail or count its appends). */
  async function fileHandlePrototype(): Promise<{ appendFile: (...args: unknown[]) => Promise<void> }> {
    const probe = await fsp.open(file, 'r');
    await probe.close();
    return Object.getPrototypeOf(probe);
  }

  it('keeps a report on disk until it is done, across a restart', async () => {
    const outbox = await open(file);
    const a = report();
    const b = report();
    await Promise.all([outbox.add(a), outbox.add(b)]);
    await outbox.done(a.reportId);

    const reopened = await open(file);
    expect(reopened.list()).toEqual([b]);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('skips a torn last line (a crash mid-write) and keeps the rest', async () => {
    const outbox = await open(file);
    const a = report();
    await outbox.add(a);
    appendFileSync(file, '{"op":"add","report":{"reportId":"x');
    expect((await open(file)).list()).toEqual([a]);
  });

  it('cuts a torn last line off, so that a report appended after the restart survives the next one', async () => {
    const outbox = await open(file);
    const a = report();
    await outbox.add(a);
    appendFileSync(file, '{"op":"add","report":{"reportId":"x');
    const reopened = await open(file);
    const b = report();
    await reopened.add(b);
    expect((await open(file)).list()).toEqual([a, b]);
  });

  it('writes reports arriving together with one synchronous write (group commit)', async () => {
    const outbox = await open(file);
    const appends = jest.spyOn(await fileHandlePrototype(), 'appendFile');
    try {
      const reports = Array.from({ length: 50 }, () => report());
      await Promise.all(reports.map((r) => outbox.add(r)));
      // The first write starts alone; the 49 that arrive while it is on its way share the next.
      expect(appends.mock.calls.length).toBeLessThanOrEqual(2);
      expect(outbox.batches).toBe(appends.mock.calls.length);
    } finally {
      appends.mockRestore();
    }
    expect((await open(file)).size).toBe(50);
  });

  it('rejects a report it could not write, neither lists nor keeps it, and keeps the next one whole after a torn write', async () => {
    const outbox = await open(file);
    const kept = report();
    await outbox.add(kept);
    // A full disk: half the batch reaches the file, then the write fails.
    const appends = jest.spyOn(await fileHandlePrototype(), 'appendFile').mockImplementationOnce(async (chunk: unknown) => {
      await fsp.appendFile(file, String(chunk).slice(0, 40));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    const lost = report();
    try {
      await expect(outbox.add(lost)).rejects.toThrow('ENOSPC');
    } finally {
      appends.mockRestore();
    }
    expect(outbox.list()).toEqual([kept]);
    expect(outbox.size).toBe(1);
    // The disk has room again: the next report is stored whole, not glued to the torn line.
    const next = report();
    await outbox.add(next);
    expect((await open(file)).list()).toEqual([kept, next]);
  });

  it('compacts after 1,000 finished reports and goes on appending to the new file', async () => {
    const outbox = await open(file);
    const reports = Array.from({ length: 1000 }, () => report());
    await Promise.all(reports.map((r) => outbox.add(r)));
    const pending = report();
    await outbox.add(pending);
    await Promise.all(reports.map((r) => outbox.done(r.reportId)));
    const after = report();
    await outbox.add(after);
    // The file holds the two pending reports (and perhaps a few lines written after the rewrite), not 2,000 lines.
    expect(readFileSync(file, 'utf8').trim().split('\n').length).toBeLessThan(10);
    expect((await open(file)).list()).toEqual([pending, after]);
  });

  it('adding or finishing a report twice writes it once', async () => {
    const outbox = await open(file);
    const a = report();
    await outbox.add(a);
    await outbox.add(a);
    await outbox.done(a.reportId);
    await outbox.done(a.reportId);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
    expect((await open(file)).size).toBe(0);
  });

  it('retries with backoff while the hub is down, then delivers everything once', async () => {
    const outbox = await open(file);
    let hubUp = false;
    const delivered: string[] = [];
    let attempts = 0;
    const queue = new ProvisionQueue(outbox, async (r): Promise<SendResult> => {
      attempts++;
      if (!hubUp) return 'retry';
      delivered.push(r.reportId);
      return 'acknowledged';
    }, { retryBaseMs: 5, retryMaxMs: 20 });
    queue.start();
    const reports = [report(), report(), report()];
    for (const r of reports) await queue.enqueue(r);
    await until(() => attempts >= 6);
    expect(delivered).toEqual([]);
    expect(queue.pending).toBe(3);

    hubUp = true;
    await until(() => queue.pending === 0);
    queue.stop();
    expect(delivered.sort()).toEqual(reports.map((r) => r.reportId).sort());
    await outbox.flush();
    expect((await open(file)).size).toBe(0);
  });

  it('sends what a previous process left in the outbox after a restart', async () => {
    const first = await open(file);
    const down = new ProvisionQueue(first, async () => 'retry', { retryBaseMs: 1000 });
    const r = report();
    await down.enqueue(r);
    down.stop();

    const sent: ProvisionReport[] = [];
    const queue = new ProvisionQueue(await open(file), async (x) => {
      sent.push(x);
      return 'acknowledged';
    }, { retryBaseMs: 5 });
    queue.start();
    await until(() => queue.pending === 0);
    queue.stop();
    await queue.drain();
    expect(sent).toEqual([r]);
  });

  it('drops a report the hub refuses for good, and does not resend an acknowledged one', async () => {
    const outbox = await open(file);
    const sent: string[] = [];
    const refused = report();
    const queue = new ProvisionQueue(outbox, async (x) => {
      sent.push(x.reportId);
      return x.reportId === refused.reportId ? 'refused' : 'acknowledged';
    }, { retryBaseMs: 5 });
    queue.start();
    const ok = report();
    await queue.enqueue(refused);
    await queue.enqueue(ok);
    await until(() => queue.pending === 0);
    await queue.drain();
    queue.stop();
    await outbox.flush();
    expect((await open(file)).size).toBe(0);
    expect(sent.sort()).toEqual([refused.reportId, ok.reportId].sort());
  });

  it('treats a sender that throws as a retry', async () => {
    const outbox = await open(file);
    let calls = 0;
    const queue = new ProvisionQueue(outbox, async () => {
      calls++;
      if (calls < 3) throw new Error('boom');
      return 'acknowledged';
    }, { retryBaseMs: 5 });
    queue.start();
    await queue.enqueue(report());
    await until(() => queue.pending === 0);
    queue.stop();
    await outbox.flush();
    expect(calls).toBe(3);
  });
});
