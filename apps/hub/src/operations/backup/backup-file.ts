import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The encrypted backup format (docs/backup.md): AES-256-GCM over the whole pg_dump archive.
 *
 *   magic "TSGBAK01" (8) | key id (8) | IV (12) | ciphertext … | GCM tag (16)
 *
 * The 28-byte header is the GCM's additional authenticated data, so that nothing in the file can
 * be changed without the tag failing. The key id (the first 8 bytes of SHA-256 of the key) tells
 * "another key" apart from "altered" without revealing anything of the key. One IV per file, from
 * the CSPRNG; a key encrypts at most a few thousand files in its life, far below GCM's limits.
 * node:crypto's GCM is used directly: `age` would need a binary on every machine, and the format
 * is twelve lines.
 */
const MAGIC = Buffer.from('TSGBAK01', 'ascii');
const HEADER_BYTES = MAGIC.length + 8 + 12;
const TAG_BYTES = 16;

export class BackupIntegrityError extends Error {}

/** BACKUP_ENCRYPTION_KEY: 32 random bytes, base64url (43 characters), as KEY_ENCRYPTION_KEY. */
export function parseBackupKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64url');
  if (key.length !== 32 || key.toString('base64url') !== text.trim()) throw new Error('BACKUP_ENCRYPTION_KEY: must be 32 bytes, base64url-encoded (43 characters): generate one with `openssl rand -base64 32 | tr "+/" "-_" | tr -d "="`');
  return key;
}

function keyId(key: Buffer): Buffer {
  return createHash('sha256').update(key).digest().subarray(0, 8);
}

/** Whether a file starts like an encrypted backup. */
export function isEncryptedBackup(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(MAGIC);
  } finally {
    closeSync(fd);
  }
}

/** Encrypts `source` (e.g. pg_dump's stdout) into `file`; resolves when the file is complete and flushed. */
export async function encryptTo(source: Readable, file: string, key: Buffer): Promise<void> {
  const iv = randomBytes(12);
  const header = Buffer.concat([MAGIC, keyId(key), iv]);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(header);
  const out = createWriteStream(file, { mode: 0o600, flags: 'wx' });
  out.write(header);
  const withTag = new Transform({
    transform(chunk, _enc, done) { done(null, chunk); },
    flush(done) { done(null, cipher.getAuthTag()); },
  });
  // The tag is appended after the cipher's final block (flush runs after cipher.final()).
  await pipeline(source, cipher, withTag, out);
}

/**
 * Decrypts `file` into `sink`. The plaintext streams out before the tag is checked (GCM cannot do
 * otherwise in one pass), so callers write it somewhere they can throw away (a temporary file, or
 * `pg_restore --list`) and use it only once this resolves; a truncated file, an altered byte or
 * another key rejects with {@link BackupIntegrityError}.
 */
export async function decryptTo(file: string, sink: Writable, key: Buffer): Promise<void> {
  const fd = openSync(file, 'r');
  let header: Buffer;
  let tag: Buffer;
  let size: number;
  try {
    size = fstatSync(fd).size;
    if (size < HEADER_BYTES + TAG_BYTES) throw new BackupIntegrityError('the backup is truncated (shorter than its header and tag)');
    header = Buffer.alloc(HEADER_BYTES);
    readSync(fd, header, 0, HEADER_BYTES, 0);
    tag = Buffer.alloc(TAG_BYTES);
    readSync(fd, tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    closeSync(fd);
  }
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupIntegrityError('not an encrypted Tsunagu backup');
  if (!header.subarray(MAGIC.length, MAGIC.length + 8).equals(keyId(key))) throw new BackupIntegrityError('the backup was encrypted with another BACKUP_ENCRYPTION_KEY');
  const decipher = createDecipheriv('aes-256-gcm', key, header.subarray(MAGIC.length + 8));
  decipher.setAAD(header);
  decipher.setAuthTag(tag);
  const body = size - HEADER_BYTES - TAG_BYTES;
  const ciphertext = body > 0 ? createReadStream(file, { start: HEADER_BYTES, end: HEADER_BYTES + body - 1 }) : Readable.from([]);
  try {
    await pipeline(ciphertext, decipher, sink);
  } catch (error) {
    if ((error as Error).message.includes('authenticate')) throw new BackupIntegrityError('the backup is truncated or was altered (its authentication tag does not match): refused');
    throw error;
  }
}
