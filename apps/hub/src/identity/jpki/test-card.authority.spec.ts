import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrlRevocationSource, CrlStore, JpkiVerifier, OcspClient, isJpkiError } from '@tsunagu/jpki';
import { TestCardAuthority } from './test-card.authority';

describe(TestCardAuthority.name, () => {
  let dir: string;
  let authority: TestCardAuthority;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jpki-test-card-'));
    authority = new TestCardAuthority(dir);
    await authority.init();
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const crlVerifier = async () => {
    const store = new CrlStore({ issuers: authority.trustAnchors });
    for (const der of await authority.currentCrls()) await store.load(der);
    return { store, verifier: new JpkiVerifier({ trustAnchors: authority.trustAnchors, crlStore: store }) };
  };
  const ocspVerifier = () => new JpkiVerifier({
    trustAnchors: authority.trustAnchors,
    revocation: new OcspClient({ issuers: authority.trustAnchors, transport: (request) => authority.ocsp(request) }),
  });
  const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (isJpkiError(e) ? e.code : Promise.reject(e)));

  it('has the real shape: two self-signed root generations under one DN, no intermediate', () => {
    expect(authority.trustAnchors).toHaveLength(2);
    expect(authority.intermediates).toEqual([]);
  });

  it('issues a card that verifies through the partitioned CRLs and through OCSP', async () => {
    const card = await authority.cardFor('resident-1', '鳥取　花子');
    const { verifier } = await crlVerifier();

    const byCrl = await verifier.verifyCertificate(card.der);
    expect(byCrl.policy).toBe('1.2.392.200149.8.5.1.1.20');
    expect(byCrl.crlDistributionPoints[0]).toMatch(/^dirName:.*Tottori-shi/);
    expect(byCrl.attributes.nameSubstitute).toBe('00000');
    await expect(ocspVerifier().verifyCertificate(card.der)).resolves.toMatchObject({ revocation: { source: 'ocsp', status: 'good' } });
  });

  it.each(['affiliationChanged', 'keyCompromise', 'cessationOfOperation'] as const)(
    'revokes a card with reason %s: the next CRLs list it and OCSP answers revoked',
    async (reason) => {
      const card = await authority.cardFor(`resident-${reason}`, '倉吉　次郎');
      await authority.revoke(card.serialNumber, reason);

      const { store, verifier } = await crlVerifier();
      expect(await codeOf(verifier.verifyCertificate(card.der))).toBe('jpki_certificate_revoked');
      expect(await codeOf(ocspVerifier().verifyCertificate(card.der))).toBe('jpki_certificate_revoked');
      const [status] = new CrlRevocationSource(store).statusMany([{
        issuer: card.issuer, serialNumber: card.serialNumber, crlDistributionPoints: (await verifierless(card.der)),
      }], new Date());
      expect(status).toMatchObject({ status: 'revoked', reason });
    },
  );

  it('keeps its keys and revocations across restarts', async () => {
    const card = await authority.cardFor('resident-keyCompromise', '倉吉　次郎');
    const again = new TestCardAuthority(dir);
    await again.init();

    expect(again.trustAnchors).toEqual(authority.trustAnchors);
    const store = new CrlStore({ issuers: again.trustAnchors });
    for (const der of await again.currentCrls()) await store.load(der);
    const v = new JpkiVerifier({ trustAnchors: again.trustAnchors, crlStore: store });
    expect(await codeOf(v.verifyCertificate(card.der))).toBe('jpki_certificate_revoked');
  }, 60_000);

  /** The card's distribution point names, as a verification would have reported them. */
  async function verifierless(der: Uint8Array): Promise<string[]> {
    const store = new CrlStore({ issuers: authority.trustAnchors });
    for (const crl of await authority.currentCrls()) await store.load(crl);
    const v = new JpkiVerifier({ trustAnchors: authority.trustAnchors, revocation: { status: async () => ({ status: 'good', thisUpdate: new Date(), source: 'test' }) } });
    return (await v.verifyCertificate(der)).crlDistributionPoints as string[];
  }
});
