export {
  checkDisclosure, gridEntries, gridKeys, gridLines, keyId, MIN_K, suppress, TOTAL,
} from './disclosure';
export type { DisclosureViolation, ReturnedEntry, Suppression, SuppressionReason, TableEntry } from './disclosure';
export { addDiscreteLaplace, discreteLaplaceStdDev, PrivacyBudget, secureUniform } from './noise';
export type { UniformSource } from './noise';
export {
  checkStatisticsAnswer, expectedKeys, MAX_TABLE_ENTRIES, STATISTICS_AGGREGATES, STATISTICS_DIMENSIONS,
} from './result-check';
export type {
  StatisticsAggregate, StatisticsAnswer, StatisticsDimension, StatisticsEntry, StatisticsTableSpec, StatisticsViolation,
} from './result-check';
export { cellsPerResident, computeAnswer, countSensitivity } from './compute';
export type { ComputeOptions, Contribution } from './compute';
export {
  AGE_BANDS, binLabels, MAX_EPSILON, MAX_K, MAX_PERIOD_MONTHS, monthsOf, tableSpecOf, validateStatisticsUse,
} from './statistics-use';
export type { GroupingDimension, OfferedStatistics, StatisticsUseDefinition, StatisticsUseError } from './statistics-use';
export { monthlyContributions } from './monthly-figures';
export type { IgnoredRows, MonthlyRow } from './monthly-figures';
export { TOTTORI_MUNICIPALITIES, TOTTORI_MUNICIPALITY_CODES } from './municipalities';
