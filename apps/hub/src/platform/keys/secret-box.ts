import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A sealed secret that does not open with this process's KEY_ENCRYPTION_KEY: the key differs from
 * the one that sealed it (a replica or worker configured with another key) or the row was altered.
 */
export class KeyEncryptionKeyMismatchError extends Error {
  constructor(readonly context: string) {
    super(`KEY_ENCRYPTION_KEY does not open the secret "${context}" kept in the database: this process has another KEY_ENCRYPTION_KEY than the one that sealed it `
      + '(every hub replica and the worker must share the same key; see docs/operations.md), or the stored value was altered.');
  }
}

/**
 * AES-256-GCM envelope for secrets kept in the database (private signing keys, client secrets,
 * cookie keys). The key comes from KEY_ENCRYPTION_KEY; a database dump alone reveals no secret.
 * Format: v1.<iv>.<tag>.<ciphertext>, base64url.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(keyBase64Url: string) {
    this.key = Buffer.from(keyBase64Url, 'base64url');
    if (this.key.length !== 32) throw new Error('The key encryption key must be 32 bytes (base64url)');
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64url');
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  /** @param context binds the ciphertext to its row, so a sealed value cannot be moved to another. */
  open(sealed: string, context: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('Unknown sealed secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      // GCM's tag check is the only failure left here: a wrong key or altered bytes.
      throw new KeyEncryptionKeyMismatchError(context);
    }
  }
}
