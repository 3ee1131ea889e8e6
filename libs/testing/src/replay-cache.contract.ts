import { randomBytes } from 'node:crypto';
import type { ReplayCache } from '@tsunagu/common';

/** How {@link replayCacheContract} opens the implementation under test. */
export interface ReplayCacheFactory {
  /**
   * `replicas` handles on one fresh store, as the replicas of one deployment share it (an
   * in-process cache answers the same instance each time). Resolve once the handles are ready.
   */
  open(replicas: number): Promise<ReplayCache[]> | ReplayCache[];
  /** Frees what `open` took (connections); runs after each test. */
  close?(): Promise<void> | void;
}

/** The factory of an in-process cache: one fresh instance a test, which every "replica" shares. */
export function inProcessReplayCache(make: () => ReplayCache): ReplayCacheFactory {
  return {
    open(replicas) {
      const cache = make();
      return Array.from({ length: replicas }, () => cache);
    },
  };
}

/**
 * Implementations may keep an id for a minimum time (the hub's keep one at least a second, even
 * when `expiresAt` is nearer or past), so the expiry tests use windows longer than that.
 */
const SHORT_MS = 1_500;
const PAST_SHORT_MS = SHORT_MS + 400;
const LONG_MS = 60_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const inMs = (ms: number) => new Date(Date.now() + ms);

/**
 * The behaviour every {@link ReplayCache} must show (EDC's *TestBase pattern, CONVENTIONS.md §9
 * and §14): single use, under concurrency too, until expiry. Call it from a spec beside the
 * implementation: `replayCacheContract(MyReplayCache.name, { open: (n) => … })`, or
 * `inProcessReplayCache(() => new MyReplayCache())` for a cache without a shared store.
 */
export function replayCacheContract(name: string, factory: ReplayCacheFactory): void {
  describe(`${name} (ReplayCache contract)`, () => {
    let ids = 0;
    /** An id no other test (or earlier run on a shared store) used. */
    const freshId = (label = 'jti') => `${label}-${randomBytes(6).toString('hex')}-${++ids}`;
    const open = async (replicas = 1) => {
      const caches = await factory.open(replicas);
      expect(caches).toHaveLength(replicas);
      return caches;
    };
    afterEach(async () => {
      await factory.close?.();
    });

    it('accepts an id the first time and refuses every later use before it expires', async () => {
      const [cache] = await open();
      const id = freshId();

      expect(await cache.checkAndRemember(id, inMs(LONG_MS))).toBe(true);
      expect(await cache.checkAndRemember(id, inMs(LONG_MS))).toBe(false);
      expect(await cache.checkAndRemember(id, inMs(2 * LONG_MS))).toBe(false);
    });

    it('keeps ids apart, including ids that differ only in case or by a suffix', async () => {
      const [cache] = await open();
      const id = freshId('Grant');

      expect(await cache.checkAndRemember(id, inMs(LONG_MS))).toBe(true);
      for (const other of [id.toLowerCase(), `${id}:`, `${id}x`, id.slice(0, -1), `proof:${id}`]) {
        expect([other, await cache.checkAndRemember(other, inMs(LONG_MS))]).toEqual([other, true]);
      }
      expect(await cache.checkAndRemember(id, inMs(LONG_MS))).toBe(false);
    });

    it('lets exactly one of many concurrent calls for one id through', async () => {
      const [cache] = await open();
      const id = freshId();

      const answers = await Promise.all(Array.from({ length: 50 }, () => cache.checkAndRemember(id, inMs(LONG_MS))));

      expect(answers.filter(Boolean)).toHaveLength(1);
      expect(await cache.checkAndRemember(id, inMs(LONG_MS))).toBe(false);
    });

    it('lets exactly one call through when two replicas race for one id', async () => {
      const [a, b] = await open(2);
      for (let round = 0; round < 5; round++) {
        const id = freshId();
        const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).checkAndRemember(id, inMs(LONG_MS))));
        expect(answers.filter(Boolean)).toHaveLength(1);
        expect([await a.checkAndRemember(id, inMs(LONG_MS)), await b.checkAndRemember(id, inMs(LONG_MS))]).toEqual([false, false]);
      }
    });

    it('accepts each of many distinct ids sent at once exactly once', async () => {
      const [cache] = await open();
      const batch = Array.from({ length: 100 }, () => freshId());

      expect(await Promise.all(batch.map((id) => cache.checkAndRemember(id, inMs(LONG_MS))))).toEqual(batch.map(() => true));
      expect(await Promise.all(batch.map((id) => cache.checkAndRemember(id, inMs(LONG_MS))))).toEqual(batch.map(() => false));
    });

    it('forgets an id after its expiry, and only that id', async () => {
      const [cache] = await open();
      const short = freshId('short');
      const long = freshId('long');
      expect(await cache.checkAndRemember(short, inMs(SHORT_MS))).toBe(true);
      expect(await cache.checkAndRemember(long, inMs(LONG_MS))).toBe(true);

      await sleep(SHORT_MS / 3);
      expect(await cache.checkAndRemember(short, inMs(SHORT_MS))).toBe(false);

      await sleep(PAST_SHORT_MS - SHORT_MS / 3);
      expect(await cache.checkAndRemember(short, inMs(LONG_MS))).toBe(true);
      expect(await cache.checkAndRemember(short, inMs(LONG_MS))).toBe(false);
      expect(await cache.checkAndRemember(long, inMs(LONG_MS))).toBe(false);
    });

    it('lets exactly one of concurrent calls through again once an id has expired', async () => {
      const [a, b] = await open(2);
      const id = freshId();
      expect(await a.checkAndRemember(id, inMs(SHORT_MS))).toBe(true);

      await sleep(PAST_SHORT_MS);
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).checkAndRemember(id, inMs(LONG_MS))));

      expect(answers.filter(Boolean)).toHaveLength(1);
    });
  });
}
