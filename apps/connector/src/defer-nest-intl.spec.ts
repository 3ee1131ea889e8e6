/**
 * The deferral with a module registry of its own (Nest is required for the first time after it):
 * Nest's console logger prints the same timestamps as before, through the formatter built on
 * first use, and the global constructor is the real one again.
 */
describe('defer-nest-intl', () => {
  afterEach(() => jest.restoreAllMocks());

  it('leaves Nest\'s console logger formatting dates as before and restores Intl.DateTimeFormat', () => {
    const Real = Intl.DateTimeFormat;
    jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 11, 4, 3, 4, 5));
    const expected = new Real(undefined, { year: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', day: '2-digit', month: '2-digit' }).format(Date.now());
    let printed: unknown;
    jest.isolateModules(() => {
      // Required inside the isolated registry, which imports cannot be.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('./defer-nest-intl');
      expect(Intl.DateTimeFormat).toBe(Real);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ConsoleLogger } = require('@nestjs/common') as typeof import('@nestjs/common');
      printed = (new ConsoleLogger('Spec') as unknown as { getTimestamp(): string }).getTimestamp();
    });
    expect(printed).toBe(expected);
    expect(new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric' }).format(0)).toBe('1970年');
  });
});
