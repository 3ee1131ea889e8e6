import { computeAnswer } from './compute';
import { monthlyContributions, type MonthlyRow } from './monthly-figures';
import type { StatisticsTableSpec } from './result-check';

const spec = (aggregate: StatisticsTableSpec['aggregate'], bins?: string[]): StatisticsTableSpec => ({
  aggregate, k: 10,
  dimensions: [{ name: 'municipality', values: ['31364', '31203'] }, { name: 'month', values: ['2026-10', '2026-11'] }, ...(bins ? [{ name: 'bin' as const, values: bins }] : [])],
});
const subjects = new Set(['MH-1', 'MH-2']);

describe(monthlyContributions.name, () => {
  const rows: MonthlyRow[] = [
    { localId: 'MH-1', month: '2026-11', value: 4000, municipality: '31364' },
    { localId: 'MH-1', month: '2026-11', value: 6000, municipality: '31364' },
    { localId: 'MH-1', month: '2026-10', value: 3000, municipality: '31364' },
    { localId: 'MH-2', month: '2026-11', value: 9000, municipality: '31203' },
    { localId: 'MH-9', month: '2026-11', value: 1, municipality: '31203' },
    { localId: 'MH-2', month: '2026-09', value: 1, municipality: '31203' },
  ];

  it('makes one figure per resident and month: the mean of its readings, their total for sums, presence for counts', () => {
    const mean = monthlyContributions({ aggregate: 'mean' }, spec('mean'), rows, subjects);
    expect(mean.residents).toEqual([
      [{ key: ['31364', '2026-11'], value: 5000 }, { key: ['31364', '2026-10'], value: 3000 }],
      [{ key: ['31203', '2026-11'], value: 9000 }],
    ]);
    // Someone the grant does not name, and a month outside the period, change nothing.
    expect(mean.ignored).toEqual({ notInGrant: 1, outsidePeriod: 1 });
    expect(monthlyContributions({ aggregate: 'sum' }, spec('sum'), rows, subjects).residents[0][0]).toEqual({ key: ['31364', '2026-11'], value: 10000 });
    expect(monthlyContributions({ aggregate: 'count' }, spec('count'), rows, subjects).residents[1]).toEqual([{ key: ['31203', '2026-11'] }]);
  });

  it('puts a histogram\'s figure into its bin', () => {
    const bins = ['[0,5000)', '[5000,8000)', '[8000,)'];
    const { residents } = monthlyContributions({ aggregate: 'histogram', bins: [0, 5000, 8000] }, spec('histogram', bins), rows, subjects);
    expect(residents.flat().map((c) => c.key)).toEqual([['31364', '2026-11', '[5000,8000)'], ['31364', '2026-10', '[0,5000)'], ['31203', '2026-11', '[8000,)']]);
  });

  it('refuses a row without a group the table needs or without a value, instead of leaving the resident out', () => {
    expect(() => monthlyContributions({ aggregate: 'mean' }, spec('mean'), [{ localId: 'MH-1', month: '2026-11', value: 1 }], subjects)).toThrow('a row without municipality');
    expect(() => monthlyContributions({ aggregate: 'mean' }, spec('mean'), [{ localId: 'MH-1', month: '2026-11', municipality: '31364' }], subjects)).toThrow('finite value');
  });

  it('feeds computeAnswer: with two residents every cell stays hidden', () => {
    const { residents } = monthlyContributions({ aggregate: 'mean' }, spec('mean'), rows, subjects);
    const answer = computeAnswer(spec('mean'), residents);
    expect(answer.entries.every((e) => e.contributors === null || e.contributors === 0)).toBe(true);
  });
});
