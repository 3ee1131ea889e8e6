import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { JSONSchemaType } from 'ajv';
import { loadConfig } from '@tsunagu/config';
import { AppLogger, configureLogger, LogKind } from '@tsunagu/logger';
import { loadHubConfig } from '../apps/hub/src/platform/config/hub.config';
import { decryptTo, encryptTo, parseBackupKey } from './backup-file';

/** Settings of `npm run backup` (docs/backup.md). */
export interface BackupConfig {
  /** Where dumps go; default DATA_DIR/backups (./data/backups). */
  BACKUP_DIR?: string;
  /** How many days keep a backup (the newest of each day). */
  BACKUP_KEEP_DAILY: number;
  /** Secret: 32 bytes base64url; backups are AES-256-GCM encrypted with it (required in production). */
  BACKUP_ENCRYPTION_KEY?: string;
}

const backupConfigSchema: JSONSchemaType<BackupConfig> = {
  type: 'object',
  properties: {
    BACKUP_DIR: { type: 'string', minLength: 1, nullable: true },
    BACKUP_KEEP_DAILY: { type: 'integer', minimum: 1, default: 7 },
    BACKUP_ENCRYPTION_KEY: { type: 'string', minLength: 1, maxLength: 100, nullable: true, sensitive: true },
  },
  required: ['BACKUP_KEEP_DAILY'],
  additionalProperties: false,
};

/** `tsunagu-20261122T031500Z.dump`: the UTC time the dump started. Sorting by name sorts by time. */
export const BACKUP_FILE = /^tsunagu-(\d{8})T(\d{6})Z\.dump(\.enc)?$/;

export const EMBEDDED_MESSAGE = [
  'Backups need a PostgreSQL server: DATABASE_URL is not set, so the hub runs on the embedded PGlite database.',
  'pg_dump cannot read it: PGlite reports PostgreSQL 18 and the pg_dump on this machine (15) refuses a newer server;',
  'and only one process may open it at a time. To keep a copy of the embedded development database, stop the hub',
  'and copy the DATA_DIR folder (pglite/ and key-encryption.key). See docs/backup.md.',
].join('\n');

/**
 * Connection arguments for the PostgreSQL client tools: the URL without its password (which would
 * show in the process list), the password in PGPASSWORD.
 */
export function clientConnection(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/** Runs a client tool; rejects with its stderr when it fails. `feed` writes its stdin. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, feed?: (stdin: Writable) => Promise<void>): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env, stdio: [feed ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let fed: Error | undefined;
    // pg_restore may stop reading early (a broken archive): its exit code says why, not EPIPE.
    child.stdin?.on('error', () => undefined);
    if (feed) feed(child.stdin!).catch((error: Error) => { fed = error; child.kill(); });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    child.once('error', (error) => reject(new Error(`${command} could not be started (${error.message}): install the PostgreSQL client tools`)));
    child.once('close', (code) => (fed ? reject(fed) : code === 0 ? resolvePromise(out) : reject(new Error(`${command} failed (exit ${code}): ${err.trim()}`))));
  });
}

/** Runs pg_dump with its archive on stdout, encrypted into `file` as it streams. */
function dumpEncrypted(url: string, env: NodeJS.ProcessEnv, file: string, key: Buffer): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('pg_dump', ['--format=custom', '--compress=6', '--no-password', `--dbname=${url}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.once('error', (error) => reject(new Error(`pg_dump could not be started (${error.message}): install the PostgreSQL client tools`)));
    const written = encryptTo(child.stdout, file, key);
    child.once('close', (code) => {
      written.then(() => (code === 0 ? resolvePromise() : reject(new Error(`pg_dump failed (exit ${code}): ${err.trim()}`))), reject);
    });
  });
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Which backups to delete: the newest backup of each of the `keepDays` most recent days stays,
 * every other one goes (several backups on one day keep only the last).
 */
export function backupsToRemove(names: string[], keepDays: number): string[] {
  const days = new Set<string>();
  const remove: string[] = [];
  for (const name of names.filter((n) => BACKUP_FILE.test(n)).sort().reverse()) {
    const day = BACKUP_FILE.exec(name)![1];
    if (!days.has(day) && days.size < keepDays) days.add(day);
    else remove.push(name);
  }
  return remove;
}

/**
 * `npm run backup`: a pg_dump of DATABASE_URL in PostgreSQL's custom format (compressed with zlib,
 * restored with pg_restore: `npm run restore FILE`), written to BACKUP_DIR as
 * tsunagu-<UTC time>.dump; then only the newest backup of each of the last BACKUP_KEEP_DAILY days
 * is kept. Exit code 0: written; 1: failed; 2: nothing to back up with pg_dump (embedded database).
 */
async function main(): Promise<number> {
  const hub = loadHubConfig();
  configureLogger({ level: hub.LOG_LEVEL });
  const settings = loadConfig(backupConfigSchema);
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
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `tsunagu-${stamp(new Date())}.dump${key ? '.enc' : ''}`);
  if (existsSync(file)) throw new Error(`${file} exists already: wait a second and run the backup again`);
  const partial = `${file}.partial`;
  const { url, env } = clientConnection(hub.DATABASE_URL);
  try {
    if (key) {
      // Never on disk in clear: pg_dump's stdout is encrypted as it streams. Then read back whole:
      // the tag must verify and pg_restore must list the decrypted archive.
      await dumpEncrypted(url, env, partial, key);
      await run('pg_restore', ['--list'], env, (stdin) => decryptTo(partial, stdin, key));
    } else {
      await run('pg_dump', ['--format=custom', '--compress=6', '--no-password', `--file=${partial}`, `--dbname=${url}`], env);
      // A dump that pg_restore cannot list is no backup.
      await run('pg_restore', ['--list', partial], env);
    }
    chmodSync(partial, 0o600);
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  const size = statSync(file).size;
  out(`Backup written: ${file} (${(size / 1024).toFixed(1)} KiB, pg_dump custom format, compressed${key ? ', AES-256-GCM encrypted, read back and verified' : ', NOT encrypted (set BACKUP_ENCRYPTION_KEY)'})`);
  const removed = backupsToRemove(readdirSync(dir), settings.BACKUP_KEEP_DAILY);
  for (const name of removed) rmSync(join(dir, name));
  if (removed.length) out(`Removed ${removed.length} older backup(s): ${removed.join(', ')}`);
  new AppLogger('Backup').log(LogKind.Operation, 'Database backup written', { file, bytes: size, removed: removed.length, encrypted: !!key });
  return 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code)).catch((error) => {
    process.stderr.write(`Backup failed: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  });
}
