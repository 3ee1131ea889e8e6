import { readCrlEntryReasons } from './crl-reasons';
import { CrlStore } from './crl.store';
import { generateTestCa, type TestCa } from './testing/test-ca';
import { issueTestCrlWithReasons } from './testing/test-crl-reasons';

describe(readCrlEntryReasons.name, () => {
  let ca: TestCa;
  beforeAll(async () => {
    ca = await generateTestCa();
  });

  it('reads the reasonCode of the listed serials only, from a CRL the store accepts', async () => {
    const now = new Date();
    const crl = await issueTestCrlWithReasons(ca.signingCa, {
      thisUpdate: now, nextUpdate: new Date(now.getTime() + 86_400_000),
      entries: [
        { serialNumber: ca.residents.valid.serialNumber, reason: 'affiliationChanged' },
        { serialNumber: ca.residents.revoked.serialNumber, reason: 'keyCompromise' },
        { serialNumber: ca.residents.expired.serialNumber, reason: 'cessationOfOperation' },
      ],
    });
    const store = new CrlStore({ issuers: ca.intermediates });
    await store.load(crl.der);
    expect(store.findByIssuer(ca.signingCa.subject)[0].isRevoked(ca.residents.valid.serialNumber)).toBe(true);
    const reasons = readCrlEntryReasons(crl.der, [ca.residents.valid.serialNumber.toUpperCase(), ca.residents.expired.serialNumber, ca.residents.smallKey.serialNumber]);
    expect(Object.fromEntries(reasons)).toEqual({ [ca.residents.valid.serialNumber]: 'affiliationChanged', [ca.residents.expired.serialNumber]: 'cessationOfOperation' });
  });

  it('reads the reason of the test CA\'s own CRL and nothing of an empty one', async () => {
    expect(readCrlEntryReasons(ca.crls.root.der, [ca.residents.valid.serialNumber]).size).toBe(0);
    expect(readCrlEntryReasons(ca.crls.current.der, [ca.residents.revoked.serialNumber]).get(ca.residents.revoked.serialNumber)).toBe('keyCompromise');
  });
});
