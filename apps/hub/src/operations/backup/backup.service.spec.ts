import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { DataSource } from 'typeorm';
import { openTestDataSource } from '@tsunagu/testing';
import type { HubConfig } from '../../platform/config/hub.config';
import { decryptTo } from './backup-file';
import { BackupService } from './backup.service';

/**
 * The platform's own backup, on the machine's PostgreSQL (pg_dump), encrypted, when due. The
 * embedded database's backup (PGlite cannot run inside Jest) is tested with a real hub process in
 * test/embedded-default.e2e-spec.ts.
 */
describe(BackupService.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-backup-service-'));
  const key = randomBytes(32);
  let db: DataSource;
  const config = (over: Partial<HubConfig> = {}) => ({
    DATA_DIR: dir, BACKUP_DIR: join(dir, 'backups'), BACKUP_KEEP_DAILY: 7, BACKUP_EVERY_HOURS: 24, NODE_ENV: 'development',
    BACKUP_ENCRYPTION_KEY: key.toString('base64url'), DATABASE_URL: (db.options as { url: string }).url, ...over,
  }) as HubConfig;

  beforeAll(async () => {
    db = await openTestDataSource([], 'backupsvc');
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up encrypted, then not again until the interval has passed', async () => {
    const service = new BackupService(config());
    const first = await service.backUpIfDue();
    expect(first).toMatchObject({ encrypted: true, removed: [] });
    expect(first!.file).toMatch(/tsunagu-\d{8}T\d{6}Z\.dump\.enc$/);
    expect(readFileSync(first!.file).subarray(0, 8).toString()).toBe('TSGBAK01');
    const chunks: Buffer[] = [];
    const sink = new PassThrough();
    sink.on('data', (c) => chunks.push(c));
    await decryptTo(first!.file, sink, key);
    expect(Buffer.concat(chunks).subarray(0, 5).toString()).toBe('PGDMP');
    expect(service.lastBackupAt()!.getTime()).toBeGreaterThan(Date.now() - 60_000);

    expect(await service.backUpIfDue()).toBeUndefined();
    // A day later (the file's time moved back), it is due again.
    const old = new Date(Date.now() - 25 * 3_600_000);
    utimesSync(first!.file, old, old);
    const second = await service.backUpIfDue(new Date(Date.now() + 1000)); // file names carry the second
    expect(second).toMatchObject({ encrypted: true });
    expect(second!.file).not.toBe(first!.file);
    // Both are of today: only the newer is kept.
    expect(readdirSync(join(dir, 'backups'))).toEqual([second!.file.split('/').pop()]);
  }, 60_000);

  it('refuses to write an unencrypted backup in production', async () => {
    const service = new BackupService(config({ NODE_ENV: 'production', BACKUP_ENCRYPTION_KEY: undefined, BACKUP_DIR: join(dir, 'prod') }));
    expect(await service.backUp()).toBeUndefined();
    expect(() => readdirSync(join(dir, 'prod'))).toThrow();
  });
});
