import type { JSONSchemaType } from 'ajv';
import { ConfigError, loadConfig, REDACTED, redactConfig, redactValue, sensitiveSettings } from './load-config';

interface Sample { PORT: number; NAME: string; DEBUG: boolean; URL?: string; DATABASE_URL?: string; API_TOKEN?: string }
const schema: JSONSchemaType<Sample> = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 1, maximum: 65535, default: 3000 },
    NAME: { type: 'string', minLength: 1 },
    DEBUG: { type: 'boolean', default: false },
    URL: { type: 'string', format: 'uri', nullable: true },
    DATABASE_URL: { type: 'string', pattern: '^postgres(ql)?://', nullable: true, sensitive: true },
    API_TOKEN: { type: 'string', minLength: 16, nullable: true, sensitive: true },
  },
  required: ['PORT', 'NAME', 'DEBUG'],
  additionalProperties: false,
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe(loadConfig.name, () => {
  it('coerces types and fills defaults', () => {
    expect(loadConfig(schema, { NAME: 'hub', DEBUG: 'true' })).toEqual({ PORT: 3000, NAME: 'hub', DEBUG: true });
  });

  it('lists every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'seventy', URL: 'not a url' }).join('\n');
    expect(problems).toContain('PORT');
    expect(problems).toContain('NAME');
    expect(problems).toContain('URL');
  });

  it('ignores variables the schema does not know', () => {
    expect(loadConfig(schema, { NAME: 'x', HOME: '/root' })).not.toHaveProperty('HOME');
  });

  it('accepts the sensitive keyword and keeps secret values as they are', () => {
    const config = loadConfig(schema, { NAME: 'x', API_TOKEN: 'a-token-of-sixteen+', DATABASE_URL: 'postgres://u:pw@db/x' });
    expect(config).toMatchObject({ API_TOKEN: 'a-token-of-sixteen+', DATABASE_URL: 'postgres://u:pw@db/x' });
  });

  it('quotes a bad value of an ordinary setting, on one line', () => {
    expect(problemsOf({ NAME: 'x', PORT: 'seventy\r\nforged line' })).toEqual(['PORT: must be integer (got "seventy forged line")']);
  });

  it('names a bad secret and its problem but never prints its value', () => {
    const problems = problemsOf({ NAME: 'x', API_TOKEN: 'short-secret', DATABASE_URL: 'mysql://root:hunter2hunter2@db/x' });
    expect(problems).toEqual([
      'DATABASE_URL: must match pattern "^postgres(ql)?://" (value not shown: secret)',
      'API_TOKEN: must NOT have fewer than 16 characters (value not shown: secret)',
    ]);
    const text = problems.join('\n');
    expect(text).not.toContain('short-secret');
    expect(text).not.toContain('hunter2');
  });

  it('keeps secrets out of the error message and its stack too', () => {
    try {
      loadConfig(schema, { NAME: 'x', API_TOKEN: 'tiny-secret' });
    } catch (error) {
      expect((error as Error).message).toContain('API_TOKEN');
      expect(`${(error as Error).message}${(error as Error).stack}`).not.toContain('tiny-secret');
      return;
    }
    throw new Error('expected a ConfigError');
  });
});

describe(sensitiveSettings.name, () => {
  it('lists the settings marked sensitive', () => {
    expect([...sensitiveSettings(schema)].sort()).toEqual(['API_TOKEN', 'DATABASE_URL']);
  });
});

describe(redactConfig.name, () => {
  it('hides every secret value and leaves the others', () => {
    const config = loadConfig(schema, { NAME: 'hub', API_TOKEN: 'a-token-of-sixteen+', DATABASE_URL: 'postgres://tsunagu:pw@db:5432/tsunagu' });
    expect(redactConfig(schema, config)).toEqual({
      PORT: 3000, NAME: 'hub', DEBUG: false, API_TOKEN: REDACTED, DATABASE_URL: 'postgres://tsunagu:***@db:5432/tsunagu',
    });
  });

  it('keeps an unset secret unset', () => {
    expect(redactConfig(schema, loadConfig(schema, { NAME: 'hub' }))).not.toHaveProperty('API_TOKEN');
  });
});

describe(redactValue.name, () => {
  it('keeps where a URL points and drops its password and query', () => {
    expect(redactValue('rediss://:s3cret@cache.internal:6380/2')).toBe('rediss://:***@cache.internal:6380/2');
    expect(redactValue('postgres://app@db/x?password=s3cret')).toBe('postgres://app@db/x?***');
    expect(redactValue('postgres://app@db/x')).toBe('postgres://app@db/x');
  });

  it('hides anything that is not a URL entirely', () => {
    expect(redactValue('base64url-key-material')).toBe(REDACTED);
    expect(redactValue(42)).toBe(REDACTED);
  });
});
