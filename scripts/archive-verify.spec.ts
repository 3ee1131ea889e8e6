import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { TENANT_ARCHIVE_JWS_TYPE, type TenantArchive } from '@tsunagu/contracts';
import { runArchiveVerify } from './archive-verify';

/** `archive:verify` offline: a signed archive verifies and prints its handover record; an altered byte, another typ or a bad file does not. */
describe('archive:verify', () => {
  let jwks: { keys: JWK[] };
  let sign: (payload: object, typ?: string) => Promise<string>;
  const archive: TenantArchive = {
    archiveId: '7b0c3c9e-4f5e-4b51-9d44-0d6f9c1c2a11', issuer: 'https://hub.example.jp', issuedAt: '2026-12-03T01:00:00.000Z',
    handover: {
      name: { ja: '三朝町', en: 'Misasa Town' }, recipient: '三朝町 総務課', contractName: '利用契約', handedOverAt: '2026-12-03T01:00:00.000Z', exportedBy: 'system-admin',
      items: [{ item: 'consents', name: { ja: '同意', en: 'Consents' }, count: 2 }],
    },
    tenant: { id: 't-1', code: 'misasa', nameJa: '三朝町', nameEn: 'Misasa Town', kind: 'municipality', createdAt: '2026-01-01T00:00:00.000Z' },
    services: [], connectors: [], offers: [], dataUses: [], agreements: [],
    consents: [{ consentId: 'c-1', dataUse: 'misasa-health.onsen-spending', subject: 'pairwise-1', version: 1, state: 'active', items: ['cashless.monthly-spending'], validFrom: '2026-11-01T00:00:00.000Z', validUntil: null }],
  };

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    jwks = { keys: [{ ...await exportJWK(publicKey), kid: 'k1', alg: 'ES256', use: 'sig' }] };
    sign = (payload, typ = TENANT_ARCHIVE_JWS_TYPE) => new SignJWT({ ...payload }).setProtectedHeader({ alg: 'ES256', typ, kid: 'k1' }).sign(privateKey);
  });

  async function verify(document: string, extra: string[] = []): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const files: Record<string, string> = { 'archive.json': document, 'jwks.json': JSON.stringify(jwks) };
    const code = await runArchiveVerify(['archive.json', '--jwks', 'jwks.json', ...extra], (l) => lines.push(l), (f) => {
      if (!(f in files)) throw new Error('no such file');
      return files[f];
    });
    return { code, out: lines.join('\n') };
  }

  it('verifies a downloaded archive and prints the handover record and its SHA-256', async () => {
    const jws = await sign(archive);
    const { code, out } = await verify(JSON.stringify({ jws }), ['--issuer', 'https://hub.example.jp']);
    expect(code).toBe(0);
    expect(out).toContain('OK  tenant archive 7b0c3c9e');
    expect(out).toContain('受領者    三朝町 総務課');
    expect(out).toMatch(/SHA-256 {3}[0-9a-f]{64}/);
  });

  it('refuses an altered byte, another document type, another issuer and a malformed file, with exit codes 1 and 2', async () => {
    const jws = await sign(archive);
    const [h, p, s] = jws.split('.');
    const altered = `${h}.${Buffer.from(Buffer.from(p, 'base64url').toString('utf8').replace('"count":2', '"count":3')).toString('base64url')}.${s}`;
    expect(await verify(altered)).toMatchObject({ code: 1, out: expect.stringContaining('NOT VERIFIED (signature)') });
    expect(await verify(await sign(archive, 'erasure-certificate+jws'))).toMatchObject({ code: 1, out: expect.stringContaining('NOT VERIFIED (header)') });
    expect(await verify(await sign({ ...archive, extra: 1 }))).toMatchObject({ code: 1, out: expect.stringContaining('NOT VERIFIED (schema)') });
    expect(await verify(jws, ['--issuer', 'https://other.example.jp'])).toMatchObject({ code: 1, out: expect.stringContaining('NOT VERIFIED (issuer)') });
    expect(await verify('{"no":"jws"}')).toMatchObject({ code: 2, out: expect.stringContaining('no "jws"') });
    expect((await runArchiveVerify([], () => undefined))).toBe(2);
  });
});
