import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * The conventions the linter can hold us to (docs/architecture.md, CONVENTIONS.md §7 and §8),
 * with ESLint's own rules: settings come from the validated config, libraries are imported by
 * their @tsunagu/* names, and nothing writes to the console.
 */

/** The only files that may read the environment: each app's config module, the config library, test harness and tooling. */
const ENV_READERS = [
  'apps/hub/src/platform/config/hub.config.ts',
  'apps/connector/src/connector.config.ts',
  'apps/demo-cashless/src/cashless.config.ts',
  'apps/demo-misasa-health/src/misasa.config.ts',
  'libs/config/src/**/*.ts',
  // The test harness: the test run's database, Redis and LOG_LEVEL.
  'libs/testing/src/**/*.ts',
  'scripts/**/*.ts',
  'bench/**/*.ts',
  'test/**/*.ts',
];

const ENV_MESSAGE = 'Read settings from the app\'s validated config (CONVENTIONS.md §7), not from the environment: only the config modules listed in eslint.config.mjs read process.env.';
const LIB_MESSAGE = 'Import a library by its @tsunagu/* name (tsconfig.json paths, docs/architecture.md), not by a path into libs/.';

/** A relative path into libs/ (from apps, scripts, bench, test and migrations). */
const LIB_PATH = '^(\\.\\./)+libs/';
/** From inside a library: a relative path into another library's src/ (`../../contracts/src/…`), or into an app. */
const OTHER_LIB_PATH = '^(\\.\\./){2,}[a-z-]+/src(/|$)';
const APP_PATH = '^(\\.\\./)+apps/';

const envImports = [
  { name: 'process', importNames: ['env'], message: ENV_MESSAGE },
  { name: 'node:process', importNames: ['env'], message: ENV_MESSAGE },
];

/** no-restricted-imports for a group of files; `env: false` for the files that may read the environment. */
function restrictedImports({ inLibs = false, env = true } = {}) {
  const patterns = [{ regex: LIB_PATH, message: LIB_MESSAGE }];
  if (inLibs) {
    patterns.push({ regex: OTHER_LIB_PATH, message: LIB_MESSAGE });
    patterns.push({ regex: APP_PATH, message: 'Libraries never import apps (docs/architecture.md).' });
  }
  return ['error', { paths: env ? envImports : [], patterns }];
}

/** `import('../libs/…')` and `require('../libs/…')`, which no-restricted-imports does not see. */
const dynamicLibImports = [
  { selector: 'ImportExpression[source.value=/^(\\.\\.\\x2F)+libs\\x2F/]', message: LIB_MESSAGE },
  { selector: 'CallExpression[callee.name="require"][arguments.0.value=/^(\\.\\.\\x2F)+libs\\x2F/]', message: LIB_MESSAGE },
];
/** `globalThis.process.env`, which no-restricted-properties (object `process`) does not see. */
const globalEnv = { selector: 'MemberExpression[property.name="env"][object.type="MemberExpression"][object.property.name="process"]', message: ENV_MESSAGE };

export default tseslint.config(
  { ignores: ['dist/**', 'libs/*/dist/**', 'node_modules/**', 'data/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: ENV_MESSAGE }],
      'no-restricted-syntax': ['error', ...dynamicLibImports, globalEnv],
      'no-restricted-imports': restrictedImports(),
    },
  },
  { files: ['libs/**/*.ts'], rules: { 'no-restricted-imports': restrictedImports({ inLibs: true }) } },
  {
    files: ENV_READERS,
    rules: {
      'no-restricted-properties': 'off',
      'no-restricted-syntax': ['error', ...dynamicLibImports],
      'no-restricted-imports': restrictedImports({ env: false }),
    },
  },
  // The two library groups above overlap: inside libs/, the env readers keep the library rules.
  { files: ENV_READERS.filter((glob) => glob.startsWith('libs/')), rules: { 'no-restricted-imports': restrictedImports({ inLibs: true, env: false }) } },
);
