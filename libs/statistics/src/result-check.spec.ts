import { gridEntries, suppress } from './disclosure';
import { checkStatisticsAnswer, expectedKeys, MAX_TABLE_ENTRIES, type StatisticsAnswer, type StatisticsTableSpec } from './result-check';

const spec: StatisticsTableSpec = {
  aggregate: 'sum',
  dimensions: [{ name: 'municipality', values: ['tottori', 'misasa'] }, { name: 'month', values: ['2026-10', '2026-11'] }],
  k: 10,
};

/** The answer a provider that follows the rules gives for these cells (steps summed, 1,000 per resident). */
function answerFor(cells: [string, string, number][], s = spec): StatisticsAnswer {
  const dims = s.dimensions.map((d) => d.values);
  const entries = gridEntries(dims, new Map(cells.map(([m, mo, n]) => [`${m}\u001f${mo}`, n])));
  const hidden = new Set(suppress(dims, entries, s.k).map((x) => x.index));
  return {
    entries: entries.map((e, i) => (hidden.has(i)
      ? { key: [...e.key], contributors: null, value: null }
      : { key: [...e.key], contributors: e.contributors, value: e.contributors * 1000 })),
  };
}

describe(checkStatisticsAnswer.name, () => {
  const good = answerFor([['tottori', '2026-10', 40], ['tottori', '2026-11', 3], ['misasa', '2026-10', 25], ['misasa', '2026-11', 30]]);

  it('accepts an answer of the grant\'s grid, suppressed as the rules want', () => {
    expect(good.entries.some((e) => e.contributors === null)).toBe(true);
    expect(checkStatisticsAnswer(spec, good)).toEqual([]);
  });

  it('refuses a field that could carry an identifier, anywhere', () => {
    expect(checkStatisticsAnswer(spec, { ...good, residents: ['C-1'] })).toMatchObject([{ code: 'answer_malformed' }]);
    const withId = structuredClone(good) as unknown as { entries: Record<string, unknown>[] };
    withId.entries[0].localIds = ['C-1', 'C-2'];
    expect(checkStatisticsAnswer(spec, withId)).toMatchObject([{ code: 'answer_malformed' }]);
  });

  it('refuses more cells than the grant allows, other keys, and another order', () => {
    const extra = structuredClone(good);
    extra.entries.push({ key: ['kurayoshi', '2026-10'], contributors: 12, value: 12_000 });
    expect(checkStatisticsAnswer(spec, extra)).toMatchObject([{ code: 'shape_mismatch' }]);
    const renamed = structuredClone(good);
    renamed.entries[0].key = ['C-000123', '2026-10'];
    expect(checkStatisticsAnswer(spec, renamed)).toMatchObject([{ code: 'shape_mismatch' }]);
    const swapped = structuredClone(good);
    [swapped.entries[0], swapped.entries[1]] = [swapped.entries[1], swapped.entries[0]];
    expect(checkStatisticsAnswer(spec, swapped)).toMatchObject([{ code: 'shape_mismatch' }]);
    expect(checkStatisticsAnswer(spec, { entries: Array.from({ length: MAX_TABLE_ENTRIES + 1 }, () => good.entries[0]) })).toMatchObject([{ code: 'answer_malformed' }]);
  });

  it('refuses a published cell under k and a suppression the totals give away', () => {
    const leaky = answerFor([['tottori', '2026-10', 40], ['tottori', '2026-11', 3], ['misasa', '2026-10', 25], ['misasa', '2026-11', 30]]);
    const i = expectedKeys(spec).findIndex((k) => k[0] === 'tottori' && k[1] === '2026-11');
    leaky.entries[i] = { key: leaky.entries[i].key, contributors: 3, value: 3000 };
    expect(checkStatisticsAnswer(spec, leaky).map((v) => v.code)).toContain('cell_under_k');
    // Only the small cell hidden: its row and column totals give it back.
    const single = answerFor([['tottori', '2026-10', 40], ['tottori', '2026-11', 3], ['misasa', '2026-10', 25], ['misasa', '2026-11', 30]]);
    single.entries = single.entries.map((e, j) => (j === i ? { key: e.key, contributors: null, value: null } : e.contributors === null ? { ...e, contributors: 99, value: 99_000 } : e));
    expect(checkStatisticsAnswer(spec, single).map((v) => v.code)).toContain('suppression_recoverable');
  });

  it('refuses a value on a suppressed entry, a missing value, values on a count, and k under the floor', () => {
    const carried = structuredClone(good);
    const hidden = carried.entries.find((e) => e.contributors === null)!;
    hidden.value = 3000;
    expect(checkStatisticsAnswer(spec, carried)).toMatchObject([{ code: 'value_on_suppressed' }]);
    const missing = structuredClone(good);
    delete missing.entries.find((e) => e.contributors)!.value;
    expect(checkStatisticsAnswer(spec, missing)).toMatchObject([{ code: 'value_missing' }]);
    expect(checkStatisticsAnswer({ ...spec, aggregate: 'count' }, good).map((v) => v.code)).toContain('answer_malformed');
    expect(checkStatisticsAnswer({ ...spec, k: 5 }, good)).toEqual([{ code: 'k_below_floor', k: 5 }]);
  });

  it('with noise, accepts counts that are not exact but still refuses a recoverable pattern', () => {
    const noisy = { ...spec, epsilon: 0.5 };
    const answer = structuredClone(good);
    for (const e of answer.entries) if (e.contributors !== null) e.contributors += 1;
    expect(checkStatisticsAnswer(noisy, answer)).toEqual([]);
  });

  it('refuses what is not an answer at all', () => {
    for (const bad of [null, 'x', [], { entries: 'x' }, { entries: [{ key: 'tottori', contributors: 1 }] }, { entries: [{ key: ['a'], contributors: 1.5 }] }]) {
      expect(checkStatisticsAnswer(spec, bad)).toMatchObject([{ code: 'answer_malformed' }]);
    }
  });
});
