import { hashPin, pinMatches } from './pin-hash';

describe(hashPin.name, () => {
  it('stores a salted scrypt hash, never the PIN', async () => {
    const a = await hashPin('1111');
    const b = await hashPin('1111');
    expect(a).toMatch(/^scrypt\$16384\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(a).not.toContain('1111');
    expect(a).not.toBe(b);
  });

  it('matches the right PIN only', async () => {
    const stored = await hashPin('2222');
    await expect(pinMatches('2222', stored)).resolves.toBe(true);
    await expect(pinMatches('2223', stored)).resolves.toBe(false);
  });

  it('never matches a malformed hash', async () => {
    await expect(pinMatches('1111', 'plain$1111')).resolves.toBe(false);
    await expect(pinMatches('1111', '')).resolves.toBe(false);
  });
});
