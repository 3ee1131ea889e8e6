/**
 * Three tiers (CONVENTIONS.md): unit specs beside the code, integration specs against the
 * machine's real PostgreSQL and Redis (also *.spec.ts, they call libs/testing), and
 * cross-app end-to-end tests in test/ (*.e2e-spec.ts) that start real processes on real ports.
 * oidc-provider, openid-client and jose ship as ES modules only; Node 20 can require() them,
 * Jest's module system cannot, so those few packages are transformed to CommonJS by swc.
 */
const esmOnly = ['oidc-provider', 'openid-client', 'oauth4webapi', 'jose', 'nanoid', 'quick-lru', 'eta', '@koa', 'koa', 'jsesc', 'oidc-token-hash'];
const transform = {
  '^.+\\.(t|j|mj)s$': ['@swc/jest', {
    jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true } },
    module: { type: 'commonjs' },
  }],
};
// The same names as tsconfig.json's paths: a library's index, and its test material under /testing.
const moduleNameMapper = {
  '^@tsunagu/([a-z-]+)/testing$': '<rootDir>/libs/$1/src/testing',
  '^@tsunagu/([a-z-]+)$': '<rootDir>/libs/$1/src',
};
const common = {
  rootDir: __dirname,
  transform,
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper,
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/libs/testing/src/logger.setup.ts'],
  globalSetup: '<rootDir>/libs/testing/src/global-setup.js',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.js',
};
module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,scripts,bench}/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
