import { randomUUID } from 'node:crypto';
import { appendFileSync, promises as fsp, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'provisions-'));
    file = path.join(dir, 'data', 'c.provisions.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a report on disk until it is done, across a restart', async () => {
    const outbox = await ProvisionOutbox.open(file);
    const a = report();
    const b = report();
    await Promise.all([outbox.add(a), outbox.add(b)]);
    await outbox.done(a.reportId);

    const reopened = await ProvisionOutbox.open(file);
    expect(reopened.list()).toEqual([b]);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('skips a torn last line (a crash mid-write) and keeps the rest', async () => {
    const outbox = await ProvisionOutbox.open(file);
    const a = report();
    await outbox.add(a);
    appendFileSync(file, '{"op":"add","report":{"reportId":"x');
    expect((await ProvisionOutbox.open(file)).list()).toEqual([a]);
  });

  it('cuts a torn last line off, so that a report appended after the restart survives the next one', async () => {
    const outbox = await ProvisionOutbox.open(file);
    const a = report();
    await outbox.add(a);
    appendFileSync(file, '{"op":"add","report":{"reportId":"x');
    const reopened = await ProvisionOutbox.open(file);
    const b = report();
    await reopened.add(b);
    expect((await ProvisionOutbox.open(file)).list()).toEqual([a, b]);
  });

  it('writes reports arriving together with one fsync (group commit)', async () => {
    const outbox = await ProvisionOutbox.open(file);
    // One batch is one open, append, fsync and close of the file.
    const opens = jest.spyOn(fsp, 'open');
    try {
      const reports = Array.from({ length: 50 }, () => report());
      await Promise.all(reports.map((r) => outbox.add(r)));
      // The first write starts alone; the 49 that arrive while it is on its way share the next.
      expect(opens.mock.calls.filter(([f]) => f === file).length).toBeLessThanOrEqual(2);
    } finally {
      opens.mockRestore();
    }
    expect((await ProvisionOutbox.open(file)).size).toBe(50);
  });

  it('rejects a report it could not write, and neither lists nor keeps it', async () => {
    const outbox = await ProvisionOutbox.open(file);
    const kept = report();
    await outbox.add(kept);
    // The file replaced by a directory: every append fails (EISDIR), as a full or failing disk would.
    rmSync(file);
    mkdirSync(file);
    const lost = report();
    await expect(outbox.add(lost)).rejects.toThrow();
    expect(outbox.list()).toEqual([kept]);
    expect(outbox.size).toBe(1);
  });

  it('adding or finishing a report twice writes it once', async () => {
    const outbox = await ProvisionOutbox.open(file);
    const a = report();
    await outbox.add(a);
    await outbox.add(a);
    await outbox.done(a.reportId);
    await outbox.done(a.reportId);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
    expect((await ProvisionOutbox.open(file)).size).toBe(0);
  });

  it('retries with backoff while the hub is down, then delivers everything once', async () => {
    const outbox = await ProvisionOutbox.open(file);
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
    expect((await ProvisionOutbox.open(file)).size).toBe(0);
  });

  it('sends what a previous process left in the outbox after a restart', async () => {
    const first = await ProvisionOutbox.open(file);
    const down = new ProvisionQueue(first, async () => 'retry', { retryBaseMs: 1000 });
    const r = report();
    await down.enqueue(r);
    down.stop();

    const sent: ProvisionReport[] = [];
    const queue = new ProvisionQueue(await ProvisionOutbox.open(file), async (x) => {
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
    const outbox = await ProvisionOutbox.open(file);
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
    expect((await ProvisionOutbox.open(file)).size).toBe(0);
    expect(sent.sort()).toEqual([refused.reportId, ok.reportId].sort());
  });

  it('treats a sender that throws as a retry', async () => {
    const outbox = await ProvisionOutbox.open(file);
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
