import { SecretBox } from './secret-box';

describe(SecretBox.name, () => {
  const box = new SecretBox(SecretBox.generateKey());

  it('round-trips a secret', () => {
    expect(box.open(box.seal('private', 'kid-1'), 'kid-1')).toBe('private');
  });

  it('refuses a ciphertext moved to another context', () => {
    expect(() => box.open(box.seal('private', 'kid-1'), 'kid-2')).toThrow();
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = box.seal('private', 'kid-1');
    const last = sealed.at(-1) === 'A' ? 'B' : 'A';
    expect(() => box.open(sealed.slice(0, -1) + last, 'kid-1')).toThrow();
  });

  it('refuses a key of the wrong size', () => {
    expect(() => new SecretBox('c2hvcnQ')).toThrow(/32 bytes/);
  });
});
