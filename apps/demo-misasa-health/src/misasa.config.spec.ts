import { ConfigError } from '@tsunagu/config';
import { misasaSettings, loadMisasaConfig } from './misasa.config';

describe(loadMisasaConfig.name, () => {
  it('runs on the documented defaults', () => {
    const settings = misasaSettings(loadMisasaConfig({}));
    expect(settings).toMatchObject({
      serviceName: 'demo-misasa-health', port: 3102, host: '127.0.0.1', hubUrl: 'http://localhost:3000', clientId: 'demo-misasa-health',
      clientSecret: 'demo-misasa-health-secret', store: 'pglite', dataDir: './data', publicUrl: undefined,
    });
  });

  it('reads ports, URLs and the store from the environment', () => {
    const config = loadMisasaConfig({
      DEMO_MISASA_PORT: '0', DEMO_MISASA_PUBLIC_URL: 'https://misasa.example.jp', HUB_URL: 'https://id.example.jp', DEMO_STORE: 'memory',
    });
    expect(config).toMatchObject({ DEMO_MISASA_PORT: 0, DEMO_MISASA_PUBLIC_URL: 'https://misasa.example.jp', HUB_URL: 'https://id.example.jp', DEMO_STORE: 'memory' });
  });

  it('lists every bad variable at once', () => {
    expect(() => loadMisasaConfig({ DEMO_MISASA_PORT: 'abc', DEMO_STORE: 'redis', HUB_URL: 'not a url', DEMO_SESSION_SECRET: 'short' }))
      .toThrow(expect.objectContaining({ problems: expect.arrayContaining([
        expect.stringContaining('DEMO_MISASA_PORT'), expect.stringContaining('DEMO_STORE'), expect.stringContaining('HUB_URL'), expect.stringContaining('DEMO_SESSION_SECRET'),
      ]) }));
  });

  it('refuses the development secrets in production', () => {
    expect(() => misasaSettings(loadMisasaConfig({ NODE_ENV: 'production' }))).toThrow(ConfigError);
    expect(() => misasaSettings(loadMisasaConfig({
      NODE_ENV: 'production', DEMO_SESSION_SECRET: 's'.repeat(40), DEMO_MISASA_CLIENT_SECRET: 'c'.repeat(20), DEMO_MISASA_PUBLIC_URL: 'https://misasa.example.jp',
    }))).not.toThrow();
  });

  it('passes the service token of the internal API on, and refuses a short one', () => {
    expect(misasaSettings(loadMisasaConfig({})).serviceToken).toBeUndefined();
    expect(misasaSettings(loadMisasaConfig({ CONNECTOR_SERVICE_TOKEN: 't'.repeat(16) })).serviceToken).toBe('t'.repeat(16));
    expect(() => loadMisasaConfig({ CONNECTOR_SERVICE_TOKEN: 'short' })).toThrow(expect.objectContaining({ problems: [expect.stringContaining('CONNECTOR_SERVICE_TOKEN')] }));
  });
});
