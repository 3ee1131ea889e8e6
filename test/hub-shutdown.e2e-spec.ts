import { Client } from 'pg';
import { createTestDatabase, testRedis } from '@tsunagu/testing';
import { PortalResident } from './support/portal-resident';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * Ctrl+C stops the hub within a few seconds even when a request is stuck in the database (here: a
 * login waiting on a table another session has locked). Before, the hub stayed up until SIGKILL.
 */
describe('Hub shutdown (e2e)', () => {
  let hub: AppProcess | undefined;
  let locker: Client | undefined;

  afterAll(async () => {
    await locker?.query('ROLLBACK').catch(() => undefined);
    await locker?.end().catch(() => undefined);
    await hub?.stop();
  });

  it('exits on SIGINT within the grace period while a query is stuck on a lock', async () => {
    const port = await freePort();
    const url = await createTestDatabase('shutdown');
    const redis = testRedis();
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: url, REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, KEY_ENCRYPTION_KEY: 'g'.repeat(43),
    }, port);
    locker = new Client({ connectionString: url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE residents IN ACCESS EXCLUSIVE MODE');
    // The sign-in reads the resident: it waits on the lock for as long as the locker holds it.
    let signedIn = false;
    const stuck = new PortalResident(hub.url).signIn('tottori.taro').then(() => (signedIn = true), () => undefined);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(signedIn).toBe(false);
    const child = hub.child;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const started = Date.now();
    child.kill('SIGINT');
    const code = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 9_000))]);
    expect(code).not.toBe('running');
    expect(Date.now() - started).toBeLessThan(8_000);
    await stuck;
    expect(signedIn).toBe(false);
  }, 30_000);
});
