import type { JSONSchemaType } from 'ajv';
import { ConfigError, loadConfig } from './load-config';

interface Sample { PORT: number; NAME: string; DEBUG: boolean; URL?: string }
const schema: JSONSchemaType<Sample> = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 1, maximum: 65535, default: 3000 },
    NAME: { type: 'string', minLength: 1 },
    DEBUG: { type: 'boolean', default: false },
    URL: { type: 'string', format: 'uri', nullable: true },
  },
  required: ['PORT', 'NAME', 'DEBUG'],
  additionalProperties: false,
};

describe(loadConfig.name, () => {
  it('coerces types and fills defaults', () => {
    expect(loadConfig(schema, { NAME: 'hub', DEBUG: 'true' })).toEqual({ PORT: 3000, NAME: 'hub', DEBUG: true });
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig(schema, { PORT: 'seventy', URL: 'not a url' });
      fail('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('PORT');
      expect(problems).toContain('NAME');
      expect(problems).toContain('URL');
    }
  });

  it('ignores variables the schema does not know', () => {
    expect(loadConfig(schema, { NAME: 'x', HOME: '/root' })).not.toHaveProperty('HOME');
  });
});
