import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { OID_EXT } from '../jpki.oids';
import { asBufferSource, webCrypto } from '../rsa.verify';
import type { CrlReasonName } from '../crl-reasons';
import type { TestCertificate, TestCrl } from './test-ca';

x509.cryptoProvider.set(webCrypto());

/**
 * A CRL of a test CA whose entries each carry their own reasonCode (RFC 5280 §5.3.1), as J-LIS
 * lists them: a change of name or address revokes the signature certificate (affiliationChanged),
 * a lost card keyCompromise, a returned card or a death cessationOfOperation. Test use only.
 */
export async function issueTestCrlWithReasons(
  ca: TestCertificate,
  options: { thisUpdate: Date; nextUpdate: Date; entries: readonly { serialNumber: string; reason: CrlReasonName; revokedAt?: Date }[]; crlNumber?: number },
): Promise<TestCrl> {
  const issuerCert = new x509.X509Certificate(asBufferSource(ca.der));
  const crlNumber = options.crlNumber ?? Math.floor(options.thisUpdate.getTime() / 1000) % 100_000;
  const number = Buffer.from(crlNumber.toString(16).padStart(6, '0'), 'hex');
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuerCert.subjectName,
    thisUpdate: options.thisUpdate,
    nextUpdate: options.nextUpdate,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    signingKey: ca.privateKey,
    entries: options.entries.map((e) => ({
      serialNumber: e.serialNumber,
      revocationDate: e.revokedAt ?? new Date(options.thisUpdate.getTime() - 60_000),
      reason: x509.X509CrlReason[e.reason as keyof typeof x509.X509CrlReason],
    })),
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(issuerCert.publicKey),
      new x509.Extension(OID_EXT.crlNumber, false, asBufferSource(Buffer.concat([Buffer.from([0x02, number.length]), number]))),
    ],
  });
  return {
    der: new Uint8Array(crl.rawData), issuer: ca.subject, thisUpdate: options.thisUpdate, nextUpdate: options.nextUpdate,
    revokedCount: options.entries.length, knownRevokedSerials: options.entries.map((e) => e.serialNumber),
  };
}
