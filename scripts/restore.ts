import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JWK } from 'jose';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@tsunagu/database';
import { AppLogger, configureLogger, LogKind } from '@tsunagu/logger';
import { AuditVerifier } from '../apps/hub/src/audit/audit-verifier';
import { AuditRepository } from '../apps/hub/src/audit/audit.repository';
import { loadHubConfig } from '../apps/hub/src/platform/config/hub.config';
import { StoredReceiptsVerifier } from '../apps/hub/src/consent/stored-receipts-verifier';
import { KeysRepository } from '../apps/hub/src/platform/keys/keys.repository';
import { EMBEDDED_MESSAGE, run, withClientConnection } from './backup';
import { BackupIntegrityError, decryptTo, isEncryptedBackup, parseBackupKey } from '../apps/hub/src/operations/backup/backup-file';

/** Tables, views, sequences… and extensions (other than plpgsql) outside the system schemas. */
async function existingObjects(databaseUrl: string): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
       UNION ALL
       SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
       ORDER BY 1`);
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

/**
 * `npm run restore FILE`: restores a backup made by `npm run backup` into the database of
 * DATABASE_URL, which must be empty (create it with createdb first). pg_restore runs in one
 * transaction and stops at the first error, so a failed restore leaves the database empty.
 * Ownership and grants are not restored: objects belong to the user of DATABASE_URL.
 * Then the audit chain is verified. Exit code 0: restored and intact; 1: failed, or restored
 * with a broken audit chain; 2: refused (usage, embedded database, database not empty).
 */
async function main(): Promise<number> {
  const fail = (s: string) => process.stderr.write(`${s}\n`);
  const arg = process.argv[2];
  if (!arg || arg.startsWith('-')) {
    fail('Usage: npm run restore FILE   (FILE: a tsunagu-<time>.dump written by npm run backup; DATABASE_URL: an empty database)');
    return 2;
  }
  const file = resolve(arg);
  if (!existsSync(file)) {
    fail(`No such backup file: ${file}`);
    return 2;
  }
  const hub = loadHubConfig();
  configureLogger({ level: hub.LOG_LEVEL });
  if (!hub.DATABASE_URL) {
    fail(EMBEDDED_MESSAGE);
    return 2;
  }
  const target = new URL(hub.DATABASE_URL).pathname.slice(1) || '(default)';
  let archive = file;
  let scratch: string | undefined;
  if (isEncryptedBackup(file)) {
    const keyText = hub.BACKUP_ENCRYPTION_KEY;
    if (!keyText) {
      fail(`${file} is encrypted: set BACKUP_ENCRYPTION_KEY to the key it was written with.`);
      return 2;
    }
    // Decrypted into a private temporary folder and used only once the whole file authenticated.
    scratch = mkdtempSync(join(tmpdir(), 'tsunagu-restore-'));
    archive = join(scratch, 'archive.dump');
    try {
      await decryptTo(file, createWriteStream(archive, { mode: 0o600 }), parseBackupKey(keyText));
    } catch (error) {
      rmSync(scratch, { recursive: true, force: true });
      if (error instanceof BackupIntegrityError) {
        fail(`Refusing to restore ${file}: ${error.message}. Nothing was changed.`);
        return 1;
      }
      throw error;
    }
  }
  try {
    return await withClientConnection(hub.DATABASE_URL, (url) => restoreArchive(archive, file, hub.DATABASE_URL!, url, target));
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function restoreArchive(archive: string, file: string, databaseUrl: string, url: string, target: string): Promise<number> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  const fail = (s: string) => process.stderr.write(`${s}\n`);
  await run('pg_restore', ['--list', archive]).catch(() => {
    throw new Error(`${file} is not a pg_dump custom-format archive`);
  });
  const objects = await existingObjects(databaseUrl);
  if (objects.length) {
    const sample = objects.slice(0, 5).join(', ');
    fail(`Refusing to restore: database "${target}" is not empty (${objects.length} object(s), e.g. ${sample}${objects.length > 5 ? ', …' : ''}).`);
    fail('Restore only into a new, empty database: create one (createdb NAME), point DATABASE_URL at it and run again.');
    return 2;
  }

  await run('pg_restore', ['--exit-on-error', '--single-transaction', '--no-owner', '--no-acl', '--no-password', `--dbname=${url}`, archive]);
  out(`Restored ${file} into database "${target}".`);
  new AppLogger('Restore').log(LogKind.Operation, 'Database restored from backup', { file, database: target });

  const ds = new DataSource(dataSourceOptions({ url: databaseUrl, embedded: false, entities: [], migrations: [] }));
  await ds.initialize();
  try {
    const tables = await ds.query(`SELECT to_regclass('audit_events') IS NOT NULL AS present`);
    if (!tables[0].present) {
      out('The backup holds no audit chain (made before the audit migration): nothing to verify.');
      return 0;
    }
    const result = await new AuditVerifier(new AuditRepository(ds),
      async () => (await new KeysRepository(ds).listSigningKeys()).map((k) => k.public_jwk as JWK)).verify();
    if (!result.ok) {
      fail(`Restored, but the audit chain is BROKEN at seq ${result.break!.seq}: ${result.break!.reason}.`);
      return 1;
    }
    out(`Audit chain intact: ${result.rows} rows${result.rows ? ` (seq ${result.firstSeq}–${result.lastSeq})` : ''}, ${result.checkpointsVerified} signed checkpoint(s) verified.`);
    // The consent receipts, as receipt:verify checks a resident's chain: signatures and links.
    const receipts = await new StoredReceiptsVerifier(ds).verify();
    if (!receipts.ok) {
      const first = receipts.broken[0];
      fail(`Restored, but consent receipts do NOT verify for ${receipts.broken.length} resident(s), e.g. ${first.residentId}: ${first.findings.map((f) => f.message).join('; ')}.`);
      return 1;
    }
    out(`Consent receipts intact: ${receipts.receipts} receipt(s) of ${receipts.residents} resident(s), every signature and chain verified.`);
    return 0;
  } finally {
    await ds.destroy();
  }
}

main().then((code) => process.exit(code)).catch((error) => {
  process.stderr.write(`Restore failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
