/**
 * The connector's part of the contracts (connector, grant, revocation and provision formats),
 * re-exported from `index.ts`: import it as `@tsunagu/contracts`.
 */
export * from './connector';
export * from './connector-sdk-api';
export * from './connector-config';
export * from './connector-errors';
export * from './connector-revocations';
export * from './connector-tokens';
export * from './grant';
export * from './grant-tokens';
export * from './connector-provisions';
export * from './statistics-grant';
