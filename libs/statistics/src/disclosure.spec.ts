import { checkDisclosure, gridEntries, gridKeys, gridLines, keyId, type ReturnedEntry, suppress, TOTAL } from './disclosure';

const MUNICIPALITIES = ['tottori', 'yonago', 'kurayoshi', 'misasa'];
const MONTHS = ['2026-09', '2026-10', '2026-11'];

/** A deterministic source of small counts. */
function counts(seed: number, dims: string[][], pick: (r: number) => number): Map<string, number> {
  let s = seed;
  const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const m = new Map<string, number>();
  for (const key of gridKeys(dims)) if (!key.includes(TOTAL)) m.set(keyId(key), pick(r()));
  return m;
}

/** What a provider returns: the counts, with the suppressed entries hidden. */
function returned(dims: string[][], cells: Map<string, number>, k: number): ReturnedEntry[] {
  const entries = gridEntries(dims, cells);
  const hidden = new Set(suppress(dims, entries, k).map((s) => s.index));
  return entries.map((e, i) => ({ key: e.key, contributors: hidden.has(i) ? null : e.contributors }));
}

describe('disclosure control', () => {
  it('sums the totals of every line', () => {
    const dims = [MUNICIPALITIES, MONTHS];
    const entries = gridEntries(dims, counts(1, dims, (r) => Math.floor(r * 40)));
    for (const line of gridLines(dims)) {
      const inner = line.slice(0, -1).reduce((sum, i) => sum + entries[i].contributors, 0);
      expect(entries[line.at(-1)!].contributors).toBe(inner);
    }
    // Along the municipality: one line per month and the months' total (3 + 1); along the month: 4 + 1.
    expect(gridLines(dims)).toHaveLength((3 + 1) + (4 + 1));
  });

  it('hides a small bin of a histogram and the next smallest with it, so that the total does not give it away', () => {
    const dims = [['0-2k', '2k-5k', '5k-8k', '8k+']];
    const entries = gridEntries(dims, new Map([['0-2k', 3], ['2k-5k', 20], ['5k-8k', 15], ['8k+', 12]]));
    expect(suppress(dims, entries, 10)).toEqual([{ index: 0, reason: 'primary' }, { index: 3, reason: 'complementary' }]);
  });

  it('publishes zeros (they describe nobody) and everything when no cell is under k', () => {
    const dims = [MUNICIPALITIES];
    expect(suppress(dims, gridEntries(dims, new Map([['tottori', 0], ['yonago', 10], ['kurayoshi', 25], ['misasa', 11]])), 10)).toEqual([]);
  });

  it('hides everything of a table that counts fewer than k in all', () => {
    const dims = [MUNICIPALITIES, MONTHS];
    const entries = gridEntries(dims, new Map([[keyId(['misasa', '2026-10']), 4], [keyId(['yonago', '2026-11']), 3]]));
    const hidden = suppress(dims, entries, 10);
    const shown = entries.filter((_, i) => !hidden.some((h) => h.index === i));
    expect(shown.every((e) => e.contributors === 0)).toBe(true);
  });

  it('leaves no line of a municipality × month table from which a hidden count can be subtracted out, over many random tables', () => {
    const dims = [MUNICIPALITIES, MONTHS];
    let suppressedSomewhere = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const k = 10 + (seed % 3) * 5;
      const cells = counts(seed, dims, (r) => (r < 0.1 ? 0 : Math.floor(r * r * 60)));
      const table = returned(dims, cells, k);
      const entries = gridEntries(dims, cells);
      if (table.some((e) => e.contributors === null)) suppressedSomewhere++;
      expect(checkDisclosure(dims, table, k)).toEqual([]);
      // The attacker's subtraction along each line: a line with a published total and one hidden entry would give it exactly.
      for (const line of gridLines(dims)) {
        const hidden = line.filter((i) => table[i].contributors === null);
        if (hidden.length && hidden.length < line.length) {
          expect(hidden.length).toBeGreaterThanOrEqual(2);
          expect(hidden.reduce((sum, i) => sum + entries[i].contributors, 0)).toBeGreaterThanOrEqual(k);
        }
      }
      // Every published non-zero entry counts at least k.
      for (const e of table) if (e.contributors) expect(e.contributors).toBeGreaterThanOrEqual(k);
    }
    expect(suppressedSomewhere).toBeGreaterThan(200);
  });

  it('works for three dimensions (municipality × age band × month)', () => {
    const dims = [MUNICIPALITIES, ['20-39', '40-64', '65+'], MONTHS];
    for (let seed = 1; seed <= 50; seed++) {
      const cells = counts(seed, dims, (r) => Math.floor(r * r * 40));
      expect(checkDisclosure(dims, returned(dims, cells, 10), 10)).toEqual([]);
    }
  });

  it('refuses k under the floor and a grid of the wrong size', () => {
    const dims = [MUNICIPALITIES];
    const entries = gridEntries(dims, new Map());
    expect(() => suppress(dims, entries, 9)).toThrow(RangeError);
    expect(() => suppress(dims, entries, 10.5)).toThrow(RangeError);
    expect(() => suppress(dims, entries.slice(1), 10)).toThrow(RangeError);
    expect(() => gridEntries(dims, new Map([['tottori', -1]]))).toThrow(RangeError);
  });

  describe('the hub\'s check of a returned table', () => {
    const dims = [MUNICIPALITIES];
    const table = (values: (number | null)[]): ReturnedEntry[] => gridKeys(dims).map((key, i) => ({ key, contributors: values[i] }));

    it('accepts a table suppressed as the provider must', () => {
      expect(checkDisclosure(dims, table([null, 20, null, 30, 65]), 10)).toEqual([]);
    });

    it('finds a published count under k', () => {
      expect(checkDisclosure(dims, table([4, 20, 11, 30, 65]), 10)).toEqual([{ code: 'cell_under_k', key: ['tottori'], contributors: 4 }]);
    });

    it('finds a single suppression the total gives away', () => {
      expect(checkDisclosure(dims, table([null, 20, 11, 30, 65]), 10)).toMatchObject([{ code: 'suppression_recoverable' }]);
    });

    it('finds two suppressions whose sum, known from the total, is under k', () => {
      expect(checkDisclosure(dims, table([null, 20, null, 30, 57]), 10)).toMatchObject([{ code: 'suppression_recoverable', line: [['tottori'], ['yonago'], ['kurayoshi'], ['misasa'], [TOTAL]] }]);
    });

    it('with noise, checks the pattern only', () => {
      expect(checkDisclosure(dims, table([null, 20, null, 30, 57]), 10, true)).toEqual([]);
      expect(checkDisclosure(dims, table([null, 20, 11, 30, 65]), 10, true)).toMatchObject([{ code: 'suppression_recoverable' }]);
    });
  });
});
