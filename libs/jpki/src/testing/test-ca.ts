import 'reflect-metadata'; // @peculiar/x509 needs the Reflect polyfill before it loads
import * as x509 from '@peculiar/x509';
import { createPrivateKey, randomBytes, sign as nodeSign, type KeyObject } from 'node:crypto';
import { childrenOf, contextTag, rawOf, readWhole, TAG } from '../der.reader';
import {
  DER_NULL, derExtension, derInteger as writeInteger, derOid as writeOid, derSmallInteger, derTime as writeTime, derTlv,
  SHA256_WITH_RSA_ALGORITHM,
} from '../der.writer';
import {
  CRL_REASONS, JPKI_ATTRIBUTE, JPKI_AUTHENTICATION_POLICY_ARC, JPKI_SIGNATURE_POLICY_CLASS20, OID_AD_OCSP, OID_EXT, OID_KP_OCSP_SIGNING,
  type CrlReason,
} from '../jpki.oids';
import { asBufferSource, webCrypto } from '../rsa.verify';
import { createTestOcspResponder, type TestOcspOptions } from './test-ocsp.responder';

/**
 * A throw-away certification authority that follows the JPKI signature-certificate profile,
 * for tests, demos and benchmarks only. Everything is generated in memory with real RSA-2048
 * keys and real signatures; nothing here is ever trusted in production.
 *
 * The default shape is the real one (J-LIS, 公的個人認証サービス 証明書プロファイル仕様書, signature
 * certificate and CRL profiles; 署名用認証局運用規程 §1.2 and §3; RFC 5280; RFC 6960):
 *
 * - the signature CA is a single self-signed RSA-2048 root, no intermediate; two root
 *   generations (a key change) are valid side by side under the same DN;
 * - resident certificates carry keyUsage digitalSignature + nonRepudiation (critical), a critical
 *   certificatePolicies with `1.2.392.200149.8.5.1.1.20` and a CPS qualifier, the basic
 *   attributes and the substitute-character position flags (`…8.5.5.2`, `…8.5.5.6`: one `0`/`1`
 *   per character) as subjectAltName otherNames, an issuerAltName directoryName, and a CRL
 *   distribution point that is a directoryName of the resident's municipality;
 * - CRLs are partitioned by distribution point, each with a critical issuingDistributionPoint;
 *   an ARL (onlyContainsCACerts) covers the CA certificates;
 * - an in-process OCSP responder answers with real DER responses, signed by a delegated responder
 *   (id-kp-OCSPSigning, issued by the CA) or by the CA itself.
 *
 * `hierarchy: 'two-level'` keeps the former shape (a test root above a subordinate signing CA),
 * for tests of path building through intermediates. The directory names of the distribution
 * points and the CPS URI are test values (the real ones are published by J-LIS).
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
  /** `jpki` (default): the real shape. `two-level`: a test root above a subordinate signing CA. */
  readonly hierarchy?: 'jpki' | 'two-level';
  /**
   * The resident certificates name this OCSP responder in authorityInfoAccess (id-ad-ocsp,
   * RFC 5280 §4.2.2.1). Default: none — the hub then asks the responder it is configured with
   * (JPKI_OCSP_URL, e.g. a platform operator's).
   */
  readonly ocspUrl?: string;
}

/** Test CRL distribution points, one per municipality, as directory names (test values). */
export const TEST_DISTRIBUTION_POINTS = {
  /** 鳥取市 (31201): every test resident's point unless said otherwise. */
  tottori: 'C=JP, O=JPKI, OU=JPKI for digital signature, OU=CRL Distribution Points, OU=Tottori-ken, CN=Tottori-shi CRLDP',
  /** 倉吉市 (31203) */
  kurayoshi: 'C=JP, O=JPKI, OU=JPKI for digital signature, OU=CRL Distribution Points, OU=Tottori-ken, CN=Kurayoshi-shi CRLDP',
  /** 三朝町 (31364) */
  misasa: 'C=JP, O=JPKI, OU=JPKI for digital signature, OU=CRL Distribution Points, OU=Tottori-ken, CN=Misasa-cho CRLDP',
} as const;
export type TestDistributionPoint = keyof typeof TEST_DISTRIBUTION_POINTS;

/** The canonical form the verifier reports a directory-name distribution point in. */
export function distributionPointName(dn: string): string {
  return `dirName:${dn}`;
}

/** CPS qualifier of the test policy (the real certificates point to J-LIS's CPS). */
export const TEST_CPS_URI = 'http://jpki-test.invalid/cps.html';

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
  /** Valid, issued by the previous root generation (key change: both generations are trusted). */
  'previousGeneration',
  /** Valid signature-arc policy but the bare arc, as older test certificates had it. */
  'bareSignaturePolicy',
  /** A policy outside the JPKI arcs: refused as jpki_policy_not_accepted. */
  'foreignPolicy',
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

/** A revocation the test CA knows of (its CRLs list it, its OCSP responder answers it). */
export interface TestRevocation {
  readonly revokedAt: Date;
  readonly reason: CrlReason;
}

export interface TestCa {
  readonly now: Date;
  readonly hierarchy: 'jpki' | 'two-level';
  /**
   * The current trust anchor. In the real shape the current root generation, which is also
   * `signingCa`; in the two-level shape the test root above it.
   */
  readonly root: TestCertificate;
  /** Issues the resident certificates; its DN is {@link JPKI_SIGNING_CA_NAME}. */
  readonly signingCa: TestCertificate;
  /** The previous root generation (same DN, other key); in the two-level shape, `root`. */
  readonly previousRoot: TestCertificate;
  /** Every CA that issues residents: [previous generation, current generation] (real shape). */
  readonly roots: readonly TestCertificate[];
  /** Delegated OCSP responder of `signingCa` (id-kp-OCSPSigning, id-pkix-ocsp-nocheck). */
  readonly ocspResponder: TestCertificate;
  /** Responder certificates that are NOT authorised: issued by the foreign CA, and issued by signingCa without id-kp-OCSPSigning. */
  readonly unauthorisedResponders: { readonly foreignIssuer: TestCertificate; readonly noOcspSigning: TestCertificate };
  readonly foreignRoot: TestCertificate;
  /** Same DN as signingCa, different key, chains to foreignRoot. */
  readonly foreignSigningCa: TestCertificate;
  readonly residents: Readonly<Record<TestResidentKind, TestResidentCertificate>>;
  readonly crls: {
    /**
     * Real shape: the ARL of the current root (critical IDP onlyContainsCACerts, empty).
     * Two-level: the test root's CRL, needed because the signing CA is not a trust anchor.
     */
    readonly root: TestCrl;
    /** Current CRL of the signing CA listing residents.revoked; real shape: the Tottori-shi partition. */
    readonly current: TestCrl;
    /** Real shape: the previous generation's Tottori-shi partition (empty). Two-level: same as root. */
    readonly previous: TestCrl;
    /** Real shape: the signing CA's partition of another municipality (Kurayoshi-shi). */
    readonly otherPartition: TestCrl;
    /** A full (not partitioned) CRL of the signing CA listing residents.revoked. */
    readonly full: TestCrl;
    /** CRL of the signing CA whose nextUpdate has passed. */
    readonly stale: TestCrl;
    /** Names the signing CA as issuer but is signed by foreignSigningCa's key. */
    readonly foreignSigned: TestCrl;
  };
  /** Every CRL needed to verify every valid resident: JpkiVerifier/CrlStore input. */
  readonly currentCrls: readonly TestCrl[];
  /** DER of the trust anchors (both root generations in the real shape). */
  readonly trustAnchors: readonly Uint8Array[];
  /** DER of the intermediates (none in the real shape; the signing CA in the two-level shape). */
  readonly intermediates: readonly Uint8Array[];
  /** The distribution point names (canonical) of the test municipalities. */
  readonly distributionPoints: Readonly<Record<TestDistributionPoint, string>>;
  /** Records a revocation: later CRLs (`issueCrl`) list it, the OCSP responder answers it. */
  revoke(serialNumber: string, reason: CrlReason, revokedAt?: Date): void;
  /** A fresh partition CRL of `ca` (default signingCa) for a municipality, listing what was revoked. */
  issueCrl(options?: { ca?: TestCertificate; distributionPoint?: TestDistributionPoint; thisUpdate?: Date; nextUpdate?: Date }): Promise<TestCrl>;
  /** The in-process OCSP responder: an OCSP request DER in, a DER OCSPResponse out. */
  ocsp(request: Uint8Array, options?: TestOcspOptions): Uint8Array;
}

const RESIDENT_ATTRIBUTES: Record<TestResidentKind, Partial<Record<TestAttributeName, string>>> = {
  valid: {
    // 髙 (はしごだか) is outside JIS levels 1–2: the card writes a substitute character for it and
    // flags position 0.
    name: '髙橋　一郎',
    nameSubstitute: '10000',
    gender: '1',
    dateOfBirth: '319800401',
    address: '鳥取県鳥取市テスト町一丁目１番地',
    addressSubstitute: '0000000000000000',
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
  previousGeneration: { name: '旧鍵　世代', gender: '2', dateOfBirth: '319770707', address: '鳥取県倉吉市テスト町十番地' },
  bareSignaturePolicy: { name: '素朴　方針', gender: '1', dateOfBirth: '319880808', address: '鳥取県鳥取市テスト町十一番地' },
  foreignPolicy: { name: '外国　方針', gender: '2', dateOfBirth: '319990909', address: '鳥取県鳥取市テスト町十二番地' },
};

/** Generates the whole test PKI. Takes a couple of seconds (16 RSA keys). */
export async function generateTestCa(options: TestCaOptions = {}): Promise<TestCa> {
  const hierarchy = options.hierarchy ?? 'jpki';
  const real = hierarchy === 'jpki';
  const now = new Date(Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000);
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
  const subtle = webCrypto().subtle;

  const keyOf = (bits: number) => subtle.generateKey(RSA_KEYGEN(bits), true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  const [rootKeys, signingKeys, foreignRootKeys, foreignSigningKeys, responderKeys, ...residentKeys] = await Promise.all([
    keyOf(2048), keyOf(2048), keyOf(2048), keyOf(2048), keyOf(2048),
    ...TEST_RESIDENT_KINDS.map((kind) => keyOf(kind === 'smallKey' ? 1024 : 2048)),
  ]);

  let root: TestCertificate;
  let signingCa: TestCertificate;
  let previousRoot: TestCertificate;
  if (real) {
    // Two generations of the self-signed signature CA, same DN, both valid now (key change).
    previousRoot = await issueCa({ name: JPKI_SIGNING_CA_NAME, keys: rootKeys, notBefore: at(-6 * YEAR), notAfter: at(4 * YEAR) });
    signingCa = await issueCa({ name: JPKI_SIGNING_CA_NAME, keys: signingKeys, notBefore: at(-YEAR), notAfter: at(12 * YEAR) });
    root = signingCa;
  } else {
    root = await issueCa({ name: JPKI_TEST_ROOT_CA_NAME, keys: rootKeys, notBefore: at(-2 * YEAR), notAfter: at(20 * YEAR) });
    signingCa = await issueCa({
      name: JPKI_SIGNING_CA_NAME, keys: signingKeys, issuer: root, notBefore: at(-YEAR), notAfter: at(10 * YEAR), pathLength: 0,
    });
    previousRoot = root;
  }
  const foreignRoot = await issueCa({
    name: JPKI_TEST_FOREIGN_ROOT_NAME, keys: foreignRootKeys, notBefore: at(-2 * YEAR), notAfter: at(20 * YEAR),
  });
  const foreignSigningCa = await issueCa({
    name: JPKI_SIGNING_CA_NAME, keys: foreignSigningKeys, issuer: foreignRoot, notBefore: at(-YEAR), notAfter: at(10 * YEAR), pathLength: 0,
  });
  const responderWindow = { notBefore: at(-DAY), notAfter: at(60 * DAY) };
  const ocspResponder = await issueResponder({ keys: responderKeys, issuer: signingCa, ...responderWindow, ocspSigning: true });
  const unauthorisedResponders = {
    foreignIssuer: await issueResponder({ keys: responderKeys, issuer: foreignSigningCa, ...responderWindow, ocspSigning: true }),
    noOcspSigning: await issueResponder({ keys: responderKeys, issuer: signingCa, ...responderWindow, ocspSigning: false }),
  };

  const SIGNATURE_USAGE = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;
  const residentEntries = await Promise.all(
    TEST_RESIDENT_KINDS.map(async (kind, i): Promise<[TestResidentKind, TestResidentCertificate]> => {
      const validFrom = kind === 'expired' ? at(-5 * YEAR - 10 * DAY) : kind === 'notYetValid' ? at(10 * DAY) : at(-30 * DAY);
      const validTo = kind === 'expired' ? at(-10 * DAY) : kind === 'notYetValid' ? at(5 * YEAR) : at(5 * YEAR - 30 * DAY);
      const policy = kind === 'authenticationPolicy' ? `${JPKI_AUTHENTICATION_POLICY_ARC}.30`
        : kind === 'bareSignaturePolicy' ? '1.2.392.200149.8.5.1.1'
          : kind === 'foreignPolicy' ? '1.2.392.200149.99.1' : JPKI_SIGNATURE_POLICY_CLASS20;
      const cert = await issueResident({
        keys: residentKeys[i],
        issuer: kind === 'foreignCa' ? foreignSigningCa : kind === 'previousGeneration' ? previousRoot : signingCa,
        notBefore: validFrom,
        notAfter: validTo,
        attributes: RESIDENT_ATTRIBUTES[kind],
        policy,
        keyUsage: kind === 'wrongKeyUsage'
          ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
          : SIGNATURE_USAGE,
        hash: kind === 'sha1Signature' ? 'SHA-1' : 'SHA-256',
        distributionPoint: real ? TEST_DISTRIBUTION_POINTS.tottori : undefined,
        ocspUrl: options.ocspUrl,
      });
      return [kind, cert];
    }),
  );
  const residents = Object.fromEntries(residentEntries) as Record<TestResidentKind, TestResidentCertificate>;

  const revocations = new Map<string, TestRevocation>();
  const revoke = (serialNumber: string, reason: CrlReason, revokedAt: Date = new Date(now.getTime() - DAY)): void => {
    revocations.set(evenHex(serialNumber).replace(/^(00)+(?=..)/, ''), { revokedAt, reason });
  };
  revoke(residents.revoked.serialNumber, 'affiliationChanged');
  const listed = () => [...revocations].map(([serialNumber, r]) => ({ serialNumber, ...r }));
  const hour = 60 * 60 * 1000;
  const tottori = real ? TEST_DISTRIBUTION_POINTS.tottori : undefined;
  const crls = {
    root: real
      ? await buildTestCrl({ ca: root, thisUpdate: at(-hour), nextUpdate: at(30 * DAY), entries: [], crlNumber: 1, onlyCaCerts: true })
      : await buildTestCrl({ ca: root, thisUpdate: at(-hour), nextUpdate: at(30 * DAY), entries: [], crlNumber: 1 }),
    current: await buildTestCrl({ ca: signingCa, thisUpdate: at(-hour), nextUpdate: at(DAY), entries: listed(), crlNumber: 2, distributionPoint: tottori }),
    previous: real
      ? await buildTestCrl({ ca: previousRoot, thisUpdate: at(-hour), nextUpdate: at(DAY), entries: [], crlNumber: 2, distributionPoint: tottori })
      : await buildTestCrl({ ca: root, thisUpdate: at(-hour), nextUpdate: at(30 * DAY), entries: [], crlNumber: 1 }),
    otherPartition: await buildTestCrl({
      ca: signingCa, thisUpdate: at(-hour), nextUpdate: at(DAY), entries: [], crlNumber: 2, distributionPoint: TEST_DISTRIBUTION_POINTS.kurayoshi,
    }),
    full: await buildTestCrl({ ca: signingCa, thisUpdate: at(-hour), nextUpdate: at(DAY), entries: listed(), crlNumber: 2 }),
    stale: await buildTestCrl({
      ca: signingCa, thisUpdate: at(-3 * DAY), nextUpdate: at(-2 * DAY), entries: listed(), crlNumber: 1, distributionPoint: tottori,
    }),
    foreignSigned: await buildTestCrl({
      ca: signingCa, signer: foreignSigningCa, thisUpdate: at(-hour), nextUpdate: at(DAY), entries: [], crlNumber: 3, distributionPoint: tottori,
    }),
  };

  const issued = new Set(Object.values(residents).map((r) => r.serialNumber));
  const ocsp = createTestOcspResponder({
    cas: real ? [signingCa, previousRoot] : [signingCa],
    responder: ocspResponder,
    now: () => now,
    isIssued: (serial) => issued.has(serial),
    revocation: (serial) => revocations.get(serial),
  });

  return {
    now,
    hierarchy,
    root,
    signingCa,
    previousRoot,
    roots: real ? [previousRoot, signingCa] : [signingCa],
    ocspResponder,
    unauthorisedResponders,
    foreignRoot,
    foreignSigningCa,
    residents,
    crls,
    currentCrls: real ? [crls.root, crls.current, crls.previous] : [crls.root, crls.current],
    trustAnchors: real ? [previousRoot.der, signingCa.der] : [root.der],
    intermediates: real ? [] : [signingCa.der],
    distributionPoints: {
      tottori: distributionPointName(TEST_DISTRIBUTION_POINTS.tottori),
      kurayoshi: distributionPointName(TEST_DISTRIBUTION_POINTS.kurayoshi),
      misasa: distributionPointName(TEST_DISTRIBUTION_POINTS.misasa),
    },
    revoke,
    issueCrl: async (o = {}) => buildTestCrl({
      ca: o.ca ?? signingCa,
      thisUpdate: o.thisUpdate ?? new Date(now.getTime() - 60_000),
      nextUpdate: o.nextUpdate ?? new Date(now.getTime() + DAY),
      entries: (o.ca ?? signingCa) === signingCa || !real ? listed() : [],
      crlNumber: Math.floor(Date.now() / 1000) % 100_000,
      distributionPoint: real ? TEST_DISTRIBUTION_POINTS[o.distributionPoint ?? 'tottori'] : undefined,
    }),
    ocsp: (request, o) => ocsp(request, o),
  };
}

export interface LargeCrlOptions {
  /** Number of generated entries (besides `include`). Default 1,000,000. */
  readonly entries?: number;
  /** Serials (hex) to list as well; default: the revoked resident's serial. */
  readonly include?: readonly string[];
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date;
  /** Partition (real shape default: the residents' Tottori-shi point); `null` for a full CRL. */
  readonly distributionPoint?: TestDistributionPoint | null;
}

/**
 * A signing-CA CRL with a million random 16-byte serials (≈35 MB), signed by the test signing
 * CA. Built directly as DER into one buffer: going through an ASN.1 object model would take
 * minutes and gigabytes at this size. In the real shape it is the residents' partition (critical
 * issuingDistributionPoint).
 */
export async function generateLargeCrl(ca: TestCa, options: LargeCrlOptions = {}): Promise<TestCrl> {
  const count = options.entries ?? 1_000_000;
  const include = options.include ?? [ca.residents.revoked.serialNumber];
  const thisUpdate = options.thisUpdate ?? new Date(ca.now.getTime() - 30 * 60 * 1000);
  const nextUpdate = options.nextUpdate ?? new Date(ca.now.getTime() + DAY);
  const revocationDate = derTime(new Date(thisUpdate.getTime() - DAY));
  const dp = options.distributionPoint === null ? undefined
    : ca.hierarchy === 'jpki' ? TEST_DISTRIBUTION_POINTS[options.distributionPoint ?? 'tottori'] : undefined;

  // Each generated entry: 30 21 | 02 10 <16-byte serial> | 17 0d <UTCTime> = 35 bytes.
  const ENTRY = 2 + 2 + 16 + revocationDate.length;
  const serials = randomBytes(count * 16);
  const includeEntries = include.map((hex) =>
    tlv(TAG.SEQUENCE, derInteger(Buffer.from(evenHex(hex), 'hex')), revocationDate, reasonCodeExtensions(CRL_REASONS.affiliationChanged)),
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

  const der = signCrl(ca.signingCa, ca.signingCa, {
    thisUpdate, nextUpdate, entriesDer: body, crlNumber: 0x1000, distributionPoint: dp,
  });
  return {
    der,
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

/** Options of {@link issueTestCard}. */
export interface TestCardOptions {
  /** The card's municipality (its CRL partition). Default tottori. Ignored for a two-level signing CA. */
  readonly distributionPoint?: TestDistributionPoint;
  /** An OCSP responder named in authorityInfoAccess (id-ad-ocsp). Default none. */
  readonly ocspUrl?: string;
}

/**
 * Issues one more valid signature certificate (a "test card") from the test signing CA, with a
 * fresh RSA-2048 key, in the real profile: development demos give each resident a card of their own.
 * Substitute-character flags default to all `0` (one per character).
 */
export async function issueTestCard(
  signingCa: TestCertificate,
  attributes: Partial<Record<TestAttributeName, string>>,
  now: Date = new Date(),
  options: TestCardOptions = {},
): Promise<TestResidentCertificate> {
  const keys = await webCrypto().subtle.generateKey(RSA_KEYGEN(2048), true, ['sign', 'verify']) as CryptoKeyPair;
  const selfSigned = signingCa.subject === signingCa.issuer;
  return issueResident({
    keys, issuer: signingCa,
    attributes: {
      ...(attributes.name !== undefined && { nameSubstitute: '0'.repeat([...attributes.name].length) }),
      ...(attributes.address !== undefined && { addressSubstitute: '0'.repeat([...attributes.address].length) }),
      ...attributes,
    },
    notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 5 * YEAR - 30 * DAY),
    policy: JPKI_SIGNATURE_POLICY_CLASS20,
    keyUsage: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
    hash: 'SHA-256',
    distributionPoint: selfSigned ? TEST_DISTRIBUTION_POINTS[options.distributionPoint ?? 'tottori'] : undefined,
    ocspUrl: options.ocspUrl,
  });
}

/** One entry of a test CRL. */
export interface TestCrlEntry {
  readonly serialNumber: string;
  readonly revokedAt?: Date;
  readonly reason?: CrlReason;
}

/**
 * Issues a fresh CRL for a test CA (its own key signs), e.g. on each scheduled refresh. With
 * `distributionPoint` (a key of TEST_DISTRIBUTION_POINTS or a DN) it is that municipality's
 * partition (critical issuingDistributionPoint); `onlyCaCerts` makes it an ARL.
 */
export async function issueTestCrl(
  ca: TestCertificate,
  options: {
    thisUpdate: Date; nextUpdate: Date; revoked?: readonly (string | TestCrlEntry)[]; crlNumber?: number;
    distributionPoint?: TestDistributionPoint | string; onlyCaCerts?: boolean;
  },
): Promise<TestCrl> {
  const dp = options.distributionPoint === undefined ? undefined
    : (TEST_DISTRIBUTION_POINTS as Record<string, string>)[options.distributionPoint] ?? options.distributionPoint;
  return buildTestCrl({
    ca, thisUpdate: options.thisUpdate, nextUpdate: options.nextUpdate,
    entries: (options.revoked ?? []).map((e) => (typeof e === 'string' ? { serialNumber: e } : e)),
    crlNumber: options.crlNumber ?? Math.floor(options.thisUpdate.getTime() / 60_000) % 250,
    distributionPoint: dp, onlyCaCerts: options.onlyCaCerts,
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

/**
 * A fresh delegated OCSP responder certificate for a test CA (id-kp-OCSPSigning, ocsp-nocheck,
 * valid 60 days from `now`) with a new RSA-2048 key: a development responder re-issues it at boot.
 * `noCheck: false` leaves id-pkix-ocsp-nocheck out: a relying party must then check the
 * responder's own revocation (RFC 6960 §4.2.2.2.1).
 */
export async function issueTestOcspResponder(ca: TestCertificate, now: Date = new Date(), options: { noCheck?: boolean } = {}): Promise<TestCertificate> {
  const keys = await webCrypto().subtle.generateKey(RSA_KEYGEN(2048), true, ['sign', 'verify']) as CryptoKeyPair;
  return issueResponder({
    keys, issuer: ca, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 60 * DAY), ocspSigning: true, noCheck: options.noCheck ?? true,
  });
}

/** A delegated OCSP responder certificate (RFC 6960 §4.2.2.2), or one lacking id-kp-OCSPSigning (or id-pkix-ocsp-nocheck). */
async function issueResponder(p: {
  keys: CryptoKeyPair; issuer: TestCertificate; notBefore: Date; notAfter: Date; ocspSigning: boolean; noCheck?: boolean;
}): Promise<TestCertificate> {
  const issuerCert = new x509.X509Certificate(asBufferSource(p.issuer.der));
  const extensions: x509.Extension[] = [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    await x509.AuthorityKeyIdentifierExtension.create(issuerCert.publicKey),
    await x509.SubjectKeyIdentifierExtension.create(p.keys.publicKey),
  ];
  if (p.noCheck ?? true) extensions.push(new x509.Extension(OID_EXT.ocspNoCheck, false, asBufferSource(DER_NULL)));
  if (p.ocspSigning) extensions.push(new x509.ExtendedKeyUsageExtension([OID_KP_OCSP_SIGNING], false));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `C=JP, O=JPKI, OU=JPKI for digital signature, CN=Test OCSP Responder ${randomBytes(3).toString('hex').toUpperCase()}`,
    issuer: issuerCert.subjectName,
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    signingAlgorithm: RSA_SHA256,
    publicKey: p.keys.publicKey,
    signingKey: p.issuer.privateKey,
    extensions,
  });
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
  /** Directory name of the CRL distribution point; absent: the former URL form. */
  readonly distributionPoint?: string;
  /** authorityInfoAccess id-ad-ocsp URI; absent: no AIA extension. */
  readonly ocspUrl?: string;
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
  const crlDp = p.distributionPoint
    ? new x509.Extension(OID_EXT.crlDistributionPoints, false, asBufferSource(directoryNameDistributionPoints(p.distributionPoint)))
    : new x509.CRLDistributionPointsExtension(['http://jpki-test.invalid/crl/signature.crl']);
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
      // Critical, with a CPS qualifier, as the J-LIS profile has it.
      new x509.Extension(OID_EXT.certificatePolicies, true, asBufferSource(certificatePolicies(p.policy, TEST_CPS_URI))),
      new x509.Extension(OID_EXT.subjectAltName, false, asBufferSource(subjectAltName(p.attributes))),
      // issuerAltName: directoryName C=JP, O=公的個人認証サービス, as on real cards.
      new x509.Extension(OID_EXT.issuerAltName, false, asBufferSource(tlv(TAG.SEQUENCE, tlv(contextTag(4), nameDer('C=JP, O=公的個人認証サービス'))))),
      await x509.AuthorityKeyIdentifierExtension.create(issuerCert.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(p.keys.publicKey),
      crlDp,
      ...(p.ocspUrl ? [new x509.Extension(OID_EXT.authorityInfoAccess, false, asBufferSource(authorityInfoAccess(p.ocspUrl)))] : []),
    ],
  });
  return { ...(await toTestCertificate(cert, p.keys.privateKey)), attributes: { ...p.attributes } };
}

interface BuildCrlParams {
  readonly ca: TestCertificate;
  /** Key that signs (default: the CA's own). */
  readonly signer?: TestCertificate;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly entries: readonly TestCrlEntry[];
  readonly crlNumber: number;
  /** Partition: the DN of the distribution point (critical issuingDistributionPoint). */
  readonly distributionPoint?: string;
  /** An ARL: critical issuingDistributionPoint with onlyContainsCACerts. */
  readonly onlyCaCerts?: boolean;
}

async function buildTestCrl(p: BuildCrlParams): Promise<TestCrl> {
  const entriesDer = Buffer.concat(p.entries.map((e) => tlv(
    TAG.SEQUENCE,
    derInteger(Buffer.from(evenHex(e.serialNumber), 'hex')),
    derTime(e.revokedAt ?? new Date(p.thisUpdate.getTime() - DAY)),
    reasonCodeExtensions(CRL_REASONS[e.reason ?? 'keyCompromise']),
  )));
  const der = signCrl(p.ca, p.signer ?? p.ca, {
    thisUpdate: p.thisUpdate, nextUpdate: p.nextUpdate, entriesDer, crlNumber: p.crlNumber,
    distributionPoint: p.distributionPoint, onlyCaCerts: p.onlyCaCerts,
  });
  return {
    der,
    issuer: p.ca.subject,
    thisUpdate: p.thisUpdate,
    nextUpdate: p.nextUpdate,
    revokedCount: p.entries.length,
    knownRevokedSerials: p.entries.map((e) => e.serialNumber),
  };
}

const signerKeys = new WeakMap<TestCertificate, KeyObject>();
function nodeKeyOf(cert: TestCertificate): KeyObject {
  let key = signerKeys.get(cert);
  if (!key) {
    key = createPrivateKey({ key: Buffer.from(cert.privateKeyPkcs8), format: 'der', type: 'pkcs8' });
    signerKeys.set(cert, key);
  }
  return key;
}

/** Writes and signs a v2 CRL (RFC 5280 §5) as DER. */
function signCrl(ca: TestCertificate, signer: TestCertificate, p: {
  thisUpdate: Date; nextUpdate: Date; entriesDer: Buffer; crlNumber: number; distributionPoint?: string; onlyCaCerts?: boolean;
}): Uint8Array {
  const extensions: Buffer[] = [
    derExtension(OID_EXT.authorityKeyIdentifier, false, tlv(TAG.SEQUENCE, tlv(contextTag(0, true), subjectKeyIdOf(signer.der)))),
    derExtension(OID_EXT.crlNumber, false, derSmallInteger(p.crlNumber)),
  ];
  if (p.distributionPoint || p.onlyCaCerts) {
    const fields: Buffer[] = [];
    if (p.distributionPoint) fields.push(tlv(contextTag(0), tlv(contextTag(0), tlv(contextTag(4), nameDer(p.distributionPoint)))));
    if (p.onlyCaCerts) fields.push(tlv(contextTag(2, true), Buffer.from([0xff])));
    extensions.push(derExtension(OID_EXT.issuingDistributionPoint, true, tlv(TAG.SEQUENCE, ...fields)));
  }
  const tbs = tlv(
    TAG.SEQUENCE,
    derInteger(Buffer.from([1])),
    SHA256_WITH_RSA_ALG,
    subjectNameOf(ca.der),
    derTime(p.thisUpdate),
    derTime(p.nextUpdate),
    ...(p.entriesDer.length ? [tlv(TAG.SEQUENCE, p.entriesDer)] : []),
    tlv(contextTag(0), tlv(TAG.SEQUENCE, ...extensions)),
  );
  const signature = nodeSign('sha256', tbs, nodeKeyOf(signer));
  const der = tlv(TAG.SEQUENCE, tbs, SHA256_WITH_RSA_ALG, tlv(TAG.BIT_STRING, Buffer.from([0]), signature));
  return new Uint8Array(der.buffer, der.byteOffset, der.byteLength);
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

const tlv = derTlv;

/** AuthorityInfoAccessSyntax with one id-ad-ocsp uniformResourceIdentifier [6] (RFC 5280 §4.2.2.1). */
function authorityInfoAccess(url: string): Uint8Array {
  return tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, writeOid(OID_AD_OCSP), tlv(contextTag(6, true), Buffer.from(url, 'latin1'))));
}
const derInteger = writeInteger;
const derOid = writeOid;
const derTime = writeTime;
const SHA256_WITH_RSA_ALG = SHA256_WITH_RSA_ALGORITHM;

function reasonCodeExtensions(reason: number): Buffer {
  return tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, derOid(OID_EXT.reasonCode), tlv(TAG.OCTET_STRING, tlv(0x0a, Buffer.from([reason])))));
}

/** DER of a DN written as @peculiar/x509 reads it. */
export function nameDer(dn: string): Buffer {
  return Buffer.from(new x509.Name(dn).toArrayBuffer());
}

/** cRLDistributionPoints with one point whose fullName is a directoryName. */
function directoryNameDistributionPoints(dn: string): Buffer {
  return tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, tlv(contextTag(0), tlv(contextTag(0), tlv(contextTag(4), nameDer(dn))))));
}

/** certificatePolicies: one PolicyInformation with a CPS qualifier (id-qt-cps, IA5String URI). */
function certificatePolicies(policy: string, cps: string): Buffer {
  const qualifier = tlv(TAG.SEQUENCE, derOid('1.3.6.1.5.5.7.2.1'), tlv(0x16, Buffer.from(cps, 'latin1')));
  return tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, derOid(policy), tlv(TAG.SEQUENCE, qualifier)));
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

/** subjectKeyIdentifier of a certificate (the test CA always writes one). */
function subjectKeyIdOf(certDer: Uint8Array): Buffer {
  const ext = new x509.X509Certificate(asBufferSource(certDer)).getExtension(x509.SubjectKeyIdentifierExtension);
  if (!ext) throw new Error('test CA certificate without subjectKeyIdentifier');
  return Buffer.from(ext.keyId, 'hex');
}

