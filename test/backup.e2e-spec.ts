import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@tsunagu/database';
import { createTestDatabase, openTestDataSource } from '@tsunagu/testing';
import { AuditCheckpointsService } from '../apps/hub/src/audit/audit-checkpoints.service';
import { AuditVerifier } from '../apps/hub/src/audit/audit-verifier';
import { AuditRepository } from '../apps/hub/src/audit/audit.repository';
import { AuditService } from '../apps/hub/src/audit/audit.service';
import { KeysRepository } from '../apps/hub/src/platform/keys/keys.repository';
import { consentFixture } from '../apps/hub/src/consent/testing/consent-fixtures';
import { ROOT } from './support/processes';

function cli(script: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'dist', 'scripts', script), ...args], { cwd: ROOT, env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
  });
}

/** Row count of every table of the public schema (audit, consents, residents, keys…). */
async function counts(ds: DataSource): Promise<Record<string, number>> {
  const tables: { tablename: string }[] = await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const out: Record<string, number> = {};
  for (const { tablename } of tables) out[tablename] = Number((await ds.query(`SELECT count(*) AS n FROM "${tablename}"`))[0].n);
  return out;
}

function verifierOn(ds: DataSource): AuditVerifier {
  return new AuditVerifier(new AuditRepository(ds), async () => (await new KeysRepository(ds).listSigningKeys()).map((k) => k.public_jwk as JWK));
}

/** `npm run backup` and `npm run restore FILE` against the real PostgreSQL. */
describe('Backup and restore (e2e)', () => {
  const backupDir = mkdtempSync(join(tmpdir(), 'tsunagu-backups-'));
  afterAll(() => rmSync(backupDir, { recursive: true, force: true }));

  it('backs up, drops, restores into an empty database with the audit chain and every row count intact', async () => {
    // A database with residents, keys and an audit chain with a signed checkpoint.
    const source = await openTestDataSource([], 'backupsrc');
    const sourceUrl = (source.options as { url: string }).url;
    await source.query(`INSERT INTO residents (common_id, login_id, password_hash, display_name) VALUES ('1234567890123456', 'backup.test', 'x', 'Backup Test')`);
    // Consent receipts (signed, chained): a consent given and withdrawn by a second resident.
    const fx = await consentFixture(source, { residents: 1 });
    const { consent } = await fx.service.give(fx.residents[0], { dataUse: 'misasa-health.onsen-spending' }, 'portal-api');
    await fx.service.withdraw(fx.residents[0], consent.consentId, {}, 'portal-api');
    const seeded = (await source.query(`SELECT count(*)::int AS n FROM audit_events`))[0].n as number; // the catalog the fixture made
    // The checkpoints are signed with the same keys (one KEY_ENCRYPTION_KEY, as in a deployment).
    const repo = new AuditRepository(source);
    const checkpoints = new AuditCheckpointsService(repo, fx.keys, { AUDIT_CHECKPOINT_EVERY_ROWS: 1000, AUDIT_CHECKPOINT_EVERY_MINUTES: 60, AUDIT_RETENTION_DAYS: 400, AUDIT_EXPORT_DIR: 'x' });
    const audit = new AuditService(repo, checkpoints);
    for (let i = 0; i < 20; i++) await audit.record({ type: 'auth.sign_in', actor: { kind: 'resident', id: `r-${i}` }, outcome: 'success', details: { i, note: 'ünïcødé 日本語' } });
    await checkpoints.checkpointIfDue('now');
    await checkpoints.onApplicationShutdown();
    const before = await counts(source);
    const chainBefore = await verifierOn(source).verify();
    const rows = seeded + 20;
    expect(chainBefore).toMatchObject({ ok: true, rows, checkpointsVerified: 1 });
    expect(before).toMatchObject({ audit_events: rows, audit_checkpoints: 1, residents: 2, tenants: expect.any(Number) });
    await source.destroy();

    // Older backups: one a day for nine days, two on yesterday; and a file that is not a backup.
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    for (let n = 1; n <= 9; n++) writeFileSync(join(backupDir, `tsunagu-${day(n)}T010000Z.dump`), '');
    writeFileSync(join(backupDir, `tsunagu-${day(1)}T000500Z.dump`), '');
    writeFileSync(join(backupDir, 'notes.txt'), 'kept');

    const backup = await cli('backup.js', { DATABASE_URL: sourceUrl, BACKUP_DIR: backupDir });
    expect(backup).toMatchObject({ code: 0, stdout: expect.stringContaining('Backup written') });
    const written = /Backup written: (\S+)/.exec(backup.stdout)![1];
    expect(statSync(written).size).toBeGreaterThan(1000);
    expect(statSync(written).mode & 0o777).toBe(0o600);
    expect(readdirSync(backupDir).sort()).toEqual([
      'notes.txt', ...[6, 5, 4, 3, 2, 1].map((n) => `tsunagu-${day(n)}T010000Z.dump`), written.split('/').pop(),
    ].sort());

    // Drop the source, restore into a new empty database.
    const admin = new Client({ connectionString: process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE ${new URL(sourceUrl).pathname.slice(1)} WITH (FORCE)`);
    await admin.end();
    const targetUrl = await createTestDatabase('backupdst');
    const restore = await cli('restore.js', { DATABASE_URL: targetUrl }, [written]);
    expect(restore).toMatchObject({ code: 0, stdout: expect.stringContaining(`Audit chain intact: ${rows} rows (seq 1–${rows}), 1 signed checkpoint(s) verified`) });
    expect(restore.stdout).toContain('Consent receipts intact: 2 receipt(s) of 1 resident(s), every signature and chain verified.');

    const target = new DataSource(dataSourceOptions({ url: targetUrl, embedded: false, entities: [], migrations: [] }));
    await target.initialize();
    try {
      expect(await counts(target)).toEqual(before);
      expect(await verifierOn(target).verify()).toEqual(chainBefore);
      // The append-only triggers came back with the schema.
      await expect(target.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    } finally {
      await target.destroy();
    }

    // A second restore into the now non-empty database is refused, and changes nothing.
    const again = await cli('restore.js', { DATABASE_URL: targetUrl }, [written]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('Refusing to restore');
    expect(again.stderr).toContain('is not empty');
  });

  it('refuses a file that is not a backup, and says that the embedded database needs a PostgreSQL server', async () => {
    const empty = await createTestDatabase('backupbad');
    const junk = join(backupDir, 'junk.dump');
    writeFileSync(junk, 'not a dump');
    expect(await cli('restore.js', { DATABASE_URL: empty }, [junk])).toMatchObject({ code: 1, stderr: expect.stringContaining('not a pg_dump custom-format archive') });
    expect(await cli('restore.js', { DATABASE_URL: empty })).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: npm run restore FILE') });
    const dataDir = mkdtempSync(join(tmpdir(), 'tsunagu-embedded-backup-'));
    try {
      const embedded = await cli('backup.js', { DATA_DIR: dataDir });
      expect(embedded).toMatchObject({ code: 2, stderr: expect.stringContaining('Backups need a PostgreSQL server') });
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
  it('encrypts the backup (AES-256-GCM), restores it with the key, and refuses it truncated, altered, without the key or unencrypted in production', async () => {
    const source = await openTestDataSource([], 'backupenc');
    const sourceUrl = (source.options as { url: string }).url;
    await source.query(`INSERT INTO residents (common_id, login_id, password_hash, display_name) VALUES ('6543210987654321', 'encrypted.backup', 'x', '暗号化 太郎')`);
    const before = await counts(source);
    await source.destroy();
    const dir = mkdtempSync(join(tmpdir(), 'tsunagu-backups-enc-'));
    const key = randomBytes(32).toString('base64url');
    try {
      // Production without a key: refused, nothing written.
      const refused = await cli('backup.js', { DATABASE_URL: sourceUrl, BACKUP_DIR: dir, NODE_ENV: 'production', SEED_DEMO: 'false', KEY_ENCRYPTION_KEY: 'e'.repeat(43), PUBLIC_URL: 'https://id.example.jp', REDIS_URL: 'redis://127.0.0.1:6379' });
      expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('Refusing to write an unencrypted backup in production') });
      expect(readdirSync(dir)).toEqual([]);

      const backup = await cli('backup.js', { DATABASE_URL: sourceUrl, BACKUP_DIR: dir, BACKUP_ENCRYPTION_KEY: key });
      expect(backup).toMatchObject({ code: 0, stdout: expect.stringContaining('AES-256-GCM encrypted, read back and verified') });
      const written = /Backup written: (\S+)/.exec(backup.stdout)![1];
      expect(written).toMatch(/tsunagu-\d{8}T\d{6}Z\.dump\.enc$/);
      const bytes = readFileSync(written);
      expect(bytes.subarray(0, 8).toString()).toBe('TSGBAK01');
      expect(bytes.includes(Buffer.from('PGDMP'))).toBe(false);
      expect(bytes.includes(Buffer.from('encrypted.backup'))).toBe(false);
      expect(statSync(written).mode & 0o777).toBe(0o600);

      const damaged = [
        ['truncated', bytes.subarray(0, bytes.length - 100)],
        ['altered', Buffer.from(bytes.map((b, i) => (i === Math.floor(bytes.length / 2) ? b ^ 0x01 : b)))],
      ] as const;
      const empty = await createTestDatabase('backupencdst');
      for (const [name, content] of damaged) {
        const copy = join(dir, `${name}.dump.enc`);
        writeFileSync(copy, content);
        const res = await cli('restore.js', { DATABASE_URL: empty, BACKUP_ENCRYPTION_KEY: key }, [copy]);
        expect({ name, code: res.code, stderr: res.stderr }).toEqual({ name, code: 1, stderr: expect.stringContaining('truncated or was altered') });
      }
      expect(await cli('restore.js', { DATABASE_URL: empty }, [written])).toMatchObject({ code: 2, stderr: expect.stringContaining('set BACKUP_ENCRYPTION_KEY') });
      expect(await cli('restore.js', { DATABASE_URL: empty, BACKUP_ENCRYPTION_KEY: randomBytes(32).toString('base64url') }, [written]))
        .toMatchObject({ code: 1, stderr: expect.stringContaining('another BACKUP_ENCRYPTION_KEY') });
      // Nothing of the refused attempts reached the database.
      const check = new Client({ connectionString: empty });
      await check.connect();
      expect((await check.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0].n).toBe(0);
      await check.end();

      const restore = await cli('restore.js', { DATABASE_URL: empty, BACKUP_ENCRYPTION_KEY: key }, [written]);
      expect(restore).toMatchObject({ code: 0, stdout: expect.stringContaining('Audit chain intact') });
      const target = new DataSource(dataSourceOptions({ url: empty, embedded: false, entities: [], migrations: [] }));
      await target.initialize();
      try {
        expect(await counts(target)).toEqual(before);
      } finally {
        await target.destroy();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
