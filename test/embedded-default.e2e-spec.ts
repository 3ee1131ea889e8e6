import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { sample } from '@tsunagu/metrics';
import { decryptTo } from '../apps/hub/src/operations/backup/backup-file';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserAgent, pollUntil } from '@tsunagu/testing';
import { codeFlow, discover } from './support/oidc-flow';
import { type AppProcess, freePort, startApp } from './support/processes';

/**
 * The embedded default `npm start` uses: no DATABASE_URL, no REDIS_URL — PGlite persisted under
 * DATA_DIR and served over the PostgreSQL wire protocol, in-process OIDC storage.
 */
describe('Hub on the embedded default (e2e)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tsunagu-embedded-'));
  let port: number;
  let hub: AppProcess | undefined;
  const backupKey = randomBytes(32);
  const env = () => ({
    PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, DEMO_CASHLESS_URL: 'http://127.0.0.1:39101',
    BACKUP_FIRST_CHECK_SECONDS: '1', BACKUP_ENCRYPTION_KEY: backupKey.toString('base64url'),
  });

  beforeAll(async () => {
    port = await freePort();
    hub = await startApp('apps/hub/src/main.js', env(), port);
  });
  afterAll(async () => {
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs migrations, seeds and signs a resident in on PGlite', async () => {
    const health = await (await fetch(`${hub!.url}/health`)).json();
    expect(health).toEqual({ status: 'ok', checks: { database: 'up', redis: 'not_configured' } });
    const cashless = await discover(`${hub!.url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
    const { tokens } = await codeFlow(new BrowserAgent(), cashless, 'http://127.0.0.1:39101/auth/callback', { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' });
    expect(tokens.claims()!.acr).toBe('urn:tsunagu:loa:password');
    expect(statSync(join(dataDir, 'key-encryption.key')).mode & 0o777).toBe(0o600);
  });

  it('keeps residents, keys and pairwise subjects across a restart', async () => {
    const jwksBefore = await (await fetch(`${hub!.url}/oidc/jwks`)).json();
    const cashless = await discover(`${hub!.url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
    const before = await codeFlow(new BrowserAgent(), cashless, 'http://127.0.0.1:39101/auth/callback', { loginId: 'misasa.hanako', password: 'tsunagu-demo-2026' });
    await hub!.stop();
    hub = await startApp('apps/hub/src/main.js', env(), port);
    expect(await (await fetch(`${hub.url}/oidc/jwks`)).json()).toEqual(jwksBefore);
    const again = await discover(`${hub.url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
    const after = await codeFlow(new BrowserAgent(), again, 'http://127.0.0.1:39101/auth/callback', { loginId: 'misasa.hanako', password: 'tsunagu-demo-2026' });
    expect(after.tokens.claims()!.sub).toBe(before.tokens.claims()!.sub);
  });
  it('backs its embedded database up itself, encrypted, and says how old the backup is', async () => {
    const backups = join(dataDir, 'backups');
    const name = await pollUntil(() => (existsSync(backups) ? readdirSync(backups).find((n) => n.endsWith('.pglite.tgz.enc')) : undefined), Boolean, 30_000, 200);
    const chunks: Buffer[] = [];
    const sink = new PassThrough().on('data', (c: Buffer) => chunks.push(c));
    await decryptTo(join(backups, name!), sink, backupKey);
    // The gzip'd tar of the PGlite folder: restorable by starting PGlite on an empty folder with it.
    expect(gunzipSync(Buffer.concat(chunks)).includes(Buffer.from('PG_VERSION'))).toBe(true);
    expect(statSync(join(backups, name!)).mode & 0o777).toBe(0o600);
    const age = sample(await (await fetch(`${hub!.url}/metrics`)).text(), 'tsunagu_backup_age_seconds');
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(120);
  });
});
