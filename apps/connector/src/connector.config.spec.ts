import { ConfigError, sensitiveSettings } from '@tsunagu/config';
import { connectorEnvSchema, loadConnectorEnv } from './connector.config';

describe(loadConnectorEnv.name, () => {
  it('runs on its defaults, LOG_LEVEL info', () => {
    expect(loadConnectorEnv({})).toEqual({ CONNECTOR_NAME: 'connector', LOG_LEVEL: 'info' });
    expect(loadConnectorEnv({ LOG_LEVEL: 'error' }).LOG_LEVEL).toBe('error');
  });

  it('marks both tokens sensitive and never prints a bad one', () => {
    expect([...sensitiveSettings(connectorEnvSchema)].sort()).toEqual(['CONNECTOR_SDK_TOKEN', 'CONNECTOR_SERVICE_TOKEN']);
    try {
      loadConnectorEnv({ CONNECTOR_SDK_TOKEN: 'tok-too-short', LOG_LEVEL: 'chatty' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).problems.join('\n');
      expect(text).toContain('CONNECTOR_SDK_TOKEN: must NOT have fewer than 16 characters (value not shown: secret)');
      expect(text).toContain('LOG_LEVEL: must be equal to one of the allowed values (got "chatty")');
      expect(text).not.toContain('tok-too-short');
    }
  });
});
