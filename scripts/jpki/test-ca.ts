/**
 * Writes a JPKI-profile test CA to disk for demos and manual tests:
 *
 *   npm run jpki:test-ca                 # = node dist/scripts/jpki/test-ca.js [outDir]
 *   node dist/scripts/jpki/test-ca.js data/jpki-test-ca --large-crl[=N]
 *
 * outDir defaults to data/jpki-test-ca (git-ignored). Certificates as PEM and DER, private keys
 * as PKCS#8 PEM with mode 0600, CRLs as DER, and manifest.json describing every file. With
 * --large-crl a signing-CA CRL with N (default 1,000,000) entries is written as well (~35 MB).
 * Nothing here is for production: the keys are generated on the spot and written unencrypted.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  generateLargeCrl, generateTestCa, TEST_RESIDENT_KINDS, type TestCertificate, type TestCrl, type TestResidentCertificate,
} from '@tsunagu/jpki';

interface ManifestCertificate {
  readonly certificatePem: string;
  readonly certificateDer: string;
  readonly privateKeyPem: string;
  readonly serialNumber: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly attributes?: Readonly<Record<string, string | undefined>>;
  readonly expected?: string;
}

const EXPECTED: Record<(typeof TEST_RESIDENT_KINDS)[number], string> = {
  valid: 'accepted',
  expired: 'jpki_certificate_expired',
  notYetValid: 'jpki_certificate_not_yet_valid',
  revoked: 'jpki_certificate_revoked',
  foreignCa: 'jpki_untrusted_chain',
  authenticationPolicy: 'jpki_not_signature_certificate',
  missingAttributes: 'jpki_missing_attributes',
  wrongKeyUsage: 'jpki_wrong_key_usage',
  sha1Signature: 'jpki_unsupported_algorithm',
  smallKey: 'jpki_unsupported_algorithm',
  previousGeneration: 'accepted',
  bareSignaturePolicy: 'accepted',
  foreignPolicy: 'jpki_policy_not_accepted',
};

function pem(label: string, der: Uint8Array): string {
  const body = Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}

async function writeSecret(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600); // the mode option only applies when the file is created
}

async function writeCertificate(dir: string, base: string, cert: TestCertificate): Promise<ManifestCertificate> {
  await writeFile(join(dir, `${base}.pem`), cert.pem.endsWith('\n') ? cert.pem : `${cert.pem}\n`);
  await writeFile(join(dir, `${base}.der`), cert.der);
  await writeSecret(join(dir, `${base}.key.pem`), pem('PRIVATE KEY', cert.privateKeyPkcs8));
  return {
    certificatePem: `${base}.pem`,
    certificateDer: `${base}.der`,
    privateKeyPem: `${base}.key.pem`,
    serialNumber: cert.serialNumber,
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  };
}

async function writeCrl(dir: string, base: string, crl: TestCrl) {
  await writeFile(join(dir, `${base}.crl`), crl.der);
  return {
    file: `${base}.crl`,
    issuer: crl.issuer,
    thisUpdate: crl.thisUpdate.toISOString(),
    nextUpdate: crl.nextUpdate.toISOString(),
    revokedCount: crl.revokedCount,
    knownRevokedSerials: crl.knownRevokedSerials.slice(0, 10),
  };
}

async function main(argv: string[]): Promise<void> {
  const flags = argv.filter((a) => a.startsWith('--'));
  const positional = argv.filter((a) => !a.startsWith('--'));
  const unknown = flags.filter((f) => !/^--large-crl(=\d+)?$/.test(f));
  if (unknown.length > 0 || positional.length > 1) {
    process.stderr.write('usage: test-ca.js [outDir] [--large-crl[=entries]]\n');
    process.exitCode = 2;
    return;
  }
  const outDir = resolve(positional[0] ?? 'data/jpki-test-ca');
  const largeFlag = flags.find((f) => f.startsWith('--large-crl'));
  const largeEntries = largeFlag ? Number(largeFlag.split('=')[1] ?? 1_000_000) : 0;

  const ca = await generateTestCa();
  await mkdir(join(outDir, 'residents'), { recursive: true, mode: 0o700 });
  await mkdir(join(outDir, 'crls'), { recursive: true, mode: 0o700 });

  const residents: Record<string, ManifestCertificate> = {};
  for (const kind of TEST_RESIDENT_KINDS) {
    const cert: TestResidentCertificate = ca.residents[kind];
    const entry = await writeCertificate(join(outDir, 'residents'), kind, cert);
    residents[kind] = {
      ...entry,
      certificatePem: `residents/${entry.certificatePem}`,
      certificateDer: `residents/${entry.certificateDer}`,
      privateKeyPem: `residents/${entry.privateKeyPem}`,
      attributes: cert.attributes,
      expected: EXPECTED[kind],
    };
  }

  const crls: Record<string, unknown> = {
    rootArl: await writeCrl(join(outDir, 'crls'), 'root-arl', ca.crls.root),
    signingCaCurrent: await writeCrl(join(outDir, 'crls'), 'signing-ca-current', ca.crls.current),
    previousGenerationCurrent: await writeCrl(join(outDir, 'crls'), 'previous-generation-current', ca.crls.previous),
    otherPartition: await writeCrl(join(outDir, 'crls'), 'signing-ca-other-partition', ca.crls.otherPartition),
    signingCaStale: await writeCrl(join(outDir, 'crls'), 'signing-ca-stale', ca.crls.stale),
    signingCaForeignSigned: await writeCrl(join(outDir, 'crls'), 'signing-ca-foreign-signed', ca.crls.foreignSigned),
  };
  if (largeEntries > 0) {
    crls.signingCaLarge = await writeCrl(join(outDir, 'crls'), 'signing-ca-large', await generateLargeCrl(ca, { entries: largeEntries }));
  }

  const manifest = {
    description: 'Tsunagu JPKI test CA: test use only, never trust in production',
    generatedAt: ca.now.toISOString(),
    shape: 'single self-signed root, two generations under one DN, partitioned CRLs (critical IDP), directoryName CRLDP',
    trustAnchors: ['previous-root-ca.pem', 'signing-ca.pem'],
    intermediates: [],
    crlIssuers: ['previous-root-ca.pem', 'signing-ca.pem'],
    crlsToLoad: ['crls/root-arl.crl', 'crls/signing-ca-current.crl', 'crls/previous-generation-current.crl'],
    previousRoot: await writeCertificate(outDir, 'previous-root-ca', ca.previousRoot),
    signingCa: await writeCertificate(outDir, 'signing-ca', ca.signingCa),
    ocspResponder: await writeCertificate(outDir, 'ocsp-responder', ca.ocspResponder),
    foreignRoot: await writeCertificate(outDir, 'foreign-root-ca', ca.foreignRoot),
    foreignSigningCa: await writeCertificate(outDir, 'foreign-signing-ca', ca.foreignSigningCa),
    residents,
    crls: Object.fromEntries(
      Object.entries(crls).map(([k, v]) => [k, { ...(v as object), file: `crls/${(v as { file: string }).file}` }]),
    ),
  };
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(`JPKI test CA written to ${outDir} (${TEST_RESIDENT_KINDS.length} resident certificates, ${Object.keys(crls).length} CRLs)\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`jpki test CA generation failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
