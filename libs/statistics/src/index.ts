export {
  checkDisclosure, gridEntries, gridKeys, gridLines, keyId, MIN_K, suppress, TOTAL,
} from './disclosure';
export type { DisclosureViolation, ReturnedEntry, Suppression, SuppressionReason, TableEntry } from './disclosure';
export { addDiscreteLaplace, discreteLaplaceStdDev, PrivacyBudget, secureUniform } from './noise';
export type { UniformSource } from './noise';
