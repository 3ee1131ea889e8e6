import 'reflect-metadata'; // @peculiar/x509 needs the Reflect polyfill before it loads
import * as x509 from '@peculiar/x509';
import { randomBytes } from 'node:crypto';
import { childrenOf, contextTag, rawOf, readWhole, TAG } from '../der.reader';
import { JPKI_ATTRIBUTE, JPKI_AUTHENTICATION_POLICY_ARC, JPKI_SIGNATURE_POLICY, OID_EXT } from '../jpki.oids';
import { asBufferSource, webCrypto } from '../rsa.verify';

/**
 * A throw-away certification authority that follows the JPKI signature-certificate profile,
 * for tests, demos and benchmarks only. Everything is generated in memory with real RSA-2048
 * keys and real signatures (WebCrypto); nothing here is ever trusted in production.
 */

x509.cryptoProvider.set(webCrypto());

/** Issuer DN of the JPKI signature CA; the test signing CA uses the same name. */
export const JPKI_SIGNING_CA_NAME =
  'C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems';
/** DN of the test root: clearly not a real JPKI certificate. */
export const JPKI_TEST_ROOT_CA_NAME = 'C=JP, O=JPKI, OU=Tsunagu JPKI Test Root CA, OU=Test use only';
/** DN of the unrelated root whose subordinate CA impersonates the JPKI signing CA name. */
export const JPKI_TEST_FOREIGN_ROOT_NAME = 'C=JP, O=Foreign Test CA, OU=Not JPKI';

const DAY = 24 * 60 * 60 * 1000;
const YEAR = 365 * DAY;
const RSA_KEYGEN = (modulusLength: number): RsaHashedKeyGenParams => ({
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  modulusLength,
  publicExponent: new Uint8Array([1, 0, 1]),
});
const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

export interface TestCaOptions {
  /** Reference time: certificates and CRLs are dated around it. Default: now. */
  readonly now?: Date;
}

/** A generated certificate with its private key. */
export interface TestCertificate {
  readonly der: Uint8Array;
  readonly pem: string;
  /** Lower-case hex, leading zero octets removed (the form JpkiVerifier reports). */
  readonly serialNumber: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** RSASSA-PKCS1-v1_5/SHA-256 signing key (extractable). */
  readonly privateKey: CryptoKey;
  readonly privateKeyPkcs8: Uint8Array;
}

export type TestAttributeName = keyof typeof JPKI_ATTRIBUTE;

export interface TestResidentCertificate extends TestCertificate {
  /** What was written into subjectAltName. */
  readonly attributes: Readonly<Partial<Record<TestAttributeName, string>>>;
}

/** The resident certificates generated, one per case the verifier must tell apart. */
export const TEST_RESIDENT_KINDS = [
  'valid',
  'expired',
  'notYetValid',
  'revoked',
  'foreignCa',
  'authenticationPolicy',
  'missingAttributes',
  'wrongKeyUsage',
  'sha1Signature',
  'smallKey',
] as const;
export type TestResidentKind = (typeof TEST_RESIDENT_KINDS)[number];

export interface TestCrl {
  readonly der: Uint8Array;
  readonly issuer: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly revokedCount: number;
  /** Serials known to be listed (for the large CRL: the included ones and a few generated ones). */
  readonly knownRevokedSerials: readonly string[];
}

export interface TestCa {
  readonly now: Date;
  /** Trust anchor. */
  readonly root: TestCertificate;
  /** Issues the resident certificates; its DN is {@link JPKI_SIGNING_CA_NAME}. */
  readonly signingCa: TestCertificate;
  readonly foreignRoot: TestCertificate;
  /** Same DN as signingCa, different key, chains to foreignRoot. */
  readonly foreignSigningCa: TestCertificate;
  readonly residents: Readonly<Record<TestResidentKind, TestResidentCertificate>>;
  readonly crls: {
    /** ARL of the root (empty), needed because the signing CA is not a trust anchor. */
    readonly root: TestCrl;
    /** Current CRL of the signing CA, listing residents.revoked. */
    readonly current: TestCrl;
    /** CRL of the signing CA whose nextUpdate has passed. */
    readonly stale: TestCrl;
    /** Names the signing CA as issuer but is signed by foreignSigningCa's key. */
    readonly foreignSigned: TestCrl;
  };
  /** DER of `root`, for JpkiVerifierOptions.trustAnchors. */
  readonly trustAnchors: readonly Uint8Array[];
  /** DER of `signingCa`, for JpkiVerifierOptions.intermediates. */
  readonly intermediates: readonly Uint8Array[];
}

const RESIDENT_ATTRIBUTES: Record<TestResidentKind, Partial<Record<TestAttributeName, string>>> = {
  valid: {
    name: '髙橋　一郎',
    nameSubstitute: '高橋　一郎',
    gender: '1',
    dateOfBirth: '319800401',
    address: '鳥取県鳥取市テスト町一丁目１番地',
  },
  expired: { name: '鳥取　次郎', gender: '1', dateOfBirth: '319750115', address: '鳥取県米子市テスト町二丁目２番地' },
  notYetValid: { name: '因幡　三郎', gender: '1', dateOfBirth: '420010710', address: '鳥取県倉吉市テスト町三番地' },
  revoked: { name: '伯耆　花子', gender: '2', dateOfBirth: '420000229', address: '鳥取県境港市テスト町四番地' },
  foreignCa: { name: '外部　太郎', gender: '1', dateOfBirth: '319900101', address: '鳥取県鳥取市テスト町五番地' },
  authenticationPolicy: { name: '利用　証明', gender: '2', dateOfBirth: '319851231', address: '鳥取県鳥取市テスト町六番地' },
  missingAttributes: { name: '属性　不足', gender: '2' },
  wrongKeyUsage: { name: '鍵用　途子', gender: '2', dateOfBirth: '420050505', address: '鳥取県鳥取市テスト町七番地' },
  sha1Signature: { name: '旧式　署名', gender: '1', dateOfBirth: '319700303', address: '鳥取県鳥取市テスト町八番地' },
  smallKey: { name: '短鍵　太郎', gender: '1', dateOfBirth: '319600606', address: '鳥取県鳥取市テスト町九番地' },
};

/** Generates the whole test PKI. Takes a couple of seconds (14 RSA keys). */
export async function generateTestCa(options: TestCaOptions = {}): Promise<TestCa> {
  const now = new Date(Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000);
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
  const subtle = webCrypto().subtle;

  const keyOf = (bits: number) => subtle.generateKey(RSA_KEYGEN(bits), true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  const [rootKeys, signingKeys, foreignRootKeys, foreignSigningKeys, ...residentKeys] = await Promise.all([
    keyOf(2048), keyOf(2048), keyOf(2048), keyOf(2048),
    ...TEST_RESIDENT_KINDS.map((kind) => keyOf(kind === 'smallKey' ? 1024 : 2048)),
  ]);

  const root = await issueCa({
    name: JPKI_TEST_ROOT_CA_NAME, keys: rootKeys, notBefore: at(-2 * YEAR), notAfter: at(20 * YEAR),
  });
  const signingCa = await issueCa({
    name: JPKI_SIGNING_CA_NAME, keys: signingKeys, issuer: root, notBefore: at(-YEAR), notAfter: at(10 * YEAR), pathLength: 0,
  });
  const foreignRoot = await issueCa({
    name: JPKI_TEST_FOREIGN_ROOT_NAME, keys: foreignRootKeys, notBefore: at(-2 * YEAR), notAfter: at(20 * YEAR),
  });
  const foreignSigningCa = await issueCa({
    name: JPKI_SIGNING_CA_NAME, keys: foreignSigningKeys, issuer: foreignRoot, notBefore: at(-YEAR), notAfter: at(10 * YEAR), pathLength: 0,
  });

  const SIGNATURE_USAGE = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;
  const residentEntries = await Promise.all(
    TEST_RESIDENT_KINDS.map(async (kind, i): Promise<[TestResidentKind, TestResidentCertificate]> => {
      const validFrom = kind === 'expired' ? at(-5 * YEAR - 10 * DAY) : kind === 'notYetValid' ? at(10 * DAY) : at(-30 * DAY);
      const validTo = kind === 'expired' ? at(-10 * DAY) : kind === 'notYetValid' ? at(5 * YEAR) : at(5 * YEAR - 30 * DAY);
      const cert = await issueResident({
        keys: residentKeys[i],
        issuer: kind === 'foreignCa' ? foreignSigningCa : signingCa,
        notBefore: validFrom,
        notAfter: validTo,
        attributes: RESIDENT_ATTRIBUTES[kind],
        policy: kind === 'authenticationPolicy' ? `${JPKI_AUTHENTICATION_POLICY_ARC}.30` : JPKI_SIGNATURE_POLICY,
        keyUsage: kind === 'wrongKeyUsage'
          ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
          : SIGNATURE_USAGE,
        hash: kind === 'sha1Signature' ? 'SHA-1' : 'SHA-256',
      });
      return [kind, cert];
    }),
  );
  const residents = Object.fromEntries(residentEntries) as Record<TestResidentKind, TestResidentCertificate>;

  const crls = {
    root: await issueCrl({ issuer: root, signer: root, thisUpdate: at(-1 * 60 * 60 * 1000), nextUpdate: at(30 * DAY), revoked: [], crlNumber: 1 }),
    current: await issueCrl({
      issuer: signingCa, signer: signingCa, thisUpdate: at(-60 * 60 * 1000), nextUpdate: at(DAY),
      revoked: [residents.revoked.serialNumber], crlNumber: 2,
    }),
    stale: await issueCrl({
      issuer: signingCa, signer: signingCa, thisUpdate: at(-3 * DAY), nextUpdate: at(-2 * DAY),
      revoked: [residents.revoked.serialNumber], crlNumber: 1,
    }),
    foreignSigned: await issueCrl({
      issuer: signingCa, signer: foreignSigningCa, thisUpdate: at(-60 * 60 * 1000), nextUpdate: at(DAY), revoked: [], crlNumber: 3,
    }),
  };

  return {
    now,
    root,
    signingCa,
    foreignRoot,
    foreignSigningCa,
    residents,
    crls,
    trustAnchors: [root.der],
    intermediates: [signingCa.der],
  };
}

export interface LargeCrlOptions {
  /** Number of generated entries (besides `include`). Default 1,000,000. */
  readonly entries?: number;
  /** Serials (hex) to list as well; default: the revoked resident's serial. */
  readonly include?: readonly string[];
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date;
}

/**
 * A signing-CA CRL with a million random 16-byte serials (≈35 MB), signed by the test signing
 * CA. Built directly as DER into one buffer: going through an ASN.1 object model would take
 * minutes and gigabytes at this size.
 */
export async function generateLargeCrl(ca: TestCa, options: LargeCrlOptions = {}): Promise<TestCrl> {
  const count = options.entries ?? 1_000_000;
  const include = options.include ?? [ca.residents.revoked.serialNumber];
  const thisUpdate = options.thisUpdate ?? new Date(ca.now.getTime() - 30 * 60 * 1000);
  const nextUpdate = options.nextUpdate ?? new Date(ca.now.getTime() + DAY);
  const revocationDate = derTime(new Date(thisUpdate.getTime() - DAY));

  // Each generated entry: 30 21 | 02 10 <16-byte serial> | 17 0d <UTCTime> = 35 bytes.
  const ENTRY = 2 + 2 + 16 + revocationDate.length;
  const serials = randomBytes(count * 16);
  const includeEntries = include.map((hex) =>
    tlv(TAG.SEQUENCE, derInteger(Buffer.from(evenHex(hex), 'hex')), revocationDate, reasonCodeExtensions(1)),
  );
  const includeBytes = includeEntries.reduce((n, e) => n + e.length, 0);
  const body = Buffer.allocUnsafe(count * ENTRY + includeBytes);
  const middle = Math.floor(count / 2);
  let o = 0;
  const samples: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i === middle) for (const e of includeEntries) o += e.copy(body, o);
    const s = i * 16;
    serials[s] = (serials[s] & 0x7f) | 0x01; // positive, no leading zero octet: 16-byte INTEGER
    body[o++] = TAG.SEQUENCE;
    body[o++] = ENTRY - 2;
    body[o++] = TAG.INTEGER;
    body[o++] = 16;
    o += serials.copy(body, o, s, s + 16);
    o += revocationDate.copy(body, o);
    if (i < 3 || i === count - 1) samples.push(serials.toString('hex', s, s + 16));
  }
  if (count === 0) for (const e of includeEntries) o += e.copy(body, o);

  const issuerName = subjectNameOf(ca.signingCa.der);
  const tbs = tlv(
    TAG.SEQUENCE,
    derInteger(Buffer.from([1])),
    SHA256_WITH_RSA_ALG,
    issuerName,
    derTime(thisUpdate),
    derTime(nextUpdate),
    tlv(TAG.SEQUENCE, body),
    tlv(contextTag(0), tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, derOid('2.5.29.20'), tlv(TAG.OCTET_STRING, derInteger(Buffer.from([0x10, 0x00])))))),
  );
  const signature = new Uint8Array(await webCrypto().subtle.sign('RSASSA-PKCS1-v1_5', ca.signingCa.privateKey, asBufferSource(tbs)));
  const der = tlv(TAG.SEQUENCE, tbs, SHA256_WITH_RSA_ALG, tlv(TAG.BIT_STRING, Buffer.from([0]), signature));
  return {
    der: new Uint8Array(der.buffer, der.byteOffset, der.byteLength),
    issuer: ca.signingCa.subject,
    thisUpdate,
    nextUpdate,
    revokedCount: count + include.length,
    knownRevokedSerials: [...include.map((h) => evenHex(h)), ...samples],
  };
}

// ---------------------------------------------------------------------------------------------

interface IssueCaParams {
  readonly name: string;
  readonly keys: CryptoKeyPair;
  readonly issuer?: TestCertificate;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly pathLength?: number;
}

/**
 * A CA certificate with its private key, read back from DER and PKCS#8 (e.g. from files written
 * earlier), so a development test CA survives restarts.
 */
export async function importTestCertificate(der: Uint8Array, privateKeyPkcs8: Uint8Array): Promise<TestCertificate> {
  const privateKey = await webCrypto().subtle.importKey('pkcs8', asBufferSource(privateKeyPkcs8), RSA_SHA256, true, ['sign']);
  return toTestCertificate(new x509.X509Certificate(asBufferSource(der)), privateKey);
}

/**
 * Issues one more valid signature certificate (a "test card") from the test signing CA, with a
 * fresh RSA-2048 key: development demos give each resident a card of their own.
 */
export async function issueTestCard(
  signingCa: TestCertificate,
  attributes: Partial<Record<TestAttributeName, string>>,
  now: Date = new Date(),
): Promise<TestResidentCertificate> {
  const keys = await webCrypto().subtle.generateKey(RSA_KEYGEN(2048), true, ['sign', 'verify']) as CryptoKeyPair;
  return issueResident({
    keys, issuer: signingCa, attributes,
    notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 5 * YEAR - 30 * DAY),
    policy: JPKI_SIGNATURE_POLICY,
    keyUsage: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
    hash: 'SHA-256',
  });
}

/** Issues a fresh CRL for a test CA (its own key signs), e.g. on each scheduled refresh. */
export async function issueTestCrl(
  ca: TestCertificate,
  options: { thisUpdate: Date; nextUpdate: Date; revoked?: readonly string[]; crlNumber?: number },
): Promise<TestCrl> {
  return issueCrl({
    issuer: ca, signer: ca, thisUpdate: options.thisUpdate, nextUpdate: options.nextUpdate,
    revoked: options.revoked ?? [], crlNumber: options.crlNumber ?? Math.floor(options.thisUpdate.getTime() / 60_000) % 250,
  });
}

async function issueCa(p: IssueCaParams): Promise<TestCertificate> {
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, p.pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(p.keys.publicKey),
  ];
  let cert: x509.X509Certificate;
  if (p.issuer) {
    const issuerCert = new x509.X509Certificate(asBufferSource(p.issuer.der));
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuerCert.publicKey));
    cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: p.name,
      issuer: issuerCert.subjectName,
      notBefore: p.notBefore,
      notAfter: p.notAfter,
      signingAlgorithm: RSA_SHA256,
      publicKey: p.keys.publicKey,
      signingKey: p.issuer.privateKey,
      extensions,
    });
  } else {
    cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomSerial(),
      name: p.name,
      notBefore: p.notBefore,
      notAfter: p.notAfter,
      signingAlgorithm: RSA_SHA256,
      keys: p.keys,
      extensions,
    });
  }
  return toTestCertificate(cert, p.keys.privateKey);
}

interface IssueResidentParams {
  readonly keys: CryptoKeyPair;
  readonly issuer: TestCertificate;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly attributes: Partial<Record<TestAttributeName, string>>;
  readonly policy: string;
  readonly keyUsage: number;
  readonly hash: 'SHA-1' | 'SHA-256';
}

async function issueResident(p: IssueResidentParams): Promise<TestResidentCertificate> {
  const issuerCert = new x509.X509Certificate(asBufferSource(p.issuer.der));
  let signingKey = p.issuer.privateKey;
  if (p.hash !== 'SHA-256') {
    // A WebCrypto RSA key is bound to one hash; re-import the CA key for the legacy-hash case.
    signingKey = await webCrypto().subtle.importKey(
      'pkcs8', asBufferSource(p.issuer.privateKeyPkcs8), { name: 'RSASSA-PKCS1-v1_5', hash: p.hash }, false, ['sign'],
    );
  }
  const serialNumber = randomSerial();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber,
    // The JPKI subject CN is opaque; the test CA uses a random one.
    subject: `C=JP, CN=${randomBytes(10).toString('hex').toUpperCase()}`,
    issuer: issuerCert.subjectName,
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: p.hash },
    publicKey: p.keys.publicKey,
    signingKey,
    extensions: [
      new x509.KeyUsagesExtension(p.keyUsage, true),
      new x509.CertificatePolicyExtension([p.policy], true),
      new x509.Extension(OID_EXT.subjectAltName, false, asBufferSource(subjectAltName(p.attributes))),
      await x509.AuthorityKeyIdentifierExtension.create(issuerCert.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(p.keys.publicKey),
      new x509.CRLDistributionPointsExtension(['http://jpki-test.invalid/crl/signature.crl']),
    ],
  });
  return { ...(await toTestCertificate(cert, p.keys.privateKey)), attributes: { ...p.attributes } };
}

interface IssueCrlParams {
  readonly issuer: TestCertificate;
  readonly signer: TestCertificate;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly revoked: readonly string[];
  readonly crlNumber: number;
}

async function issueCrl(p: IssueCrlParams): Promise<TestCrl> {
  const issuerCert = new x509.X509Certificate(asBufferSource(p.issuer.der));
  const signerCert = new x509.X509Certificate(asBufferSource(p.signer.der));
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuerCert.subjectName,
    thisUpdate: p.thisUpdate,
    nextUpdate: p.nextUpdate,
    signingAlgorithm: RSA_SHA256,
    signingKey: p.signer.privateKey,
    entries: p.revoked.map((serialNumber) => ({
      serialNumber,
      revocationDate: new Date(p.thisUpdate.getTime() - DAY),
      reason: x509.X509CrlReason.keyCompromise,
    })),
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(signerCert.publicKey),
      new x509.Extension(OID_EXT.crlNumber, false, asBufferSource(derInteger(Buffer.from([p.crlNumber])))),
    ],
  });
  return {
    der: new Uint8Array(crl.rawData),
    issuer: p.issuer.subject,
    thisUpdate: p.thisUpdate,
    nextUpdate: p.nextUpdate,
    revokedCount: p.revoked.length,
    knownRevokedSerials: [...p.revoked],
  };
}

async function toTestCertificate(cert: x509.X509Certificate, privateKey: CryptoKey): Promise<TestCertificate> {
  const der = new Uint8Array(cert.rawData);
  return {
    der,
    pem: cert.toString('pem'),
    serialNumber: cert.serialNumber.toLowerCase().replace(/^(00)+(?=..)/, ''),
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    privateKey,
    privateKeyPkcs8: new Uint8Array(await webCrypto().subtle.exportKey('pkcs8', privateKey)),
  };
}

/** 16 random octets, positive, first octet non-zero: stays 16 octets in DER. */
function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) | 0x01;
  return b.toString('hex');
}

function evenHex(hex: string): string {
  const h = hex.toLowerCase();
  return h.length % 2 ? '0' + h : h;
}

// --- DER writing (test data only) --------------------------------------------------------------

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const octets: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) octets.unshift(v & 0xff);
  return Buffer.from([0x80 | octets.length, ...octets]);
}

function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  const length = parts.reduce((n, p) => n + p.length, 0);
  return Buffer.concat([Buffer.from([tag]), derLength(length), ...parts]);
}

function derInteger(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const m = magnitude.subarray(start);
  return tlv(TAG.INTEGER, m[0] & 0x80 ? Buffer.concat([Buffer.from([0]), m]) : m);
}

function derOid(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  const out: number[] = [];
  const push = (v: number) => {
    const bytes = [v & 0x7f];
    for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  };
  push(arcs[0] * 40 + arcs[1]);
  for (const arc of arcs.slice(2)) push(arc);
  return tlv(TAG.OID, Buffer.from(out));
}

function derTime(date: Date): Buffer {
  const iso = date.toISOString(); // yyyy-mm-ddThh:mm:ss.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? tlv(TAG.UTC_TIME, Buffer.from(digits.slice(2) + 'Z', 'latin1'))
    : tlv(TAG.GENERALIZED_TIME, Buffer.from(digits + 'Z', 'latin1'));
}

const SHA256_WITH_RSA_ALG = Buffer.from('300d06092a864886f70d01010b0500', 'hex');

function reasonCodeExtensions(reason: number): Buffer {
  return tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, derOid(OID_EXT.reasonCode), tlv(TAG.OCTET_STRING, tlv(0x0a, Buffer.from([reason])))));
}

/** GeneralNames with one otherName per attribute: [0] { type-id, [0] EXPLICIT UTF8String }. */
function subjectAltName(attributes: Partial<Record<TestAttributeName, string>>): Buffer {
  const names = (Object.keys(JPKI_ATTRIBUTE) as TestAttributeName[])
    .filter((key) => attributes[key] !== undefined)
    .map((key) =>
      tlv(contextTag(0), derOid(JPKI_ATTRIBUTE[key]), tlv(contextTag(0), tlv(TAG.UTF8_STRING, Buffer.from(attributes[key] as string, 'utf8')))),
    );
  return tlv(TAG.SEQUENCE, ...names);
}

/** Raw subject Name of a certificate (the issuer Name of what it signs). */
function subjectNameOf(certDer: Uint8Array): Uint8Array {
  const cert = readWhole(certDer, TAG.SEQUENCE, 'Certificate');
  const tbs = childrenOf(certDer, cert)[0];
  const fields = childrenOf(certDer, tbs);
  const offset = fields[0].tag === contextTag(0) ? 1 : 0;
  return rawOf(certDer, fields[offset + 4]);
}
