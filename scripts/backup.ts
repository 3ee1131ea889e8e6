import { join, resolve } from 'node:path';
import { AppLogger, configureLogger, LogKind } from '@tsunagu/logger';
import { loadHubConfig } from '../apps/hub/src/platform/config/hub.config';
import { parseBackupKey } from '../apps/hub/src/operations/backup/backup-file';
import { writeBackup } from '../apps/hub/src/operations/backup/database-backup';

export { BACKUP_FILE, backupsToRemove, run, withClientConnection } from '../apps/hub/src/operations/backup/database-backup';

export const EMBEDDED_MESSAGE = [
  'Backups need a PostgreSQL server: DATABASE_URL is not set, so the hub runs on the embedded PGlite database.',
  'pg_dump cannot read it: PGlite reports PostgreSQL 18 and the pg_dump on this machine (15) refuses a newer server;',
  'and only one process may open it at a time. The running hub backs its embedded database up itself every day',
  '(BACKUP_DIR, docs/backup.md); to copy it by hand, stop the hub and copy the DATA_DIR folder (pglite/ and key-encryption.key).',
].join('\n');

/**
 * `npm run backup`: a pg_dump of DATABASE_URL in PostgreSQL's custom format (compressed with zlib,
 * restored with pg_restore: `npm run restore FILE`), written to BACKUP_DIR as
 * tsunagu-<UTC time>.dump; then only the newest backup of each of the last BACKUP_KEEP_DAILY days
 * is kept. Exit code 0: written; 1: failed; 2: nothing to back up with pg_dump (embedded database).
 */
async function main(): Promise<number> {
  const hub = loadHubConfig();
  configureLogger({ level: hub.LOG_LEVEL });
  const settings = hub;
  const out = (s: string) => process.stdout.write(`${s}\n`);
  if (!hub.DATABASE_URL) {
    process.stderr.write(`${EMBEDDED_MESSAGE}\n`);
    return 2;
  }
  if (!settings.BACKUP_ENCRYPTION_KEY && hub.NODE_ENV === 'production') {
    process.stderr.write('Refusing to write an unencrypted backup in production: set BACKUP_ENCRYPTION_KEY (32 bytes, base64url; keep it apart from the backups). See docs/backup.md.\n');
    return 2;
  }
  const key = settings.BACKUP_ENCRYPTION_KEY ? parseBackupKey(settings.BACKUP_ENCRYPTION_KEY) : undefined;
  const dir = resolve(settings.BACKUP_DIR ?? join(hub.DATA_DIR, 'backups'));
  const result = await writeBackup({ kind: 'server', databaseUrl: hub.DATABASE_URL }, dir, settings.BACKUP_KEEP_DAILY, key);
  out(`Backup written: ${result.file} (${(result.bytes / 1024).toFixed(1)} KiB, pg_dump custom format, compressed${key ? ', AES-256-GCM encrypted, read back and verified' : ', NOT encrypted (set BACKUP_ENCRYPTION_KEY)'})`);
  if (result.removed.length) out(`Removed ${result.removed.length} older backup(s): ${result.removed.join(', ')}`);
  new AppLogger('Backup').log(LogKind.Operation, 'Database backup written', { file: result.file, bytes: result.bytes, removed: result.removed.length, encrypted: !!key });
  return 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code)).catch((error) => {
    process.stderr.write(`Backup failed: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  });
}
