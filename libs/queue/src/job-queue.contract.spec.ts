import { testRedis } from '@tsunagu/testing';
import { BullJobQueue } from './bull.job-queue';
import { InProcessJobQueue } from './in-process.job-queue';
import type { JobMeta, JobQueue, RetryPolicy } from './job-queue';

/** Jobs of the contract suite only; the real job names live in job-data.ts. */
interface TestJobs {
  echo: { n: number; text: string };
  tick: { n: number };
}

interface QueueTarget {
  /** A queue with storage of its own. */
  open(policy?: Partial<RetryPolicy>): JobQueue<TestJobs>;
  /** Two handles on one storage, as two replicas have. */
  openReplicas(): [JobQueue<TestJobs>, JobQueue<TestJobs>];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** The behaviour every JobQueue implementation must show (EDC's *TestBase pattern). */
function jobQueueContract(makeTarget: (track: (queue: JobQueue<TestJobs>) => JobQueue<TestJobs>) => QueueTarget): void {
  const opened: JobQueue<TestJobs>[] = [];
  const target = makeTarget((queue) => {
    opened.push(queue);
    return queue;
  });
  const closeAll = async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.close()));
  };
  afterEach(closeAll);
  afterAll(closeAll);

  it('runs an added job once with its data, attempt 1 and the id add() returned', async () => {
    const queue = target.open();
    const runs: Array<{ data: TestJobs['echo']; meta: JobMeta }> = [];
    await queue.process('echo', async (data, meta) => {
      runs.push({ data, meta });
    });

    const id = await queue.add('echo', { n: 1, text: 'こんにちは' });

    await waitFor(async () => (await queue.counts()).completed === 1);
    expect(runs).toEqual([{ data: { n: 1, text: 'こんにちは' }, meta: { attempt: 1, id } }]);
    expect(await queue.counts()).toEqual({ waiting: 0, active: 0, completed: 1, failed: 0, delayed: 0 });
  });

  it('retries a failing job with exponential backoff and succeeds on the third attempt', async () => {
    const queue = target.open();
    const tries: Array<{ attempt: number; at: number; data: TestJobs['echo'] }> = [];
    await queue.process('echo', async (data, { attempt }) => {
      tries.push({ attempt, at: Date.now(), data });
      if (attempt < 3) throw new Error(`transient failure ${attempt}`);
    });

    await queue.add('echo', { n: 2, text: 'retry' }, { attempts: 3, backoffMs: 100 });

    await waitFor(async () => (await queue.counts()).completed === 1);
    expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3]);
    expect(tries.every((t) => t.data.n === 2)).toBe(true);
    // (2^1 − 1) × 100 ms, then (2^2 − 1) × 100 ms
    expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(90);
    expect(tries[2].at - tries[1].at).toBeGreaterThanOrEqual(290);
    expect((await queue.counts()).failed).toBe(0);
  });

  it('marks a job failed after its attempts are used up and counts it as failed', async () => {
    const queue = target.open();
    let calls = 0;
    await queue.process('echo', async () => {
      calls++;
      throw new Error('permanent failure');
    });

    await queue.add('echo', { n: 3, text: 'fail' }, { attempts: 2, backoffMs: 50 });

    await waitFor(async () => (await queue.counts()).failed === 1);
    await sleep(200);
    expect(calls).toBe(2);
    expect(await queue.counts()).toEqual({ waiting: 0, active: 0, completed: 0, failed: 1, delayed: 0 });
  });

  it('uses the queue retry policy when a job sets none', async () => {
    const queue = target.open({ attempts: 2, backoffMs: 50 });
    const attempts: number[] = [];
    await queue.process('echo', async (_data, { attempt }) => {
      attempts.push(attempt);
      throw new Error('always');
    });

    await queue.add('echo', { n: 4, text: 'policy' });

    await waitFor(async () => (await queue.counts()).failed === 1);
    expect(attempts).toEqual([1, 2]);
  });

  it('runs a delayed job after its delay, not before', async () => {
    const queue = target.open();
    let ranAt: number | undefined;
    await queue.process('echo', async () => {
      ranAt = Date.now();
    });

    const addedAt = Date.now();
    await queue.add('echo', { n: 5, text: 'later' }, { delayMs: 400 });

    await sleep(200);
    expect(ranAt).toBeUndefined();
    expect((await queue.counts()).delayed).toBe(1);
    await waitFor(() => ranAt !== undefined);
    expect(ranAt! - addedAt).toBeGreaterThanOrEqual(390);
  });

  it('keeps jobs waiting until a processor is registered, then runs them', async () => {
    const queue = target.open();
    await queue.add('echo', { n: 6, text: 'a' });
    await queue.add('echo', { n: 7, text: 'b' });
    expect(await queue.counts()).toMatchObject({ waiting: 2, active: 0, completed: 0 });

    const seen: number[] = [];
    await queue.process('echo', async ({ n }) => {
      seen.push(n);
    });

    await waitFor(async () => (await queue.counts()).completed === 2);
    expect(seen.sort()).toEqual([6, 7]);
  });

  it('adds a job only once while a job with the same jobId is stored', async () => {
    const queue = target.open();

    const first = await queue.add('echo', { n: 8, text: 'once' }, { jobId: 'purge-2026-04-01' });
    const second = await queue.add('echo', { n: 9, text: 'twice' }, { jobId: 'purge-2026-04-01' });

    expect(second).toBe(first);
    expect((await queue.counts()).waiting).toBe(1);
  });

  it('runs the jobs of one name at most `concurrency` at a time', async () => {
    const queue = target.open();
    let active = 0;
    let peak = 0;
    await queue.process(
      'echo',
      async () => {
        active++;
        peak = Math.max(peak, active);
        await sleep(100);
        active--;
      },
      2,
    );

    for (let n = 0; n < 5; n++) await queue.add('echo', { n, text: 'c' });

    await waitFor(async () => (await queue.counts()).completed === 5);
    expect(peak).toBe(2);
  });

  it('runs a repeated job periodically with its data', async () => {
    const queue = target.open();
    const runs: number[] = [];
    await queue.process('tick', async ({ n }) => {
      runs.push(n);
    });

    await queue.repeat('tick', { n: 42 }, 200);

    await waitFor(() => runs.length >= 3, 3000);
    expect(runs.every((n) => n === 42)).toBe(true);
  });

  it('keeps one schedule when two replicas call repeat for the same job', async () => {
    const [a, b] = target.openReplicas();
    const ids: string[] = [];
    await a.process('tick', async (_data, { id }) => {
      ids.push(id);
    });

    await a.repeat('tick', { n: 1 }, 200);
    await b.repeat('tick', { n: 1 }, 200);
    await a.repeat('tick', { n: 1 }, 200);
    await sleep(1100);

    // One schedule gives 5 or 6 runs in 1.1 s; a doubled one about 11.
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(ids.length).toBeLessThanOrEqual(7);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('replaces the schedule when repeat is called with another interval', async () => {
    const queue = target.open();
    let runs = 0;
    await queue.process('tick', async () => {
      runs++;
    });

    await queue.repeat('tick', { n: 1 }, 100);
    await queue.repeat('tick', { n: 1 }, 400);
    await sleep(900);

    // Only the 400 ms schedule: 2 or 3 runs; with the 100 ms one still there about 10.
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(runs).toBeLessThanOrEqual(3);
  });

  it('waits for the active job on close and processes nothing afterwards', async () => {
    const queue = target.open();
    let started = 0;
    let finished = 0;
    await queue.process('echo', async () => {
      started++;
      await sleep(200);
      finished++;
    });
    await queue.add('echo', { n: 10, text: 'slow' });
    await queue.add('echo', { n: 11, text: 'after close' }, { delayMs: 300 });
    await waitFor(() => started === 1);

    await queue.close();

    expect(finished).toBe(1);
    await sleep(500);
    expect(started).toBe(1);
  });

  it('refuses new jobs after close', async () => {
    const queue = target.open();
    await queue.close();

    await expect(queue.add('echo', { n: 12, text: 'closed' })).rejects.toThrow(/closed/);
  });
}

describe(BullJobQueue.name, () => {
  jobQueueContract((track) => ({
    open: (policy) => {
      const { url, prefix } = testRedis();
      return track(new BullJobQueue<TestJobs>('contract', { ...policy, redisUrl: url, prefix }));
    },
    openReplicas: () => {
      const { url, prefix } = testRedis();
      return [
        track(new BullJobQueue<TestJobs>('contract', { redisUrl: url, prefix })),
        track(new BullJobQueue<TestJobs>('contract', { redisUrl: url, prefix })),
      ];
    },
  }));
});

describe(InProcessJobQueue.name, () => {
  jobQueueContract((track) => ({
    open: (policy) => track(new InProcessJobQueue<TestJobs>('contract', policy)),
    // In process there is only ever one replica: the second caller is the same instance.
    openReplicas: () => {
      const queue = track(new InProcessJobQueue<TestJobs>('contract'));
      return [queue, queue];
    },
  }));
});
