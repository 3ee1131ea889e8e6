import { CrlRevocationSource, CrlStore } from './crl.store';
import { JpkiError, type JpkiErrorCode } from './jpki.error';
import { JpkiVerifier } from './jpki.verifier';
import { generateLargeCrl, generateTestCa, type TestCa, type TestCrl } from './testing/test-ca';

const NOW = new Date('2026-04-01T00:00:00Z');

async function codeOf(promise: Promise<unknown>): Promise<JpkiErrorCode | 'resolved'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    if (error instanceof JpkiError) return error.code;
    throw error;
  }
}

describe(CrlStore.name, () => {
  let ca: TestCa;
  const newStore = () => new CrlStore({ issuers: [ca.previousRoot.der, ca.signingCa.pem] });

  beforeAll(async () => {
    ca = await generateTestCa({ now: NOW });
  });

  it('loads a CRL signed by its CA and reports its dates, number and entries', async () => {
    const store = newStore();

    const result = await store.load(ca.crls.current.der);

    expect(result).toMatchObject({
      issuer: ca.signingCa.subject,
      thisUpdate: ca.crls.current.thisUpdate,
      nextUpdate: ca.crls.current.nextUpdate,
      revokedCount: 1,
      crlNumber: '02',
      inUse: true,
    });
    expect(store.list()).toHaveLength(1);
    expect(store.findByIssuer(ca.signingCa.subject)[0].isRevoked(ca.residents.revoked.serialNumber)).toBe(true);
    expect(store.findByIssuer(ca.signingCa.subject)[0].isRevoked(ca.residents.valid.serialNumber)).toBe(false);
  });

  it('matches serials regardless of case, colons and leading zero octets', async () => {
    const store = newStore();
    await store.load(ca.crls.current.der);
    const [crl] = store.findByIssuer(ca.signingCa.subject);
    const serial = ca.residents.revoked.serialNumber;

    expect(crl.isRevoked(serial.toUpperCase())).toBe(true);
    expect(crl.isRevoked(`00${serial}`)).toBe(true);
    expect(crl.isRevoked(serial.match(/../g)!.join(':'))).toBe(true);
    expect(crl.isRevoked('not hex')).toBe(false);
  });

  it('refuses a CRL naming the CA but signed by another key', async () => {
    expect(await codeOf(newStore().load(ca.crls.foreignSigned.der))).toBe('jpki_crl_invalid');
  });

  it('refuses a CRL whose issuer is not a configured CA', async () => {
    // The previous root generation has the same DN but another key.
    const rootOnly = new CrlStore({ issuers: [ca.previousRoot.der] });

    expect(await codeOf(rootOnly.load(ca.crls.current.der))).toBe('jpki_crl_invalid');
  });

  it('refuses a CRL altered after signing', async () => {
    const der = Buffer.from(ca.crls.current.der);
    const serialAt = der.indexOf(Buffer.from(ca.residents.revoked.serialNumber, 'hex'));
    der[serialAt + 3] ^= 0x01; // "un-revoke" the certificate

    expect(await codeOf(newStore().load(der))).toBe('jpki_crl_invalid');
  });

  it('refuses malformed, truncated and padded CRLs', async () => {
    const der = ca.crls.current.der;
    const inputs = [
      new Uint8Array(0),
      Buffer.from('garbage'),
      der.subarray(0, der.length - 1),
      Buffer.concat([der, Buffer.from([0])]),
      Buffer.concat([Buffer.from([0x30, 0x80]), der.subarray(4), Buffer.from([0, 0])]),
      ca.residents.valid.der,
    ];
    for (const input of inputs) expect(await codeOf(newStore().load(input))).toBe('jpki_crl_invalid');
  });

  it('refuses a CRL larger than the configured limit before parsing it', async () => {
    const small = new CrlStore({ issuers: [ca.signingCa.der], maxCrlBytes: 100 });

    expect(await codeOf(small.load(ca.crls.current.der))).toBe('jpki_crl_invalid');
  });

  it('keeps the newer CRL when an older one of the same CA is loaded afterwards', async () => {
    const store = newStore();
    await store.load(ca.crls.current.der);

    const older = await store.load(ca.crls.stale.der);

    expect(older.inUse).toBe(false);
    expect(store.list()[0].thisUpdate).toEqual(ca.crls.current.thisUpdate);
  });

  describe('partitioned CRLs (critical issuingDistributionPoint)', () => {
    it('accepts a partition and reports its directory-name distribution point', async () => {
      const result = await newStore().load(ca.crls.current.der);

      expect(result.distributionPoints).toEqual([ca.distributionPoints.tottori]);
      expect(result.covers).toBe('all');
      expect(result.scope).not.toBe('');
    });

    it('accepts an ARL (onlyContainsCACerts) beside the partitions of the same CA', async () => {
      const store = newStore();
      await store.load(ca.crls.current.der);
      const arl = await store.load(ca.crls.root.der);

      expect(arl).toMatchObject({ covers: 'ca', inUse: true });
      expect(store.list()).toHaveLength(2);
    });

    it('keeps one CRL per partition: a newer partition does not replace another municipality\'s', async () => {
      const store = newStore();
      await store.load(ca.crls.current.der);
      await store.load(ca.crls.otherPartition.der);

      expect(store.list().map((c) => c.distributionPoints[0]).sort()).toEqual([ca.distributionPoints.kurayoshi, ca.distributionPoints.tottori].sort());
    });

    it('refuses a partition loaded for another distribution point with jpki_crl_wrong_partition', async () => {
      expect(await codeOf(newStore().load(ca.crls.otherPartition.der, { distributionPoint: ca.distributionPoints.tottori })))
        .toBe('jpki_crl_wrong_partition');
      await expect(newStore().load(ca.crls.current.der, { distributionPoint: ca.distributionPoints.tottori })).resolves.toBeDefined();
    });

    it('reads the reason and date of each entry', async () => {
      const store = newStore();
      await store.load(ca.crls.current.der);
      const [crl] = store.findByIssuer(ca.signingCa.subject);

      expect(crl.entry(ca.residents.revoked.serialNumber)).toMatchObject({ reason: 'affiliationChanged' });
      expect(crl.entry(ca.residents.revoked.serialNumber)!.revokedAt.getTime()).toBeLessThan(NOW.getTime());
      expect(crl.entry(ca.residents.valid.serialNumber)).toBeUndefined();
    });
  });

  describe(CrlRevocationSource.name, () => {
    let source: CrlRevocationSource;
    const identity = (serialNumber: string, dp = ca.distributionPoints.tottori, issuerSpkiSha256?: string) => ({
      issuer: ca.signingCa.subject, serialNumber, crlDistributionPoints: [dp], ...(issuerSpkiSha256 && { issuerSpkiSha256 }),
    });

    beforeAll(async () => {
      const store = newStore();
      for (const crl of ca.currentCrls) await store.load(crl.der);
      source = new CrlRevocationSource(store);
    });

    it('answers good, revoked (with reason) and refuses other partitions, as a RevocationSource', async () => {
      expect(await source.status(identity(ca.residents.valid.serialNumber), NOW)).toMatchObject({ status: 'good', source: 'crl' });
      expect(await source.status(identity(ca.residents.revoked.serialNumber), NOW)).toMatchObject({ status: 'revoked', reason: 'affiliationChanged' });
      expect(await codeOf(source.status(identity(ca.residents.valid.serialNumber, ca.distributionPoints.kurayoshi), NOW))).toBe('jpki_crl_wrong_partition');
      expect(await codeOf(source.status({ ...identity('01'), issuer: 'C=JP, O=Nobody' }, NOW))).toBe('jpki_crl_unavailable');
      expect(await codeOf(source.status(identity(ca.residents.valid.serialNumber), new Date(NOW.getTime() + 2 * 86_400_000)))).toBe('jpki_crl_stale');
    });

    it('re-checks many certificates at once, an error in place of what it cannot answer', () => {
      const results = source.statusMany([
        identity(ca.residents.valid.serialNumber),
        identity(ca.residents.revoked.serialNumber),
        identity(ca.residents.valid.serialNumber, ca.distributionPoints.misasa),
        identity('zz'),
      ], NOW);

      expect(results[0]).toMatchObject({ status: 'good' });
      expect(results[1]).toMatchObject({ status: 'revoked', reason: 'affiliationChanged' });
      expect((results[2] as JpkiError).code).toBe('jpki_crl_wrong_partition');
      expect((results[3] as JpkiError).code).toBe('jpki_malformed_certificate');
    });
  });

  describe('with a one-million-entry CRL', () => {
    let big: TestCrl;
    let store: CrlStore;

    beforeAll(async () => {
      big = await generateLargeCrl(ca, { entries: 1_000_000 });
      store = newStore();
      await store.load(ca.crls.root.der);
      await store.load(big.der);
    }, 60_000);

    // Speed is measured in bench/jpki.ts, not asserted here (a loaded CI machine would flake).
    const bigList = () => store.findByIssuer(ca.signingCa.subject).find((l) => l.revokedCount > 1)!;

    it('indexes every entry at load', () => {
      expect(bigList().revokedCount).toBe(1_000_001);
      expect(bigList().distributionPoints).toEqual([ca.distributionPoints.tottori]);
    });

    it('finds listed serials and not others', () => {
      const crl = bigList();
      for (const serial of big.knownRevokedSerials) expect(crl.isRevoked(serial)).toBe(true);
      expect(crl.isRevoked(ca.residents.valid.serialNumber)).toBe(false);
    });

    it('lets the verifier refuse the revoked certificate and accept the valid one', async () => {
      const verifier = new JpkiVerifier({
        trustAnchors: ca.trustAnchors, intermediates: ca.intermediates, crlStore: store, now: () => NOW,
      });

      expect(await codeOf(verifier.verifyCertificate(ca.residents.revoked.der))).toBe('jpki_certificate_revoked');
      expect(await codeOf(verifier.verifyCertificate(ca.residents.valid.der))).toBe('resolved');
    });
  });
});
