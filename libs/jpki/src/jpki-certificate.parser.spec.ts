import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as x509 from '@peculiar/x509';
import { readWhole, TAG } from './der.reader';
import { formatName, parseCertificateDer } from './jpki-certificate.parser';
import { JpkiError } from './jpki.error';
import { generateTestCa, TEST_RESIDENT_KINDS, type TestCa } from './testing/test-ca';

/**
 * The parser reads certificates with the library's own DER reader. These tests hold it to what
 * @peculiar/x509 (the decoder it replaced on the hot path) produced and refused.
 */

/** What the previous parser took from @peculiar/x509; throws where @peculiar/x509 threw. */
function peculiarView(der: Uint8Array) {
  const cert = new x509.X509Certificate(der as Uint8Array<ArrayBuffer>);
  // The extensions the verifier reads, decoded one by one (x509's `extensions` getter, which
  // decodes all of them, was never used).
  const raw = (oid: string) => {
    const asn = (cert as unknown as { asn: { tbsCertificate: { extensions?: { extnID: string }[] } } }).asn;
    const ext = asn.tbsCertificate.extensions?.find((e) => e.extnID === oid);
    return ext ? AsnConvert.serialize(ext) : undefined;
  };
  const ku = raw('2.5.29.15');
  const bc = raw('2.5.29.19');
  const cp = raw('2.5.29.32');
  const basic = bc ? new x509.BasicConstraintsExtension(bc) : undefined;
  return {
    issuer: cert.issuer,
    subject: cert.subject,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    keyUsage: ku ? new x509.KeyUsagesExtension(ku).usages : undefined,
    basicConstraints: basic ? { ca: basic.ca, pathLength: basic.pathLength } : undefined,
    policies: cp ? [...new x509.CertificatePolicyExtension(cp).policies] : undefined,
  };
}

function ourView(der: Uint8Array) {
  const c = parseCertificateDer(der);
  return {
    issuer: c.issuer,
    subject: c.subject,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    keyUsage: c.keyUsage,
    basicConstraints: c.basicConstraints ? { ca: c.basicConstraints.ca, pathLength: c.basicConstraints.pathLength } : undefined,
    policies: c.policies,
  };
}

describe('parseCertificateDer (own DER reader)', () => {
  let ca: TestCa;

  beforeAll(async () => {
    ca = await generateTestCa({ now: new Date('2026-04-01T00:00:00Z') });
  });

  it('decodes every test certificate exactly as @peculiar/x509 does', () => {
    const all = [ca.root, ca.signingCa, ca.foreignRoot, ca.foreignSigningCa, ...TEST_RESIDENT_KINDS.map((k) => ca.residents[k])];
    for (const cert of all) {
      expect(ourView(cert.der)).toEqual(peculiarView(cert.der));
    }
  });

  it('formats names exactly as @peculiar/x509, escapes and unusual string types included', () => {
    // JsonName's typing omits the typed-value form that Name.fromJSON accepts.
    const names = [
      [{ C: ['JP'] }, { O: ['JPKI'] }, { OU: ['JPKI for digital signature'] }],
      [{ CN: [{ utf8String: '髙橋, 一郎 ' }] }, { O: [{ printableString: '#lead' }] }, { OU: ['a+b;c<d>"e"\\f'] }],
      [{ CN: ['x', 'y'] }, { '2.5.4.5': ['12345'] }, { E: [{ ia5String: 'a@example.invalid' }] }],
      [{ CN: [{ utf8String: 'tab\there\nand\rthere' }] }, { L: [{ utf8String: '' }] }],
      [{ CN: [{ bmpString: 'BMP 名前' }] }, { O: ['after a BMPString'] }],
      [{ CN: [{ universalString: 'univ' }] }],
      [{ '1.2.3.4': ['#0403616263'] }],
    ] as unknown as x509.JsonName[];
    for (const json of names) {
      const der = new Uint8Array(new x509.Name(json).toArrayBuffer());
      expect(formatName(der, readWhole(der, TAG.SEQUENCE, 'Name'))).toBe(new x509.Name(der as Uint8Array<ArrayBuffer>).toString());
    }
  });

  it('refuses every corruption of a certificate that @peculiar/x509 refused', () => {
    const original = ca.residents.valid.der;
    let peculiarRefused = 0;
    for (let i = 0; i < 2500; i++) {
      const der = Uint8Array.from(original);
      const position = (i * 7919) % der.length;
      der[position] = (der[position] + 1 + (i % 255)) & 0xff;
      let theirs = true;
      try {
        peculiarView(der);
      } catch {
        theirs = false;
      }
      let ours: unknown;
      try {
        ours = ourView(der);
      } catch (error) {
        expect(error).toBeInstanceOf(JpkiError);
        ours = undefined;
      }
      if (!theirs) {
        peculiarRefused++;
        expect(ours).toBeUndefined();
      } else if (ours !== undefined) {
        // Both accept: they must agree on what the certificate says.
        expect(ours).toEqual(peculiarView(der));
      }
    }
    expect(peculiarRefused).toBeGreaterThan(0);
  });
});
