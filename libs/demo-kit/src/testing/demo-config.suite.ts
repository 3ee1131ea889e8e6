import { ConfigError } from '@tsunagu/config';
import type { DemoSettings } from '../demo-settings';

/** What differs between the two demo services' configs in their tests. */
export interface DemoConfigUnderTest<C> {
  /** Prefix of the service's own env variables (`DEMO_CASHLESS`). */
  prefix: string;
  load(env: NodeJS.ProcessEnv): C;
  settings(config: C): DemoSettings;
  /** The documented defaults that differ per service. */
  defaults: Pick<DemoSettings, 'serviceName' | 'port' | 'clientId' | 'clientSecret'>;
  /** An https address the service could be published at. */
  publicUrl: string;
}

/**
 * The config behaviour both demo services share (defaults, env parsing, every problem at once,
 * production refusing development secrets), as one suite each demo runs with its own prefix.
 * Call inside `describe`.
 */
export function demoConfigSuite<C>(demo: DemoConfigUnderTest<C>): void {
  const own = (name: string) => `${demo.prefix}_${name}`;
  const settingsOf = (env: NodeJS.ProcessEnv) => demo.settings(demo.load(env));

  it('runs on the documented defaults', () => {
    expect(settingsOf({})).toMatchObject({
      ...demo.defaults, host: '127.0.0.1', hubUrl: 'http://localhost:3000', store: 'pglite', dataDir: './data', publicUrl: undefined,
    });
  });

  it('reads ports, URLs and the store from the environment', () => {
    const config = demo.load({ [own('PORT')]: '0', [own('PUBLIC_URL')]: demo.publicUrl, HUB_URL: 'https://id.example.jp', DEMO_STORE: 'memory' });
    expect(config).toMatchObject({ [own('PORT')]: 0, [own('PUBLIC_URL')]: demo.publicUrl, HUB_URL: 'https://id.example.jp', DEMO_STORE: 'memory' });
  });

  it('lists every bad variable at once', () => {
    expect(() => demo.load({ [own('PORT')]: 'abc', DEMO_STORE: 'redis', HUB_URL: 'not a url', DEMO_SESSION_SECRET: 'short' }))
      .toThrow(expect.objectContaining({ problems: expect.arrayContaining([
        expect.stringContaining(own('PORT')), expect.stringContaining('DEMO_STORE'), expect.stringContaining('HUB_URL'), expect.stringContaining('DEMO_SESSION_SECRET'),
      ]) }));
  });

  it('refuses the development secrets in production', () => {
    expect(() => settingsOf({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => settingsOf({
      NODE_ENV: 'production', DEMO_SESSION_SECRET: 's'.repeat(40), [own('CLIENT_SECRET')]: 'c'.repeat(20), [own('PUBLIC_URL')]: demo.publicUrl,
    })).not.toThrow();
  });

  it('passes the service token of the internal API on, and refuses a short one', () => {
    expect(settingsOf({}).serviceToken).toBeUndefined();
    expect(settingsOf({ CONNECTOR_SERVICE_TOKEN: 't'.repeat(16) }).serviceToken).toBe('t'.repeat(16));
    expect(() => demo.load({ CONNECTOR_SERVICE_TOKEN: 'short' })).toThrow(expect.objectContaining({ problems: [expect.stringContaining('CONNECTOR_SERVICE_TOKEN')] }));
  });

  it('names a bad secret and its problem, never its value', () => {
    const secrets = { [own('CLIENT_SECRET')]: 'cs-too-short', DEMO_SESSION_SECRET: 'session-too-short', CONNECTOR_SERVICE_TOKEN: 'svc-short', CONNECTOR_SDK_TOKEN: 'sdk-short' };
    let problems: string[] = [];
    try {
      demo.load(secrets);
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(Object.keys(secrets).sort());
    for (const value of Object.values(secrets)) expect(problems.join('\n')).not.toContain(value);
  });

  it('takes LOG_LEVEL into its settings (info when unset)', () => {
    expect(settingsOf({}).logLevel).toBe('info');
    expect(settingsOf({ LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
    expect(() => demo.load({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
  });
}
