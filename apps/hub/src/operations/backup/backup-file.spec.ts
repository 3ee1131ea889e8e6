import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { BackupIntegrityError, decryptTo, encryptTo, isEncryptedBackup, parseBackupKey } from './backup-file';

function collector(): { sink: Writable; data: () => Buffer } {
  const chunks: Buffer[] = [];
  return { sink: new Writable({ write(c, _e, done) { chunks.push(c); done(); } }), data: () => Buffer.concat(chunks) };
}

describe('encrypted backup file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-backup-file-'));
  const key = randomBytes(32);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a large archive, and the file reveals none of it', async () => {
    const plain = Buffer.concat([Buffer.from('PGDMP 住民 tottori.taro '), randomBytes(3 * 1024 * 1024)]);
    const file = join(dir, 'a.dump.enc');
    await encryptTo(Readable.from([plain.subarray(0, 1000), plain.subarray(1000)]), file, key);
    expect(isEncryptedBackup(file)).toBe(true);
    expect(readFileSync(file).includes(Buffer.from('tottori.taro'))).toBe(false);
    const out = collector();
    await decryptTo(file, out.sink, key);
    expect(out.data().equals(plain)).toBe(true);
  });

  it.each([
    ['a flipped byte in the data', (f: string) => { const b = readFileSync(f); b[100] ^= 1; writeFileSync(f, b); }, /truncated or was altered/],
    ['a flipped byte in the header IV', (f: string) => { const b = readFileSync(f); b[20] ^= 1; writeFileSync(f, b); }, /truncated or was altered/],
    ['a cut end', (f: string) => truncateSync(f, 5000), /truncated or was altered/],
    ['a cut to the header', (f: string) => truncateSync(f, 30), /truncated/],
  ])('refuses %s', async (_name, damage, message) => {
    const file = join(dir, `${randomBytes(4).toString('hex')}.enc`);
    await encryptTo(Readable.from([randomBytes(20_000)]), file, key);
    damage(file);
    await expect(decryptTo(file, new PassThrough().resume(), key)).rejects.toThrow(BackupIntegrityError);
    await expect(decryptTo(file, new PassThrough().resume(), key)).rejects.toThrow(message);
  });

  it('tells another key apart from an altered file', async () => {
    const file = join(dir, 'k.enc');
    await encryptTo(Readable.from([Buffer.from('x')]), file, key);
    await expect(decryptTo(file, new PassThrough().resume(), randomBytes(32))).rejects.toThrow(/another BACKUP_ENCRYPTION_KEY/);
  });

  it('takes a 32-byte base64url key only', () => {
    const text = randomBytes(32).toString('base64url');
    expect(parseBackupKey(text)).toHaveLength(32);
    expect(() => parseBackupKey('short')).toThrow(/32 bytes/);
    expect(() => parseBackupKey(randomBytes(32).toString('base64'))).toThrow(/32 bytes|base64url/);
  });
});
