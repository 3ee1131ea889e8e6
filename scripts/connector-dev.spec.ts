import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevSetupRefused, devTokens, ensureApproved, DEMO_CONNECTORS, refuseInProduction } from './connector-dev';

describe('connector-dev (the development setup of npm start)', () => {
  const saved = process.env.NODE_ENV;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'connector-dev-'));
  });
  afterEach(() => {
    process.env.NODE_ENV = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses with NODE_ENV=production, before registering or approving anything', async () => {
    process.env.NODE_ENV = 'production';
    expect(() => refuseInProduction()).toThrow(DevSetupRefused);
    await expect(ensureApproved(dir, DEMO_CONNECTORS[0], 'http://127.0.0.1:9', () => undefined)).rejects.toThrow(/NODE_ENV=production/);
  });

  it('generates the shared tokens once (0600) and reuses them on the next start', () => {
    const first = devTokens(dir);
    const file = join(dir, 'data', 'connectors', 'dev-tokens.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    for (const c of DEMO_CONNECTORS) {
      expect(first[c.name].serviceToken.length).toBeGreaterThanOrEqual(16);
      expect(first[c.name].sdkToken).not.toBe(first[c.name].serviceToken);
    }
    expect(devTokens(dir)).toEqual(first);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first);
  });
});
