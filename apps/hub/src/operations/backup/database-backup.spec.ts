import { existsSync, readFileSync, statSync } from 'node:fs';
import { withClientConnection } from './database-backup';

describe(withClientConnection.name, () => {
  it('hands the client tools a URL without the password, the password in a private passfile removed afterwards', async () => {
    let passfile = '';
    await withClientConnection('postgres://tsunagu:s3cr:et%5C@db.example:5432/tsunagu', async (url) => {
      const parsed = new URL(url);
      expect(parsed.password).toBe('');
      expect(url).not.toContain('s3cr');
      passfile = parsed.searchParams.get('passfile')!;
      expect(statSync(passfile).mode & 0o777).toBe(0o600);
      expect(readFileSync(passfile, 'utf8')).toBe('*:*:*:*:s3cr\\:et\\\\\n');
    });
    expect(existsSync(passfile)).toBe(false);
  });

  it('leaves a URL without a password as it is', async () => {
    expect(await withClientConnection('postgres://postgres@127.0.0.1:5432/x', async (url) => url)).toBe('postgres://postgres@127.0.0.1:5432/x');
  });
});
