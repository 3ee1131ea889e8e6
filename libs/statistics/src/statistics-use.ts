import { MIN_K } from './disclosure';
import type { StatisticsAggregate, StatisticsDimension, StatisticsTableSpec } from './result-check';

/**
 * A data use of kind `statistics` (issue #20): what a tenant asks to have counted, checked against
 * what the providing offer can be grouped by, and the table it makes for one period. Every
 * refusal is typed so that the dashboard can say which field is wrong.
 */

/** The age bands counted from a verified date of birth (coarse on purpose: five bands). */
export const AGE_BANDS = ['0-19', '20-39', '40-64', '65-74', '75+'] as const;

/** The dimensions a statistics use may group by (a histogram's bins come from `bins`). */
export type GroupingDimension = Exclude<StatisticsDimension, 'bin'>;

/** The most months one statistics use covers, and the largest k and ε it may set. */
export const MAX_PERIOD_MONTHS = 24;
export const MAX_K = 1_000;
export const MAX_EPSILON = 10;
const MAX_BINS = 20;

export interface StatisticsUseDefinition {
  /** The offer item aggregated, e.g. `misasa-health.daily-steps`. */
  item: string;
  aggregate: StatisticsAggregate;
  /** A histogram's bin edges, increasing: bins are [e₀, e₁), [e₁, e₂), …, [e_last, ∞). */
  bins?: number[];
  groupBy: GroupingDimension[];
  /** First and last month counted, `YYYY-MM`, Japan time. */
  period: { from: string; to: string };
  k: number;
  /** The privacy budget of the period; absent: no noise. */
  epsilon?: number;
}

/** What an offer item lets a statistics use do with it (declared with the offer). */
export interface OfferedStatistics {
  item: string;
  /** `number` items can be summed and averaged; others only counted. */
  numeric: boolean;
  /** The largest value one resident's monthly figure can take (needed for noise on sums). */
  maximum?: number;
  dimensions: GroupingDimension[];
}

export type StatisticsUseError =
  | { code: 'statistics_item_not_offered'; item: string }
  | { code: 'dimension_not_offered'; dimension: string }
  | { code: 'dimension_repeated'; dimension: string }
  | { code: 'too_many_dimensions'; count: number }
  | { code: 'aggregate_needs_number'; aggregate: StatisticsAggregate }
  | { code: 'bins_invalid'; detail: string }
  | { code: 'period_invalid'; detail: string }
  | { code: 'k_below_floor'; k: number }
  | { code: 'k_out_of_range'; k: number }
  | { code: 'epsilon_out_of_range'; epsilon: number }
  | { code: 'noise_needs_bound'; item: string };

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The months from `from` to `to` inclusive, or undefined when either is not a month or they run backwards. */
export function monthsOf(period: { from: string; to: string }): string[] | undefined {
  const a = MONTH.exec(period.from);
  const b = MONTH.exec(period.to);
  if (!a || !b) return undefined;
  const start = Number(a[1]) * 12 + Number(a[2]) - 1;
  const end = Number(b[1]) * 12 + Number(b[2]) - 1;
  if (end < start) return undefined;
  return Array.from({ length: end - start + 1 }, (_, i) => `${Math.floor((start + i) / 12)}-${String(((start + i) % 12) + 1).padStart(2, '0')}`);
}

/** The labels of a histogram's bins: `[a,b)` and the last `[a,)`. */
export function binLabels(edges: readonly number[]): string[] {
  return edges.map((e, i) => (i + 1 < edges.length ? `[${e},${edges[i + 1]})` : `[${e},)`));
}

/** Every reason `definition` cannot be written over `offered` (the offer's declared statistics); `[]` when it can. */
export function validateStatisticsUse(definition: StatisticsUseDefinition, offered: readonly OfferedStatistics[]): StatisticsUseError[] {
  const errors: StatisticsUseError[] = [];
  const offer = offered.find((o) => o.item === definition.item);
  if (!offer) return [{ code: 'statistics_item_not_offered', item: definition.item }];
  const seen = new Set<string>();
  for (const d of definition.groupBy) {
    if (seen.has(d)) errors.push({ code: 'dimension_repeated', dimension: d });
    seen.add(d);
    if (!offer.dimensions.includes(d)) errors.push({ code: 'dimension_not_offered', dimension: d });
  }
  if (definition.groupBy.length + (definition.aggregate === 'histogram' ? 1 : 0) > 3) errors.push({ code: 'too_many_dimensions', count: definition.groupBy.length });
  if (definition.aggregate !== 'count' && !offer.numeric) errors.push({ code: 'aggregate_needs_number', aggregate: definition.aggregate });
  if (definition.aggregate === 'histogram') {
    const bins = definition.bins ?? [];
    if (bins.length < 2 || bins.length > MAX_BINS) errors.push({ code: 'bins_invalid', detail: `between 2 and ${MAX_BINS} edges` });
    else if (bins.some((e, i) => !Number.isFinite(e) || (i > 0 && e <= bins[i - 1]))) errors.push({ code: 'bins_invalid', detail: 'edges must be finite and increasing' });
  } else if (definition.bins !== undefined) errors.push({ code: 'bins_invalid', detail: `only a histogram has bins, not a ${definition.aggregate}` });
  const months = monthsOf(definition.period);
  if (!months) errors.push({ code: 'period_invalid', detail: 'from and to are months (YYYY-MM), from first' });
  else if (months.length > MAX_PERIOD_MONTHS) errors.push({ code: 'period_invalid', detail: `at most ${MAX_PERIOD_MONTHS} months` });
  if (!Number.isSafeInteger(definition.k) || definition.k < MIN_K) errors.push({ code: 'k_below_floor', k: definition.k });
  else if (definition.k > MAX_K) errors.push({ code: 'k_out_of_range', k: definition.k });
  if (definition.epsilon !== undefined) {
    if (!(Number.isFinite(definition.epsilon) && definition.epsilon > 0 && definition.epsilon <= MAX_EPSILON)) errors.push({ code: 'epsilon_out_of_range', epsilon: definition.epsilon });
    else if ((definition.aggregate === 'sum' || definition.aggregate === 'mean') && offer.maximum === undefined) errors.push({ code: 'noise_needs_bound', item: definition.item });
  }
  return errors;
}

/**
 * The table of a valid definition: its grouping dimensions in the order written, a histogram's
 * bins last. `municipalities` are the codes counted (the prefecture's, or one tenant's).
 */
export function tableSpecOf(definition: StatisticsUseDefinition, municipalities: readonly string[]): StatisticsTableSpec {
  const values: Record<GroupingDimension, string[]> = {
    municipality: [...municipalities],
    age_band: [...AGE_BANDS],
    month: monthsOf(definition.period) ?? [],
  };
  const dimensions: StatisticsTableSpec['dimensions'] = definition.groupBy.map((name) => ({ name, values: values[name] }));
  if (definition.aggregate === 'histogram') dimensions.push({ name: 'bin', values: binLabels(definition.bins ?? []) });
  return { aggregate: definition.aggregate, dimensions, k: definition.k, ...(definition.epsilon !== undefined ? { epsilon: definition.epsilon } : {}) };
}
