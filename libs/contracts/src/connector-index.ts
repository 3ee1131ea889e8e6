/**
 * Everything the connector issue adds to the contracts: to be re-exported from `index.ts` by the
 * lead (`export * from './connector-index'`). Until then, import this file by relative path.
 */
export * from './connector';
export * from './connector-config';
export * from './connector-errors';
export * from './connector-revocations';
export * from './connector-tokens';
export * from './grant';
export * from './grant-tokens';
export * from './connector-provisions';
