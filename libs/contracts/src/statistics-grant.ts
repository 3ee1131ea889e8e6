import type { JSONSchemaType } from 'ajv';
import { STATISTICS_AGGREGATES, STATISTICS_GROUPING_DIMENSIONS, type StatisticsAggregateCode, type StatisticsGroupingDimension } from './catalog';

/**
 * A statistics grant (issue #20, docs/adr/2026-12-04-statistics-disclosure.md): the hub asks a
 * provider's connector to compute one table of a statistics data use over the residents who opted
 * in, named by their local IDs at the provider. Sealed like an exchange grant (signed by the hub,
 * encrypted to the provider, at most 60 s) but with a `typ` of its own, so that neither kind can
 * stand for the other: a statistics grant lets no row leave, an exchange grant computes nothing.
 */
export const STATISTICS_GRANT_JWT_TYPE = 'tsunagu-statistics-grant+jwt';
/** The most residents one statistics grant may name (a prefecture's population of app users, with room). */
export const MAX_STATISTICS_SUBJECTS = 200_000;
/** `POST` path of a provider connector that computes a statistics grant's table (called by the hub). */
export const PEER_STATISTICS_PATH = '/peer/v1/statistics';

export interface StatisticsGrantClaims {
  /** The hub (its public URL). */
  iss: string;
  /** The providing connector's ID. */
  aud: string;
  /** The statistics data use, e.g. `tottori-pref.ebpm-steps`. */
  data_use: string;
  /** The offer item aggregated. */
  item: string;
  aggregate: StatisticsAggregateCode;
  /** A histogram's bin edges, increasing. */
  bins?: number[];
  group_by: StatisticsGroupingDimension[];
  /** The months of this table, `YYYY-MM` (Japan time), first and last. */
  period: { from: string; to: string };
  /** Cells of fewer residents are hidden, with their complements. */
  k: number;
  /** The ε this table spends (discrete Laplace noise); absent: no noise. */
  epsilon?: number;
  /** The consenting residents' local IDs at the provider: whom to count, and nobody else. */
  subjects: string[];
  jti: string;
  iat: number;
  exp: number;
}

const code = { type: 'string', minLength: 1, maxLength: 128 } as const;
const month = { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' } as const;

/** JSON Schema of {@link StatisticsGrantClaims}; unknown claims are refused. */
export const statisticsGrantClaimsSchema: JSONSchemaType<StatisticsGrantClaims> = {
  $id: 'https://tsunagu.example/schemas/statistics-grant-claims.json',
  type: 'object',
  properties: {
    iss: { type: 'string', minLength: 1, maxLength: 500 },
    aud: code,
    data_use: code,
    item: code,
    aggregate: { type: 'string', enum: [...STATISTICS_AGGREGATES] },
    bins: { type: 'array', minItems: 1, maxItems: 20, items: { type: 'number' }, nullable: true },
    group_by: { type: 'array', maxItems: 3, uniqueItems: true, items: { type: 'string', enum: [...STATISTICS_GROUPING_DIMENSIONS] } },
    period: { type: 'object', properties: { from: month, to: month }, required: ['from', 'to'], additionalProperties: false },
    k: { type: 'integer', minimum: 10, maximum: 1000 },
    epsilon: { type: 'number', exclusiveMinimum: 0, maximum: 10, nullable: true },
    subjects: { type: 'array', maxItems: MAX_STATISTICS_SUBJECTS, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 128 } },
    jti: { type: 'string', minLength: 8, maxLength: 128 },
    iat: { type: 'integer' },
    exp: { type: 'integer' },
  },
  required: ['iss', 'aud', 'data_use', 'item', 'aggregate', 'group_by', 'period', 'k', 'subjects', 'jti', 'iat', 'exp'],
  additionalProperties: false,
};
