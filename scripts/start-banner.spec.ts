import { databaseDescription, queueDescription, runningLine } from './start-banner';

describe('start-banner (what npm start says it runs on)', () => {
  it('says embedded PostgreSQL and in-process queues only when nothing else is configured', () => {
    expect(runningLine({})).toBe('Tsunagu is running — hub database: embedded PostgreSQL (PGlite) under ./data; in-process queues and sessions.');
    expect(databaseDescription({ DATA_DIR: '/srv/tsunagu' })).toBe('embedded PostgreSQL (PGlite) under /srv/tsunagu');
  });

  it('names the PostgreSQL server and Redis of the environment, never their credentials', () => {
    const env = { DATABASE_URL: 'postgres://tsunagu:s3cret-pw@db.internal:5433/tsunagu_dev', REDIS_URL: 'redis://:r3dis-pw@127.0.0.1:6379/2' };
    const line = runningLine(env);
    expect(line).toContain('PostgreSQL at db.internal:5433/tsunagu_dev (DATABASE_URL)');
    expect(line).toContain('Redis at 127.0.0.1:6379 (REDIS_URL)');
    expect(line).not.toMatch(/embedded|in-process|s3cret|r3dis|tsunagu:/);
  });

  it('does not echo a URL it cannot parse', () => {
    expect(databaseDescription({ DATABASE_URL: 'postgres://user:pa ss@[bad' })).toBe('PostgreSQL at the configured server (DATABASE_URL)');
    expect(queueDescription({ REDIS_URL: 'redis://x:y@[bad' })).toBe('Redis at the configured server (REDIS_URL) for queues and sessions');
  });
});
