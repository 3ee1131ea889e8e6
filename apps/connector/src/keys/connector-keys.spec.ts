import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, CompactSign } from 'jose';
import { jwkThumbprint } from '@tsunagu/contracts';
import { generateConnectorKeyFile, KeyFileError, readKeyFile, writeKeyFile } from './connector-keys';

const mode = (file: string) => statSync(file).mode & 0o777;

describe('connector key file', () => {
  const root = mkdtempSync(join(tmpdir(), 'connector-keys-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes the private keys with mode 0600 in a 0700 directory', async () => {
    const file = join(root, 'a', 'connector.key.json');
    writeKeyFile(file, await generateConnectorKeyFile());
    expect(mode(file)).toBe(0o600);
    expect(mode(join(root, 'a'))).toBe(0o700);
  });

  it('reads back keys that sign, with the thumbprint as kid', async () => {
    const file = join(root, 'b.key.json');
    const content = await generateConnectorKeyFile();
    writeKeyFile(file, content);
    const { keys } = await readKeyFile(file);
    expect(keys.signing.kid).toBe(await jwkThumbprint(keys.signing.publicJwk));
    expect(keys.signing.publicJwk).not.toHaveProperty('d');
    expect(keys.encryption.kid).not.toBe(keys.signing.kid);
    const jws = await new CompactSign(new TextEncoder().encode('hello')).setProtectedHeader({ alg: 'ES256' }).sign(keys.signing.privateKey);
    await expect(compactVerify(jws, keys.signing.publicJwk as never)).resolves.toBeDefined();
  });

  it('refuses to overwrite an existing key file without rotate', async () => {
    const file = join(root, 'c.key.json');
    writeKeyFile(file, await generateConnectorKeyFile());
    const before = (await readKeyFile(file)).keys.signing.kid;
    expect(() => writeKeyFile(file, { version: 1, createdAt: '', signing: {}, encryption: {} })).toThrow(KeyFileError);
    expect((await readKeyFile(file)).keys.signing.kid).toBe(before);
  });

  it('rotates by keeping the old file aside, both 0600', async () => {
    const dir = mkdtempSync(join(root, 'd-'));
    const file = join(dir, 'k.key.json');
    writeKeyFile(file, await generateConnectorKeyFile());
    const old = (await readKeyFile(file)).keys.signing.kid;
    const retired = writeKeyFile(file, await generateConnectorKeyFile(), { rotate: true, now: new Date('2026-11-22T03:00:00Z') });
    expect(retired).toBe(`${file}.2026-11-22T03-00-00-000Z.retired`);
    expect((await readKeyFile(retired!)).keys.signing.kid).toBe(old);
    expect((await readKeyFile(file)).keys.signing.kid).not.toBe(old);
    expect(mode(retired!)).toBe(0o600);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('refuses a key file that group or others can read', async () => {
    const file = join(root, 'e.key.json');
    writeKeyFile(file, await generateConnectorKeyFile());
    chmodSync(file, 0o644);
    await expect(readKeyFile(file)).rejects.toMatchObject({ problem: 'permissions', message: expect.stringContaining('chmod 600') });
  });

  it('says how to create a missing key file', async () => {
    const file = join(root, 'missing.key.json');
    await expect(readKeyFile(file)).rejects.toMatchObject({ problem: 'missing', message: expect.stringContaining('connector:register') });
    expect(existsSync(file)).toBe(false);
  });
});
