import { randomBytes } from 'node:crypto';
import type { AttemptLimiter } from '@tsunagu/common';

/** The limits a test asks for (whole seconds: stores count in seconds). */
export interface AttemptLimits {
  /** Attempts allowed per window. */
  points: number;
  windowSeconds: number;
  /** The first block; each further one in the strike window doubles it. */
  blockSeconds: number;
}

/** How {@link attemptLimiterContract} opens the implementation under test. */
export interface AttemptLimiterFactory {
  /**
   * `replicas` handles on one fresh store with these limits, as the replicas of one deployment
   * share it (an in-process limiter answers the same instance each time).
   */
  open(limits: AttemptLimits, replicas: number): Promise<AttemptLimiter[]> | AttemptLimiter[];
  /** Frees what `open` took (connections); runs after each test. */
  close?(): Promise<void> | void;
}

/** The factory of an in-process limiter: one fresh instance a test, which every "replica" shares. */
export function inProcessAttemptLimiter(make: (limits: AttemptLimits) => AttemptLimiter): AttemptLimiterFactory {
  return {
    open(limits, replicas) {
      const limiter = make(limits);
      return Array.from({ length: replicas }, () => limiter);
    },
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const LONG = 60;

/**
 * The behaviour every {@link AttemptLimiter} must show: an allowance per window, a block that
 * grows each time a key goes over, a reset, expiry, and never more than the allowance under
 * concurrency (on one instance and across replicas). Call it beside the implementation:
 * `attemptLimiterContract(MyLimiter.name, { open: (limits, n) => … })`.
 */
export function attemptLimiterContract(name: string, factory: AttemptLimiterFactory): void {
  describe(`${name} (AttemptLimiter contract)`, () => {
    let keys = 0;
    /** A key no other test (or earlier run on a shared store) used. */
    const freshKey = (label = 'key') => `${label}-${randomBytes(6).toString('hex')}-${++keys}`;
    const open = async (limits: AttemptLimits, replicas = 1) => {
      const limiters = await factory.open(limits, replicas);
      expect(limiters).toHaveLength(replicas);
      return limiters;
    };
    afterEach(async () => {
      await factory.close?.();
    });

    it('allows the allowance, counting down, then refuses with the wait', async () => {
      const [limiter] = await open({ points: 3, windowSeconds: LONG, blockSeconds: 30 });
      const key = freshKey();
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await limiter.consume(key));
      expect(answers.map((a) => [a.allowed, a.remaining, a.retryAfterSeconds])).toEqual([
        [true, 2, 0], [true, 1, 0], [true, 0, 0], [false, 0, 30], [false, 0, 30],
      ]);
      expect(answers.map((a) => a.blockStarted)).toEqual([false, false, false, true, false]);
    });

    it('keeps keys apart, including keys that differ only in case or by a suffix', async () => {
      const [limiter] = await open({ points: 1, windowSeconds: LONG, blockSeconds: 30 });
      const key = freshKey('Login');
      expect((await limiter.consume(key)).allowed).toBe(true);
      expect((await limiter.consume(key)).allowed).toBe(false);
      for (const other of [key.toLowerCase(), `${key}:`, `${key}x`, key.slice(0, -1)]) {
        expect([other, (await limiter.consume(other)).allowed]).toEqual([other, true]);
      }
    });

    it('blocks a key that went over until the block ends, then doubles the next block', async () => {
      const [limiter] = await open({ points: 2, windowSeconds: LONG, blockSeconds: 1 });
      const key = freshKey();
      await limiter.consume(key);
      await limiter.consume(key);
      expect(await limiter.consume(key)).toMatchObject({ allowed: false, retryAfterSeconds: 1, blockStarted: true });

      await sleep(1_300);
      expect(await limiter.consume(key)).toMatchObject({ allowed: true, remaining: 1 });
      expect((await limiter.consume(key)).allowed).toBe(true);
      expect(await limiter.consume(key)).toMatchObject({ allowed: false, retryAfterSeconds: 2, blockStarted: true });

      await sleep(1_300);
      expect((await limiter.consume(key)).allowed).toBe(false);
      await sleep(1_000);
      expect((await limiter.consume(key)).allowed).toBe(true);
    });

    it('forgets a key on reset: its count and its past blocks', async () => {
      const [limiter] = await open({ points: 2, windowSeconds: LONG, blockSeconds: 30 });
      const key = freshKey();
      const other = freshKey();
      for (let i = 0; i < 3; i++) {
        await limiter.consume(key);
        await limiter.consume(other);
      }
      expect((await limiter.consume(key)).allowed).toBe(false);

      await limiter.reset(key);
      expect(await limiter.consume(key)).toMatchObject({ allowed: true, remaining: 1 });
      expect((await limiter.consume(key)).allowed).toBe(true);
      // Going over again blocks for the first block's length: the reset forgot the strike too.
      expect(await limiter.consume(key)).toMatchObject({ allowed: false, retryAfterSeconds: 30 });
      expect((await limiter.consume(other)).allowed).toBe(false);
      await limiter.reset(freshKey('never-seen'));
    });

    it('gives the allowance back when the window ends', async () => {
      const [limiter] = await open({ points: 2, windowSeconds: 1, blockSeconds: 30 });
      const key = freshKey();
      expect((await limiter.consume(key)).allowed).toBe(true);
      expect(await limiter.consume(key)).toMatchObject({ allowed: true, remaining: 0 });
      await sleep(1_300);
      expect(await limiter.consume(key)).toMatchObject({ allowed: true, remaining: 1 });
    });

    it('lets exactly the allowance through of 50 concurrent attempts for one key', async () => {
      const [limiter] = await open({ points: 5, windowSeconds: LONG, blockSeconds: 30 });
      const key = freshKey();
      const answers = await Promise.all(Array.from({ length: 50 }, () => limiter.consume(key)));
      expect(answers.filter((a) => a.allowed)).toHaveLength(5);
      expect(answers.filter((a) => a.blockStarted)).toHaveLength(1);
      for (const refused of answers.filter((a) => !a.allowed)) expect(refused.retryAfterSeconds).toBeGreaterThan(0);
      expect((await limiter.consume(key)).allowed).toBe(false);
    });

    it('lets exactly the allowance through when two replicas race for one key', async () => {
      const [a, b] = await open({ points: 7, windowSeconds: LONG, blockSeconds: 30 }, 2);
      for (let round = 0; round < 3; round++) {
        const key = freshKey();
        const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).consume(key)));
        expect(answers.filter((x) => x.allowed)).toHaveLength(7);
        expect([(await a.consume(key)).allowed, (await b.consume(key)).allowed]).toEqual([false, false]);
      }
    });
  });
}
