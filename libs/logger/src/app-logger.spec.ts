import { AppLogger, configureLogger, DEFAULT_LOG_LEVEL, isLogLevel, rootLogger } from './app-logger';
import { LogKind } from './log-kind';

describe(AppLogger.name, () => {
  // The same settings whatever LOG_LEVEL the test run has (libs/testing/src/logger.setup.ts).
  beforeEach(() => configureLogger({ level: DEFAULT_LOG_LEVEL, service: 'tsunagu', silent: true }));
  afterEach(() => jest.restoreAllMocks());

  it('logs at info when nothing sets a level', () => {
    jest.isolateModules(() => {
      // A fresh copy of the module: nothing (not even the test set-up) has configured it.
      const fresh = jest.requireActual<typeof import('./app-logger')>('./app-logger');
      expect(fresh.rootLogger().level).toBe('info');
      expect(fresh.rootLogger().isLevelEnabled('debug')).toBe(false);
      expect(fresh.rootLogger().defaultMeta).toEqual({ service: 'tsunagu' });
    });
  });

  it('takes the level and the service name the app gives it at start-up', () => {
    configureLogger({ level: 'warn', service: 'hub' });
    expect(rootLogger().isLevelEnabled('info')).toBe(false);
    expect(rootLogger().isLevelEnabled('warn')).toBe(true);
    expect(rootLogger().defaultMeta).toEqual({ service: 'hub' });
  });

  it('keeps what a call leaves out: a level does not lift the test run\'s silence', () => {
    configureLogger({ level: 'debug' });
    expect(rootLogger().silent).toBe(true);
    configureLogger({ service: 'connector-cashless' });
    expect(rootLogger().level).toBe('debug');
  });

  it('refuses a level it does not know', () => {
    expect(() => configureLogger({ level: 'verbose' as never })).toThrow(/Unknown log level "verbose"/);
    expect(rootLogger().level).toBe('info');
  });

  it('writes debug lines only at the debug level', () => {
    const spy = jest.spyOn(rootLogger(), 'log');
    const logger = new AppLogger('Sample');
    logger.debug(LogKind.Event, 'dropped');
    expect(spy).not.toHaveBeenCalled();
    configureLogger({ level: 'debug' });
    logger.debug(LogKind.Event, 'kept\r\nforged', { n: 1 });
    expect(spy).toHaveBeenCalledWith('debug', 'kept forged', expect.objectContaining({ kind: LogKind.Event, context: 'Sample', n: 1 }));
  });
});

describe(isLogLevel.name, () => {
  it('knows the four levels of LOG_LEVEL', () => {
    expect(['error', 'warn', 'info', 'debug'].every(isLogLevel)).toBe(true);
    expect(isLogLevel('verbose')).toBe(false);
    expect(isLogLevel(undefined)).toBe(false);
  });
});
