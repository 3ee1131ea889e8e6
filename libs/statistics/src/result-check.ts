import Ajv from 'ajv';
import { STATISTICS_AGGREGATES, STATISTICS_GROUPING_DIMENSIONS, type StatisticsAggregateCode } from '@tsunagu/contracts';
import { checkDisclosure, type DisclosureViolation, gridKeys, keyId, MIN_K, type ReturnedEntry } from './disclosure';

/**
 * What a statistics grant asks a provider for, and the hub's check of the answer (issue #20):
 * the answer must be exactly the grid the grant names — no more cells, no other keys, no field
 * that could carry an identifier — and pass the disclosure check ({@link checkDisclosure}).
 */

/** The coarse dimensions a statistics data use may group by; `bin` is a histogram's fixed bins. */
export const STATISTICS_DIMENSIONS = [...STATISTICS_GROUPING_DIMENSIONS, 'bin'] as const;
export type StatisticsDimension = (typeof STATISTICS_DIMENSIONS)[number];
/** The aggregates (the list is the contracts' own, shared with the forms and the portal's API). */
export { STATISTICS_AGGREGATES };
export type StatisticsAggregate = StatisticsAggregateCode;

/** At most this many entries (cells and totals) in one table: a table is a summary, not a list. */
export const MAX_TABLE_ENTRIES = 10_000;

export interface StatisticsTableSpec {
  aggregate: StatisticsAggregate;
  dimensions: { name: StatisticsDimension; values: string[] }[];
  k: number;
  /** When set, the provider adds discrete Laplace noise spending this much of the budget. */
  epsilon?: number;
}

/** One entry of an answer: counts and value of a cell or a total, both `null` when suppressed. */
export interface StatisticsEntry {
  key: string[];
  contributors: number | null;
  /** The aggregate's value (a sum or a mean); absent for counts and histograms. */
  value?: number | null;
}

export interface StatisticsAnswer {
  entries: StatisticsEntry[];
}

// Not typed as JSONSchemaType: it cannot express a required property that may be null (`contributors`).
const answerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['entries'],
  properties: {
    entries: {
      type: 'array',
      maxItems: MAX_TABLE_ENTRIES,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'contributors'],
        properties: {
          key: { type: 'array', maxItems: 4, items: { type: 'string', maxLength: 64 } },
          contributors: { type: 'integer', minimum: -1_000_000_000, maximum: 1_000_000_000, nullable: true },
          value: { type: 'number', nullable: true },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: true });
const validateAnswer = ajv.compile<StatisticsAnswer>(answerSchema);

export type StatisticsViolation =
  | DisclosureViolation
  | { code: 'answer_malformed'; detail: string }
  | { code: 'shape_mismatch'; detail: string }
  | { code: 'value_on_suppressed'; key: readonly string[] }
  | { code: 'value_missing'; key: readonly string[] }
  | { code: 'k_below_floor'; k: number };

/** The entries a spec's grid has, in order (what the answer must list). */
export function expectedKeys(spec: StatisticsTableSpec): string[][] {
  return gridKeys(spec.dimensions.map((d) => d.values));
}

/**
 * Everything wrong with a provider's answer to `spec`, or `[]`. Structural faults stop the check
 * (the disclosure rules mean nothing on a table of the wrong shape).
 */
export function checkStatisticsAnswer(spec: StatisticsTableSpec, answer: unknown): StatisticsViolation[] {
  if (!Number.isSafeInteger(spec.k) || spec.k < MIN_K) return [{ code: 'k_below_floor', k: spec.k }];
  if (!validateAnswer(answer)) {
    const e = validateAnswer.errors?.[0];
    return [{ code: 'answer_malformed', detail: `${e?.instancePath || '/'} ${e?.message ?? 'is invalid'}` }];
  }
  const keys = expectedKeys(spec);
  if (answer.entries.length !== keys.length) return [{ code: 'shape_mismatch', detail: `${answer.entries.length} entries where the grant's grid has ${keys.length}` }];
  for (let i = 0; i < keys.length; i++) {
    if (keyId(answer.entries[i].key) !== keyId(keys[i]) || answer.entries[i].key.length !== keys[i].length) {
      return [{ code: 'shape_mismatch', detail: `entry ${i} is ${JSON.stringify(answer.entries[i].key)}, expected ${JSON.stringify(keys[i])}` }];
    }
  }
  const violations: StatisticsViolation[] = [];
  const valued = spec.aggregate === 'sum' || spec.aggregate === 'mean';
  for (const e of answer.entries) {
    if (e.contributors === null && e.value !== undefined && e.value !== null) violations.push({ code: 'value_on_suppressed', key: e.key });
    if (valued && e.contributors !== null && e.contributors > 0 && (e.value === undefined || e.value === null)) violations.push({ code: 'value_missing', key: e.key });
    if (!valued && e.value !== undefined && e.value !== null) violations.push({ code: 'answer_malformed', detail: `a ${spec.aggregate} carries no values (entry ${JSON.stringify(e.key)})` });
  }
  const noisy = spec.epsilon !== undefined;
  if (!noisy) {
    for (const e of answer.entries) {
      if (e.contributors !== null && e.contributors < 0) violations.push({ code: 'answer_malformed', detail: `entry ${JSON.stringify(e.key)} counts fewer than nobody` });
    }
  }
  const returned: ReturnedEntry[] = answer.entries.map((e) => ({ key: e.key, contributors: e.contributors }));
  violations.push(...checkDisclosure(spec.dimensions.map((d) => d.values), returned, spec.k, noisy));
  return violations;
}
