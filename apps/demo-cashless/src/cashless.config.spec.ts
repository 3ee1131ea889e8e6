import { ConfigError } from '@tsunagu/config';
import { cashlessSettings, loadCashlessConfig } from './cashless.config';

describe(loadCashlessConfig.name, () => {
  it('runs on the documented defaults', () => {
    const settings = cashlessSettings(loadCashlessConfig({}));
    expect(settings).toMatchObject({
      serviceName: 'demo-cashless', port: 3101, host: '127.0.0.1', hubUrl: 'http://localhost:3000', clientId: 'demo-cashless',
      clientSecret: 'demo-cashless-secret', store: 'pglite', dataDir: './data', publicUrl: undefined,
    });
  });

  it('reads ports, URLs and the store from the environment', () => {
    const config = loadCashlessConfig({
      DEMO_CASHLESS_PORT: '0', DEMO_CASHLESS_PUBLIC_URL: 'https://cashless.example.jp', HUB_URL: 'https://id.example.jp', DEMO_STORE: 'memory',
    });
    expect(config).toMatchObject({ DEMO_CASHLESS_PORT: 0, DEMO_CASHLESS_PUBLIC_URL: 'https://cashless.example.jp', HUB_URL: 'https://id.example.jp', DEMO_STORE: 'memory' });
  });

  it('lists every bad variable at once', () => {
    expect(() => loadCashlessConfig({ DEMO_CASHLESS_PORT: 'abc', DEMO_STORE: 'redis', HUB_URL: 'not a url', DEMO_SESSION_SECRET: 'short' }))
      .toThrow(expect.objectContaining({ problems: expect.arrayContaining([
        expect.stringContaining('DEMO_CASHLESS_PORT'), expect.stringContaining('DEMO_STORE'), expect.stringContaining('HUB_URL'), expect.stringContaining('DEMO_SESSION_SECRET'),
      ]) }));
  });

  it('refuses the development secrets in production', () => {
    expect(() => cashlessSettings(loadCashlessConfig({ NODE_ENV: 'production' }))).toThrow(ConfigError);
    expect(() => cashlessSettings(loadCashlessConfig({
      NODE_ENV: 'production', DEMO_SESSION_SECRET: 's'.repeat(40), DEMO_CASHLESS_CLIENT_SECRET: 'c'.repeat(20), DEMO_CASHLESS_PUBLIC_URL: 'https://cashless.example.jp',
    }))).not.toThrow();
  });

  it('passes the service token of the internal API on, and refuses a short one', () => {
    expect(cashlessSettings(loadCashlessConfig({})).serviceToken).toBeUndefined();
    expect(cashlessSettings(loadCashlessConfig({ CONNECTOR_SERVICE_TOKEN: 't'.repeat(16) })).serviceToken).toBe('t'.repeat(16));
    expect(() => loadCashlessConfig({ CONNECTOR_SERVICE_TOKEN: 'short' })).toThrow(expect.objectContaining({ problems: [expect.stringContaining('CONNECTOR_SERVICE_TOKEN')] }));
  });
});
