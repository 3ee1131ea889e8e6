import { ConfigError, redactConfig, sensitiveSettings } from '@tsunagu/config';
import { hubConfigSchema, loadHubConfig } from './hub.config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadHubConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe(loadHubConfig.name, () => {
  it('carries the audit chain\'s settings with their defaults', () => {
    expect(loadHubConfig({})).toMatchObject({
      AUDIT_CHECKPOINT_EVERY_ROWS: 1000, AUDIT_CHECKPOINT_EVERY_MINUTES: 60, AUDIT_RETENTION_DAYS: 400, AUDIT_EXPORT_DIR: 'audit-exports', LOG_LEVEL: 'info',
    });
    expect(loadHubConfig({ AUDIT_CHECKPOINT_EVERY_ROWS: '3', LOG_LEVEL: 'warn' })).toMatchObject({ AUDIT_CHECKPOINT_EVERY_ROWS: 3, LOG_LEVEL: 'warn' });
  });

  it('refuses bad audit and log settings at boot, with every other bad one', () => {
    const problems = problemsOf({ AUDIT_RETENTION_DAYS: '30', AUDIT_EXPORT_DIR: '../outside', LOG_LEVEL: 'verbose', PORT: 'x' });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['AUDIT_EXPORT_DIR', 'AUDIT_RETENTION_DAYS', 'LOG_LEVEL', 'PORT']);
    expect(problems).toContain('AUDIT_RETENTION_DAYS: must be >= 400 (got "30")');
  });

  it('marks every secret setting sensitive', () => {
    expect([...sensitiveSettings(hubConfigSchema)].sort()).toEqual([
      'BACKUP_ENCRYPTION_KEY', 'DATABASE_URL', 'DEMO_CASHLESS_CLIENT_SECRET', 'DEMO_MISASA_CLIENT_SECRET', 'KEY_ENCRYPTION_KEY', 'REDIS_URL', 'SMTP_PASSWORD',
    ]);
  });

  it('names a bad secret without printing it', () => {
    const env = { KEY_ENCRYPTION_KEY: 'not-43-characters-of-key', DATABASE_URL: 'mysql://app:Pa55word@db/x', DEMO_CASHLESS_CLIENT_SECRET: 'tooShort1' };
    const text = problemsOf(env).join('\n');
    expect(text).toContain('KEY_ENCRYPTION_KEY: must match pattern');
    expect(text).toContain('DATABASE_URL: must match pattern');
    expect(text).toContain('DEMO_CASHLESS_CLIENT_SECRET: must NOT have fewer than 16 characters');
    for (const value of Object.values(env)) expect(text).not.toContain(value);
    expect(text).not.toContain('Pa55word');
  });

  it('shows a loaded config without its secrets', () => {
    const key = 'k'.repeat(43);
    const config = loadHubConfig({ KEY_ENCRYPTION_KEY: key, DATABASE_URL: 'postgres://app:Pa55word@db:5432/tsunagu', REDIS_URL: 'redis://:r3dis@cache:6379' });
    const shown = redactConfig(hubConfigSchema, config);
    expect(shown).toMatchObject({ DATABASE_URL: 'postgres://app:***@db:5432/tsunagu', REDIS_URL: 'redis://:***@cache:6379', KEY_ENCRYPTION_KEY: '[redacted]', PORT: 3000 });
    expect(JSON.stringify(shown)).not.toMatch(/Pa55word|r3dis|kkkk|demo-cashless-secret/);
  });
});
