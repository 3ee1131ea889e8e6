import { KeyEncryptionKeyMismatchError, SecretBox } from './secret-box';

describe(SecretBox.name, () => {
  const box = new SecretBox(SecretBox.generateKey());

  it('round-trips a secret', () => {
    expect(box.open(box.seal('private', 'kid-1'), 'kid-1')).toBe('private');
  });

  it('refuses a ciphertext moved to another context', () => {
    expect(() => box.open(box.seal('private', 'kid-1'), 'kid-2')).toThrow();
  });

  it('refuses a tampered ciphertext', () => {
    const [version, iv, tag, data] = box.seal('private', 'kid-1').split('.');
    // Flip one bit of the ciphertext bytes (not of the base64 text, whose last character can
    // carry only padding bits).
    const bytes = Buffer.from(data, 'base64url');
    bytes[0] ^= 0x01;
    expect(() => box.open([version, iv, tag, bytes.toString('base64url')].join('.'), 'kid-1')).toThrow();
  });

  it('says which setting is wrong when another key encryption key opens the secret', () => {
    const sealed = box.seal('private', 'kid-1');
    const other = new SecretBox(SecretBox.generateKey());
    expect(() => other.open(sealed, 'kid-1')).toThrow(KeyEncryptionKeyMismatchError);
    expect(() => other.open(sealed, 'kid-1')).toThrow(/KEY_ENCRYPTION_KEY does not open the secret "kid-1".*same key/);
  });

  it('refuses a key of the wrong size', () => {
    expect(() => new SecretBox('c2hvcnQ')).toThrow(/32 bytes/);
  });
});
