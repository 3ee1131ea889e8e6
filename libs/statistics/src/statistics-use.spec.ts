import { computeAnswer } from './compute';
import { checkStatisticsAnswer } from './result-check';
import { binLabels, monthsOf, type OfferedStatistics, type StatisticsUseDefinition, tableSpecOf, validateStatisticsUse } from './statistics-use';

const steps: OfferedStatistics = { item: 'misasa-health.daily-steps', numeric: true, maximum: 60_000, dimensions: ['municipality', 'age_band', 'month'] };
const visits: OfferedStatistics = { item: 'misasa-health.onsen-visits', numeric: false, dimensions: ['municipality', 'month'] };
const perMonth: StatisticsUseDefinition = {
  item: 'misasa-health.daily-steps', aggregate: 'mean', groupBy: ['municipality', 'month'], period: { from: '2026-04', to: '2027-03' }, k: 10,
};

describe('statistics data uses', () => {
  it('accepts steps per municipality and month over a fiscal year, and makes its table', () => {
    expect(validateStatisticsUse(perMonth, [steps, visits])).toEqual([]);
    const spec = tableSpecOf(perMonth, ['tottori', 'misasa']);
    expect(spec.dimensions.map((d) => [d.name, d.values.length])).toEqual([['municipality', 2], ['month', 12]]);
    expect(spec.dimensions[1].values.slice(8, 11)).toEqual(['2026-12', '2027-01', '2027-02']);
    expect(spec).not.toHaveProperty('epsilon');
  });

  it('refuses a dimension the offer does not give, a repeated one, and too many', () => {
    expect(validateStatisticsUse({ ...perMonth, item: visits.item, aggregate: 'count', groupBy: ['age_band'] }, [visits])).toEqual([{ code: 'dimension_not_offered', dimension: 'age_band' }]);
    expect(validateStatisticsUse({ ...perMonth, groupBy: ['month', 'month'] }, [steps])).toEqual([{ code: 'dimension_repeated', dimension: 'month' }]);
    expect(validateStatisticsUse({ ...perMonth, aggregate: 'histogram', bins: [0, 5000], groupBy: ['municipality', 'age_band', 'month'] }, [steps]))
      .toMatchObject([{ code: 'too_many_dimensions' }]);
  });

  it('refuses an item not offered, a sum of what is not a number, and bad bins', () => {
    expect(validateStatisticsUse({ ...perMonth, item: 'cashless.points-balance' }, [steps])).toEqual([{ code: 'statistics_item_not_offered', item: 'cashless.points-balance' }]);
    expect(validateStatisticsUse({ ...perMonth, item: visits.item, aggregate: 'sum' }, [visits])).toEqual([{ code: 'aggregate_needs_number', aggregate: 'sum' }]);
    for (const bins of [[], [1000], [0, 5000, 5000], [0, Number.NaN]]) {
      expect(validateStatisticsUse({ ...perMonth, aggregate: 'histogram', bins }, [steps])).toMatchObject([{ code: 'bins_invalid' }]);
    }
    expect(validateStatisticsUse({ ...perMonth, bins: [0, 1] }, [steps])).toMatchObject([{ code: 'bins_invalid' }]);
  });

  it('refuses k under the floor or absurdly high, epsilon out of range, and noise on sums of an unbounded item', () => {
    expect(validateStatisticsUse({ ...perMonth, k: 9 }, [steps])).toEqual([{ code: 'k_below_floor', k: 9 }]);
    expect(validateStatisticsUse({ ...perMonth, k: 12.5 }, [steps])).toEqual([{ code: 'k_below_floor', k: 12.5 }]);
    expect(validateStatisticsUse({ ...perMonth, k: 5000 }, [steps])).toEqual([{ code: 'k_out_of_range', k: 5000 }]);
    for (const epsilon of [0, -1, 11, Number.POSITIVE_INFINITY]) expect(validateStatisticsUse({ ...perMonth, epsilon }, [steps])).toEqual([{ code: 'epsilon_out_of_range', epsilon }]);
    expect(validateStatisticsUse({ ...perMonth, epsilon: 1 }, [{ ...steps, maximum: undefined }])).toEqual([{ code: 'noise_needs_bound', item: steps.item }]);
  });

  it('refuses a period that is not months, runs backwards or is longer than two years', () => {
    for (const period of [{ from: '2026-13', to: '2027-01' }, { from: '2026-4', to: '2026-05' }, { from: '2027-01', to: '2026-12' }, { from: '2024-01', to: '2026-01' }]) {
      expect(validateStatisticsUse({ ...perMonth, period }, [steps])).toMatchObject([{ code: 'period_invalid' }]);
    }
    expect(monthsOf({ from: '2026-11', to: '2027-02' })).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
  });

  it('makes a histogram\'s bins the last dimension, which the provider fills and the hub accepts', () => {
    const histogram: StatisticsUseDefinition = { ...perMonth, aggregate: 'histogram', bins: [0, 4000, 8000], groupBy: ['municipality'], period: { from: '2026-11', to: '2026-11' } };
    expect(validateStatisticsUse(histogram, [steps])).toEqual([]);
    const spec = tableSpecOf(histogram, ['tottori', 'misasa']);
    expect(spec.dimensions.at(-1)).toEqual({ name: 'bin', values: binLabels([0, 4000, 8000]) });
    expect(binLabels([0, 4000, 8000])).toEqual(['[0,4000)', '[4000,8000)', '[8000,)']);
    const residents = Array.from({ length: 60 }, (_, i) => [{ key: [i % 3 ? 'tottori' : 'misasa', spec.dimensions[1].values[i % 3]] }]);
    expect(checkStatisticsAnswer(spec, computeAnswer(spec, residents))).toEqual([]);
  });
});
