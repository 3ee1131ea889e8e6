import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { decryptTo, encryptTo } from './backup-file';

/**
 * `tsunagu-20261122T031500Z.dump[.enc]` (pg_dump custom format) or `….pglite.tgz[.enc]` (the
 * embedded database's data folder): the UTC time the backup started. Sorting by name sorts by time.
 */
export const BACKUP_FILE = /^tsunagu-(\d{8})T(\d{6})Z\.(dump|pglite\.tgz)(\.enc)?$/;

/**
 * Runs `work` with a connection URL for the PostgreSQL client tools that carries no password
 * (it would show in the process list): the password goes into a private password file (0600, in
 * a 0700 folder) named by libpq's `passfile` parameter, removed afterwards.
 */
export async function withClientConnection<T>(databaseUrl: string, work: (url: string) => Promise<T>): Promise<T> {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  if (!password) return work(url.toString());
  url.password = '';
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-pgpass-'));
  try {
    const passfile = join(dir, 'pgpass');
    writeFileSync(passfile, `*:*:*:*:${password.replace(/[\\:]/g, '\\$&')}\n`, { mode: 0o600 });
    url.searchParams.set('passfile', passfile);
    return await work(url.toString());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a client tool (it inherits the process's environment); rejects with its stderr when it fails. `feed` writes its stdin. */
export function run(command: string, args: string[], feed?: (stdin: Writable) => Promise<void>): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: [feed ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
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
function dumpEncrypted(url: string, file: string, key: Buffer): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('pg_dump', ['--format=custom', '--compress=6', '--no-password', `--dbname=${url}`], { stdio: ['ignore', 'pipe', 'pipe'] });
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

/** The newest backup in `dir` and when it was written, or undefined. */
export function newestBackup(dir: string): { name: string; at: Date } | undefined {
  if (!existsSync(dir)) return undefined;
  const name = readdirSync(dir).filter((n) => BACKUP_FILE.test(n)).sort().pop();
  return name ? { name, at: statSync(join(dir, name)).mtime } : undefined;
}

/** What to back up: a PostgreSQL server (pg_dump), or the embedded database's folder (a tar.gz it dumps itself). */
export type BackupSource = { kind: 'server'; databaseUrl: string } | { kind: 'embedded'; dumpDataDir: () => Promise<Buffer> };

export interface BackupResult {
  file: string;
  bytes: number;
  encrypted: boolean;
  removed: string[];
}

/**
 * Writes one backup into `dir` (0700; the file 0600), first under a `.partial` name, checked, then
 * renamed — a failed backup never looks like one: with a key, encrypted as it is written (never in
 * clear on disk), then read back whole (tag verified; a server dump also listed by pg_restore).
 * Then only the newest backup of each of the last `keepDays` days is kept. Other files stay.
 */
export async function writeBackup(source: BackupSource, dir: string, keepDays: number, key: Buffer | undefined, now = new Date()): Promise<BackupResult> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `tsunagu-${stamp(now)}.${source.kind === 'server' ? 'dump' : 'pglite.tgz'}${key ? '.enc' : ''}`);
  if (existsSync(file)) throw new Error(`${file} exists already: wait a second and run the backup again`);
  const partial = `${file}.partial`;
  try {
    if (source.kind === 'server') {
      await withClientConnection(source.databaseUrl, async (url) => {
        if (key) {
          await dumpEncrypted(url, partial, key);
          await run('pg_restore', ['--list'], (stdin) => decryptTo(partial, stdin, key));
        } else {
          await run('pg_dump', ['--format=custom', '--compress=6', '--no-password', `--file=${partial}`, `--dbname=${url}`]);
          // A dump that pg_restore cannot list is no backup.
          await run('pg_restore', ['--list', partial]);
        }
      });
    } else {
      const archive = await source.dumpDataDir();
      if (archive.length < 512 || archive[0] !== 0x1f || archive[1] !== 0x8b) throw new Error('the embedded database gave no gzip archive of its folder');
      if (key) {
        await encryptTo(Readable.from([archive]), partial, key);
        let length = 0;
        await decryptTo(partial, new Writable({ write(chunk: Buffer, _e, done) { length += chunk.length; done(); } }), key);
        if (length !== archive.length) throw new Error('the encrypted backup reads back shorter than written');
      } else {
        writeFileSync(partial, archive, { mode: 0o600 });
      }
    }
    chmodSync(partial, 0o600);
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  const removed = backupsToRemove(readdirSync(dir), keepDays);
  for (const name of removed) rmSync(join(dir, name));
  return { file, bytes: statSync(file).size, encrypted: !!key, removed };
}
