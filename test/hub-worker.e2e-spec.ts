import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sample } from '@tsunagu/metrics';
import { createTestDatabase, pollUntil, testRedis } from '@tsunagu/testing';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * Web replicas and a separate worker (HUB_ROLE=web / worker): the replica serves HTTP and adds
 * jobs; only the worker runs them. Shown with the backup job, which writes a file one can see.
 */
describe('Hub web replica and worker process (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-worker-'));
  const backups = join(dir, 'backups');
  let web: AppProcess | undefined;
  let worker: AppProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    const redis = testRedis();
    const port = await freePort();
    env = {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: await createTestDatabase('worker'), REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix,
      KEY_ENCRYPTION_KEY: 'w'.repeat(43), DATA_DIR: dir, BACKUP_DIR: backups, BACKUP_FIRST_CHECK_SECONDS: '1',
    };
    web = await startApp('apps/hub/src/main.js', { ...env, HUB_ROLE: 'web' }, port);
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    await web?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Maintenance jobs not yet run (waiting, or delayed: bull promotes delayed jobs only where a processor runs). */
  const waiting = async () => {
    const text = await (await fetch(`${web!.url}/metrics`)).text();
    return ['waiting', 'delayed'].reduce((n, state) => n + (sample(text, 'tsunagu_queue_jobs', { queue: 'maintenance', state }) ?? 0), 0);
  };

  it('the web replica adds the job and does not run it', async () => {
    // Four schedules (key purge, audit pruning, audit verification, hourly backup check) and the
    // first backup check, due a second after start: all wait in Redis for a worker.
    expect(await pollUntil(waiting, (n) => n >= 5, 15_000, 200)).toBe(5);
    expect(existsSync(backups) ? readdirSync(backups) : []).toEqual([]);
  });

  it('the worker runs it, and serves its own health and metrics', async () => {
    const workerPort = await freePort();
    worker = await startApp('apps/hub/src/worker.main.js', { ...env, HUB_ROLE: 'worker', WORKER_PORT: String(workerPort), PORT: String(await freePort()) }, workerPort);
    expect(await (await fetch(`${worker.url}/health`)).json()).toEqual({ status: 'ok', role: 'worker' });
    const written = await pollUntil(() => (existsSync(backups) ? readdirSync(backups).filter((n) => n.endsWith('.dump')) : []), (names) => names.length > 0, 30_000, 200);
    expect(written).toHaveLength(1);
    // What is left are the four schedules' next runs; the first check ran.
    expect(await pollUntil(waiting, (n) => n <= 4, 10_000, 200)).toBe(4);
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(sample(metrics, 'tsunagu_backup_age_seconds', { service: 'hub-worker' })).toBeLessThan(60);
    expect(worker.output()).not.toMatch(/listening/i);
  });

  it('refuses a worker or web role without Redis', async () => {
    const port = await freePort();
    const { REDIS_URL: _r, ...noRedis } = env;
    await expect(startApp('apps/hub/src/main.js', { ...noRedis, HUB_ROLE: 'web', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }, port)).rejects.toThrow(/HUB_ROLE: web needs REDIS_URL/);
  });
});
