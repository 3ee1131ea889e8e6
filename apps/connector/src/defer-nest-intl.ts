/**
 * Loads `@nestjs/common` with `Intl.DateTimeFormat` constructed lazily. Nest's logger modules
 * build two date formatters when they are first required (`logger.service.js`,
 * `console-logger.service.js`), which maps ICU's locale data: about 8 MB of the connector's
 * RSS (6.5 MB file pages, 2 MB private; docs/benchmarks.md "Connector memory"), although the
 * connector never logs through Nest's console logger (it gives Nest the winston logger). Here
 * the formatter is built on first use instead, so a formatter that is used behaves as before.
 *
 * Written by hand: no library defers one global constructor for the span of one require. Must be
 * imported before anything that loads `@nestjs/common` (main.ts imports it first).
 */
const RealDateTimeFormat = Intl.DateTimeFormat;

function LazyDateTimeFormat(this: unknown, ...args: ConstructorParameters<typeof Intl.DateTimeFormat>): Intl.DateTimeFormat {
  if (!new.target) return RealDateTimeFormat(...args);
  let real: Intl.DateTimeFormat | undefined;
  return new Proxy({} as Intl.DateTimeFormat, {
    get(_target, key) {
      real ??= new RealDateTimeFormat(...args);
      const value = Reflect.get(real, key, real);
      return typeof value === 'function' ? value.bind(real) : value;
    },
  });
}

Intl.DateTimeFormat = LazyDateTimeFormat as unknown as typeof Intl.DateTimeFormat;
try {
  // A require, not an import: it must run between the two assignments, which an import hoisted above them would not.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@nestjs/common');
} finally {
  Intl.DateTimeFormat = RealDateTimeFormat;
}
