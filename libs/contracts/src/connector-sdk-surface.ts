/**
 * The part of the contracts that the vendor package `@tsunagu/connector-sdk` carries: its build
 * (`libs/connector-sdk/tsconfig.build.json`) resolves `@tsunagu/contracts` to this file, so the
 * package type-checks only against these modules and ships them alone. Each has no runtime
 * import, so the package has no dependencies. Inside the monorepo, import `@tsunagu/contracts`.
 */
export * from './errors';
export * from './connector-errors';
export * from './connector-sdk-api';
export * from './erasure-callback';
