import 'reflect-metadata'; // @peculiar/x509 (through tsyringe) needs the Reflect polyfill loaded first
import * as x509 from '@peculiar/x509';
import * as nodeCrypto from 'node:crypto';
import {
  childrenOf, contentOf, contextTag, DerError, normalizeSerialBytes, rawOf, readOid, readTime, readWhole, TAG,
  toHex, type Tlv,
} from './der.reader';
import { readCrlDistributionPoints, type DistributionPoint } from './distribution-point';
import { JpkiError } from './jpki.error';
import { OID_AD_OCSP, OID_EXT, OID_RSA_ENCRYPTION, OID_SHA256_WITH_RSA } from './jpki.oids';
import { asBufferSource, webCrypto } from './rsa.verify';

x509.cryptoProvider.set(webCrypto());

/** A v3 extension as found in the certificate. */
export interface ParsedExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** extnValue content (the DER of the extension-specific structure). */
  readonly value: Uint8Array;
}

/** What the verifier needs from a certificate, extracted once. Internal to the library. */
export interface ParsedCertificate {
  readonly der: Uint8Array;
  /** The exact tbsCertificate bytes the signature covers. */
  readonly tbs: Uint8Array;
  readonly fingerprintSha256: string;
  /** Normalised hex, see normalizeSerialBytes. */
  readonly serialNumber: string;
  /** Raw DER of the issuer and subject Names, hex: names are compared byte for byte. */
  readonly issuerKey: string;
  readonly subjectKey: string;
  readonly issuer: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** signatureAlgorithm OID; `signatureAlgorithmOk` is true only for sha256WithRSA with NULL/absent parameters, same in tbs. */
  readonly signatureAlgorithm: string;
  readonly signatureAlgorithmOk: boolean;
  readonly signatureValue: Uint8Array;
  /** Raw SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  /**
   * The RSAPublicKey (PKCS#1) inside the SubjectPublicKeyInfo BIT STRING. Imported into
   * node:crypto as `pkcs1` DER: same key, but OpenSSL 3 decodes it ~20x faster than the SPKI form.
   */
  readonly rsaPublicKey: Uint8Array;
  readonly spkiSha256: string;
  readonly publicKeyAlgorithm: string;
  /** Modulus size of an RSA key with a sane public exponent; undefined otherwise. */
  readonly rsaModulusBits?: number;
  readonly extensions: readonly ParsedExtension[];
  /** x509.KeyUsageFlags bits (bit n of the BIT STRING = 2^n), undefined when the extension is absent. */
  readonly keyUsage?: number;
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLength?: number };
  readonly policies?: readonly string[];
  readonly subjectAltName?: Uint8Array;
  /** cRLDistributionPoints, names in canonical form (distribution-point.ts). */
  readonly crlDistributionPoints?: readonly DistributionPoint[];
  /** extKeyUsage purposes (OIDs). */
  readonly extendedKeyUsage?: readonly string[];
  /** authorityInfoAccess id-ad-ocsp locations that are http(s) URIs, in the certificate's order. */
  readonly ocspUrls?: readonly string[];
  /** authorityKeyIdentifier.keyIdentifier, hex. */
  readonly authorityKeyId?: string;
  /** subjectKeyIdentifier, hex. */
  readonly subjectKeyId?: string;
  /** Raw subject Name DER (what an OCSP CertID hashes as issuerNameHash when this is the CA). */
  readonly subjectName: Uint8Array;
}

/** One-shot `crypto.hash` (Node ≥ 20.12) where there is one: no Hash object per call, ~30% faster on a certificate. */
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'hex') => string }).hash;
export const sha256Hex = (bytes: Uint8Array): string =>
  (oneShotHash ? oneShotHash('sha256', bytes, 'hex') : nodeCrypto.createHash('sha256').update(bytes).digest('hex'));

function ensure(cond: boolean, what: string): asserts cond {
  if (!cond) throw new DerError(what);
}

/** Reads an AlgorithmIdentifier; `paramsAbsentOrNull` tells whether parameters are absent or NULL. */
function readAlgorithm(der: Uint8Array, tlv: Tlv): { oid: string; paramsAbsentOrNull: boolean } {
  ensure(tlv.tag === TAG.SEQUENCE, 'AlgorithmIdentifier');
  const parts = childrenOf(der, tlv);
  ensure(parts.length === 1 || parts.length === 2, 'AlgorithmIdentifier');
  const oid = readOid(der, parts[0]);
  const params = parts[1];
  const paramsAbsentOrNull = !params || (params.tag === TAG.NULL && params.end === params.contentStart);
  return { oid, paramsAbsentOrNull };
}

function bitStringBytes(der: Uint8Array, tlv: Tlv, what: string): Uint8Array {
  ensure(tlv.tag === TAG.BIT_STRING && tlv.end > tlv.contentStart, what);
  ensure(der[tlv.contentStart] === 0, `${what}: unused bits`);
  return der.subarray(tlv.contentStart + 1, tlv.end);
}

/** Modulus bits of an RSAPublicKey, or undefined when the key is not a usable RSA key. */
function rsaModulusBits(key: Uint8Array): number | undefined {
  const seq = readWhole(key, TAG.SEQUENCE, 'RSAPublicKey');
  const [n, e, ...rest] = childrenOf(key, seq);
  ensure(!!n && !!e && rest.length === 0 && n.tag === TAG.INTEGER && e.tag === TAG.INTEGER, 'RSAPublicKey');
  let start = n.contentStart;
  ensure(n.end > start && key[start] < 0x80, 'RSA modulus must be positive');
  while (start < n.end && key[start] === 0) start++;
  if (start === n.end) return undefined;
  const bits = (n.end - start - 1) * 8 + (32 - Math.clz32(key[start]));
  const exponent = contentOf(key, e);
  const last = exponent[exponent.length - 1];
  const exponentOk = exponent.length > 0 && exponent[0] < 0x80 && (last & 1) === 1 &&
    !(exponent.length === 1 && last === 1) && exponent.length <= 8;
  return exponentOk ? bits : undefined;
}

function signatureAlgorithmOk(der: Uint8Array, outer: Tlv, inner: Tlv): { oid: string; ok: boolean } {
  const a = readAlgorithm(der, outer);
  readAlgorithm(der, inner);
  const same = Buffer.compare(rawOf(der, outer), rawOf(der, inner)) === 0;
  return { oid: a.oid, ok: same && a.oid === OID_SHA256_WITH_RSA && a.paramsAbsentOrNull };
}

// ---------------------------------------------------------------------------------------------
// Names

/** Short names @peculiar/x509 uses for attribute types (its `names` table). */
const NAME_TYPES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '2.5.4.4': 'SN',
  '2.5.4.12': 'T',
};
const PRINTABLE_STRING = 0x13;
const IA5_STRING = 0x16;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The escaping of @peculiar/x509's Name.toString(), reproduced exactly (including its quirks). */
const NEEDS_ESCAPE = /[,+"\\<>;\r\n\t]|^[ #]| $/;
function escapeDnValue(data: string): string {
  if (!NEEDS_ESCAPE.test(data)) return data;
  return data
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/([ ]$)/, '\\$1')
    .replace(/([\r\n\t])/, (_m, char: string) => `\\${Buffer.from(char, 'utf8').toString('hex').toUpperCase()}`);
}

function asciiOf(bytes: Uint8Array, start: number, end: number): string | undefined {
  let s = '';
  for (let i = start; i < end; i++) {
    if (bytes[i] >= 0x80) return undefined;
    s += String.fromCharCode(bytes[i]);
  }
  return s;
}

/** Value of a PrintableString, IA5String or valid UTF8String; undefined for anything else. */
function simpleDnValue(der: Uint8Array, value: Tlv): string | undefined {
  if (value.tag === PRINTABLE_STRING || value.tag === IA5_STRING) return asciiOf(der, value.contentStart, value.end);
  if (value.tag === TAG.UTF8_STRING) {
    try {
      return strictUtf8.decode(der.subarray(value.contentStart, value.end));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Display-name cache: CA names repeat on every call; bounded, so resident subjects cannot grow it. */
const nameStrings = new Map<string, string>();
const MAX_NAME_STRINGS = 1024;
/** Issuer DER (hex) → display string; a Name is only stored after formatName accepted it. */
const issuerNames = new Map<string, string>();

/**
 * Checks a Name strictly (SEQUENCE OF non-empty SET OF SEQUENCE { OID, one value }) and returns
 * its display string, identical to `new x509.Name(der).toString()`: the common string types are
 * formatted here, a Name with any other value type (BMPString, TeletexString, …) is handed to
 * @peculiar/x509, which then also decides whether it is acceptable.
 */
export function formatName(der: Uint8Array, name: Tlv): string {
  ensure(name.tag === TAG.SEQUENCE, 'Name');
  const rdns: string[] = [];
  let simple = true;
  for (const rdn of childrenOf(der, name)) {
    ensure(rdn.tag === TAG.SET, 'RelativeDistinguishedName');
    const parts: string[] = [];
    for (const atv of childrenOf(der, rdn)) {
      ensure(atv.tag === TAG.SEQUENCE, 'AttributeTypeAndValue');
      const tv = childrenOf(der, atv);
      ensure(tv.length === 2, 'AttributeTypeAndValue');
      const type = readOid(der, tv[0]);
      const value = simple ? simpleDnValue(der, tv[1]) : undefined;
      if (value === undefined) simple = false;
      else parts.push(`${NAME_TYPES[type] ?? type}=${escapeDnValue(value)}`);
    }
    ensure(parts.length > 0 || !simple, 'empty RelativeDistinguishedName');
    rdns.push(parts.join('+'));
  }
  if (simple) return rdns.join(', ');
  const raw = rawOf(der, name);
  const key = toHex(raw);
  let text = nameStrings.get(key);
  if (text === undefined) {
    text = new x509.Name(asBufferSource(raw.slice())).toString();
    if (nameStrings.size >= MAX_NAME_STRINGS) nameStrings.delete(nameStrings.keys().next().value as string);
    nameStrings.set(key, text);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Extensions the verifier reads

/** KeyUsage BIT STRING → flags, bit n of the string being 2^n (x509.KeyUsageFlags). */
function readKeyUsage(value: Uint8Array): number {
  const tlv = readWhole(value, TAG.BIT_STRING, 'keyUsage');
  ensure(tlv.end > tlv.contentStart, 'keyUsage');
  const unused = value[tlv.contentStart];
  const octets = tlv.end - tlv.contentStart - 1;
  ensure(unused <= 7 && (octets > 0 || unused === 0), 'keyUsage unused bits');
  const bits = octets * 8 - unused;
  let flags = 0;
  for (let i = 0; i < bits && i < 31; i++) {
    if ((value[tlv.contentStart + 1 + (i >> 3)] & (0x80 >> (i & 7))) !== 0) flags |= 1 << i;
  }
  return flags;
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
function readBasicConstraints(value: Uint8Array): { ca: boolean; pathLength?: number } {
  const seq = readWhole(value, TAG.SEQUENCE, 'basicConstraints');
  const parts = childrenOf(value, seq);
  let i = 0;
  let ca = false;
  if (parts[i]?.tag === TAG.BOOLEAN) {
    ensure(parts[i].end - parts[i].contentStart === 1, 'basicConstraints.cA');
    ca = value[parts[i].contentStart] !== 0;
    i++;
  }
  let pathLength: number | undefined;
  if (parts[i]?.tag === TAG.INTEGER) {
    const n = contentOf(value, parts[i]);
    ensure(n.length >= 1 && n.length <= 6 && n[0] < 0x80, 'basicConstraints.pathLenConstraint');
    pathLength = 0;
    for (const b of n) pathLength = pathLength * 256 + b;
    i++;
  }
  ensure(i === parts.length, 'basicConstraints');
  return pathLength === undefined ? { ca } : { ca, pathLength };
}

/**
 * certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation { policyIdentifier OID,
 * policyQualifiers SEQUENCE SIZE (1..MAX) OF PolicyQualifierInfo { OID, ANY } OPTIONAL }. An empty
 * list is let through as before: it then fails the policy check (jpki_not_signature_certificate).
 */
function readPolicies(value: Uint8Array): string[] {
  const seq = readWhole(value, TAG.SEQUENCE, 'certificatePolicies');
  const policies: string[] = [];
  for (const info of childrenOf(value, seq)) {
    ensure(info.tag === TAG.SEQUENCE, 'PolicyInformation');
    const parts = childrenOf(value, info);
    ensure(parts.length === 1 || parts.length === 2, 'PolicyInformation');
    policies.push(readOid(value, parts[0]));
    if (parts.length === 2) {
      ensure(parts[1].tag === TAG.SEQUENCE, 'policyQualifiers');
      for (const q of childrenOf(value, parts[1])) {
        ensure(q.tag === TAG.SEQUENCE, 'PolicyQualifierInfo');
        const qp = childrenOf(value, q);
        ensure(qp.length === 1 || qp.length === 2, 'PolicyQualifierInfo');
        readOid(value, qp[0]);
      }
    }
  }
  return policies;
}

/**
 * Parses a DER X.509 v3 certificate strictly, with our own DER reader only (no ASN.1 object
 * model on the hot path): exact outer length, definite minimal lengths, v3 only, no duplicate
 * extensions, well-formed Names, RFC 5280 times (UTCTime/GeneralizedTime with seconds and Z),
 * well-formed keyUsage/basicConstraints/certificatePolicies. Byte ranges (tbsCertificate, Names,
 * SPKI) are kept so signatures are checked over the bytes as received, never a re-encoding.
 */
export function parseCertificateDer(der: Uint8Array): ParsedCertificate {
  try {
    return parseUnchecked(der);
  } catch (error) {
    if (error instanceof JpkiError) throw error;
    const detail = error instanceof DerError ? error.message : 'undecodable certificate';
    throw new JpkiError('jpki_malformed_certificate', detail, { cause: error });
  }
}

function parseUnchecked(der: Uint8Array): ParsedCertificate {
  const outer = readWhole(der, TAG.SEQUENCE, 'Certificate');
  const top = childrenOf(der, outer);
  ensure(top.length === 3, 'Certificate must have 3 parts');
  const [tbsTlv, sigAlgTlv, sigTlv] = top;
  ensure(tbsTlv.tag === TAG.SEQUENCE, 'tbsCertificate');

  const fields = childrenOf(der, tbsTlv);
  let i = 0;
  const next = (): Tlv | undefined => fields[i];
  const versionTlv = next();
  ensure(versionTlv?.tag === contextTag(0), 'only X.509 v3 certificates are accepted');
  const versionInt = childrenOf(der, versionTlv);
  ensure(versionInt.length === 1 && versionInt[0].tag === TAG.INTEGER, 'version');
  const version = contentOf(der, versionInt[0]);
  ensure(version.length === 1 && version[0] === 2, 'only X.509 v3 certificates are accepted');
  i++;
  const serialTlv = fields[i++];
  const tbsSigAlgTlv = fields[i++];
  const issuerTlv = fields[i++];
  const validityTlv = fields[i++];
  const subjectTlv = fields[i++];
  const spkiTlv = fields[i++];
  ensure(
    serialTlv?.tag === TAG.INTEGER && tbsSigAlgTlv?.tag === TAG.SEQUENCE && issuerTlv?.tag === TAG.SEQUENCE &&
      validityTlv?.tag === TAG.SEQUENCE && subjectTlv?.tag === TAG.SEQUENCE && spkiTlv?.tag === TAG.SEQUENCE,
    'tbsCertificate fields',
  );
  if (next()?.tag === contextTag(1, true)) i++; // issuerUniqueID
  if (next()?.tag === contextTag(2, true)) i++; // subjectUniqueID
  const extensionsTlv = next()?.tag === contextTag(3) ? fields[i++] : undefined;
  ensure(i === fields.length, 'unexpected fields in tbsCertificate');
  ensure(serialTlv.end > serialTlv.contentStart, 'serial number');
  ensure(sigAlgTlv.tag === TAG.SEQUENCE, 'signatureAlgorithm');

  const sigAlg = signatureAlgorithmOk(der, sigAlgTlv, tbsSigAlgTlv);
  const signatureValue = bitStringBytes(der, sigTlv, 'signatureValue');

  const issuerKey = toHex(der, issuerTlv.start, issuerTlv.end);
  // Issuer names repeat (a handful of CAs): their display string is cached (bounded, FIFO).
  let issuer = issuerNames.get(issuerKey);
  if (issuer === undefined) {
    issuer = formatName(der, issuerTlv);
    if (issuerNames.size >= MAX_NAME_STRINGS) issuerNames.delete(issuerNames.keys().next().value as string);
    issuerNames.set(issuerKey, issuer);
  }
  const subject = formatName(der, subjectTlv);

  const validity = childrenOf(der, validityTlv);
  ensure(validity.length === 2, 'validity');
  const notBefore = readTime(der, validity[0]);
  const notAfter = readTime(der, validity[1]);

  const spkiParts = childrenOf(der, spkiTlv);
  ensure(spkiParts.length === 2, 'SubjectPublicKeyInfo');
  const keyAlg = readAlgorithm(der, spkiParts[0]);
  const keyBits = bitStringBytes(der, spkiParts[1], 'subjectPublicKey');
  const rsaBits = keyAlg.oid === OID_RSA_ENCRYPTION && keyAlg.paramsAbsentOrNull ? rsaModulusBits(keyBits) : undefined;

  const extensions: ParsedExtension[] = [];
  let keyUsage: number | undefined;
  let basicConstraints: { ca: boolean; pathLength?: number } | undefined;
  let policies: string[] | undefined;
  let subjectAltName: Uint8Array | undefined;
  let crlDistributionPoints: DistributionPoint[] | undefined;
  let extendedKeyUsage: string[] | undefined;
  let ocspUrls: string[] | undefined;
  let authorityKeyId: string | undefined;
  let subjectKeyId: string | undefined;
  if (extensionsTlv) {
    const list = childrenOf(der, extensionsTlv);
    ensure(list.length === 1 && list[0].tag === TAG.SEQUENCE, 'extensions');
    const seen = new Set<string>();
    for (const extTlv of childrenOf(der, list[0])) {
      ensure(extTlv.tag === TAG.SEQUENCE, 'Extension');
      const parts = childrenOf(der, extTlv);
      ensure(parts.length === 2 || parts.length === 3, 'Extension');
      const oid = readOid(der, parts[0]);
      let critical = false;
      if (parts.length === 3) {
        ensure(parts[1].tag === TAG.BOOLEAN && parts[1].end - parts[1].contentStart === 1, 'Extension.critical');
        critical = der[parts[1].contentStart] !== 0;
      }
      const valueTlv = parts[parts.length - 1];
      ensure(valueTlv.tag === TAG.OCTET_STRING, 'Extension.extnValue');
      ensure(!seen.has(oid), `duplicate extension ${oid}`);
      seen.add(oid);
      const value = contentOf(der, valueTlv);
      extensions.push({ oid, critical, value });
      if (oid === OID_EXT.keyUsage) keyUsage = readKeyUsage(value);
      else if (oid === OID_EXT.basicConstraints) basicConstraints = readBasicConstraints(value);
      else if (oid === OID_EXT.certificatePolicies) policies = readPolicies(value);
      else if (oid === OID_EXT.subjectAltName) subjectAltName = value;
      else if (oid === OID_EXT.crlDistributionPoints) crlDistributionPoints = cachedDistributionPoints(value);
      else if (oid === OID_EXT.extKeyUsage) extendedKeyUsage = readExtendedKeyUsage(value);
      else if (oid === OID_EXT.authorityInfoAccess) ocspUrls = readOcspUrls(value);
      else if (oid === OID_EXT.authorityKeyIdentifier) authorityKeyId = readAuthorityKeyId(value);
      else if (oid === OID_EXT.subjectKeyIdentifier) subjectKeyId = toHex(contentOf(value, readWhole(value, TAG.OCTET_STRING, 'subjectKeyIdentifier')));
    }
  }

  return new Certificate(der, {
    tbs: rawOf(der, tbsTlv),
    fingerprintSha256: sha256Hex(der),
    serialNumber: normalizeSerialBytes(der, serialTlv.contentStart, serialTlv.end),
    issuerKey,
    issuer,
    subject,
    notBefore,
    notAfter,
    signatureAlgorithm: sigAlg.oid,
    signatureAlgorithmOk: sigAlg.ok,
    signatureValue,
    spki: rawOf(der, spkiTlv),
    rsaPublicKey: keyBits,
    publicKeyAlgorithm: keyAlg.oid,
    rsaModulusBits: rsaBits,
    extensions,
    keyUsage,
    basicConstraints,
    policies,
    subjectAltName,
    crlDistributionPoints,
    extendedKeyUsage,
    ocspUrls,
    authorityKeyId,
    subjectKeyId,
    subjectName: rawOf(der, subjectTlv),
  });
}

type EagerFields = Omit<ParsedCertificate, 'der' | 'subjectKey' | 'spkiSha256'>;

/**
 * A parsed certificate. A class rather than an object literal with getters: the literal's
 * accessors are new closures on every parse and leave the object in a slow shape, and this runs
 * on every identity proof. Two values are computed on first use only: the subject key (only CA
 * certificates are looked up by subject) and the SPKI hash (CA lookups need it, a resident
 * certificate's proof does not).
 */
class Certificate implements ParsedCertificate {
  readonly tbs: Uint8Array;
  readonly fingerprintSha256: string;
  readonly serialNumber: string;
  readonly issuerKey: string;
  readonly issuer: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly signatureAlgorithm: string;
  readonly signatureAlgorithmOk: boolean;
  readonly signatureValue: Uint8Array;
  readonly spki: Uint8Array;
  readonly rsaPublicKey: Uint8Array;
  readonly publicKeyAlgorithm: string;
  readonly rsaModulusBits?: number;
  readonly extensions: readonly ParsedExtension[];
  readonly keyUsage?: number;
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLength?: number };
  readonly policies?: readonly string[];
  readonly subjectAltName?: Uint8Array;
  readonly crlDistributionPoints?: readonly DistributionPoint[];
  readonly extendedKeyUsage?: readonly string[];
  readonly ocspUrls?: readonly string[];
  readonly authorityKeyId?: string;
  readonly subjectKeyId?: string;
  readonly subjectName: Uint8Array;
  private subjectKeyHex: string | undefined;
  private spkiHash: string | undefined;

  constructor(readonly der: Uint8Array, f: EagerFields) {
    this.tbs = f.tbs;
    this.fingerprintSha256 = f.fingerprintSha256;
    this.serialNumber = f.serialNumber;
    this.issuerKey = f.issuerKey;
    this.issuer = f.issuer;
    this.subject = f.subject;
    this.notBefore = f.notBefore;
    this.notAfter = f.notAfter;
    this.signatureAlgorithm = f.signatureAlgorithm;
    this.signatureAlgorithmOk = f.signatureAlgorithmOk;
    this.signatureValue = f.signatureValue;
    this.spki = f.spki;
    this.rsaPublicKey = f.rsaPublicKey;
    this.publicKeyAlgorithm = f.publicKeyAlgorithm;
    this.rsaModulusBits = f.rsaModulusBits;
    this.extensions = f.extensions;
    this.keyUsage = f.keyUsage;
    this.basicConstraints = f.basicConstraints;
    this.policies = f.policies;
    this.subjectAltName = f.subjectAltName;
    this.crlDistributionPoints = f.crlDistributionPoints;
    this.extendedKeyUsage = f.extendedKeyUsage;
    this.ocspUrls = f.ocspUrls;
    this.authorityKeyId = f.authorityKeyId;
    this.subjectKeyId = f.subjectKeyId;
    this.subjectName = f.subjectName;
  }

  get subjectKey(): string {
    return (this.subjectKeyHex ??= toHex(this.subjectName));
  }

  get spkiSha256(): string {
    return (this.spkiHash ??= sha256Hex(this.spki));
  }
}

/**
 * cRLDistributionPoints, cached by the extension's bytes (bounded): every card of a municipality
 * carries the same point, and formatting its directory name is the costly part.
 */
const distributionPointCache = new Map<string, DistributionPoint[]>();
function cachedDistributionPoints(value: Uint8Array): DistributionPoint[] {
  // latin1: one character per byte, so equal keys are equal bytes — half the length of hex.
  const key = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1');
  let points = distributionPointCache.get(key);
  if (points === undefined) {
    points = readCrlDistributionPoints(value, formatName);
    if (distributionPointCache.size >= MAX_NAME_STRINGS) distributionPointCache.delete(distributionPointCache.keys().next().value as string);
    distributionPointCache.set(key, points);
  }
  return points;
}

/**
 * AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription { accessMethod OID,
 * accessLocation GeneralName }: the id-ad-ocsp uniformResourceIdentifiers [6] that are http(s)
 * (nothing else is ever contacted). Other methods (caIssuers) and name forms are skipped.
 */
function readOcspUrls(value: Uint8Array): string[] {
  const seq = readWhole(value, TAG.SEQUENCE, 'authorityInfoAccess');
  const urls: string[] = [];
  for (const description of childrenOf(value, seq)) {
    ensure(description.tag === TAG.SEQUENCE, 'AccessDescription');
    const [method, location, ...rest] = childrenOf(value, description);
    ensure(!!method && !!location && rest.length === 0, 'AccessDescription');
    if (readOid(value, method) !== OID_AD_OCSP || location.tag !== contextTag(6, true)) continue;
    const uri = Buffer.from(value.subarray(location.contentStart, location.end)).toString('latin1');
    if (uri.length <= 2000 && /^https?:\/\/[\x21-\x7e]+$/i.test(uri)) urls.push(uri);
  }
  return urls;
}

/** ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId */
function readExtendedKeyUsage(value: Uint8Array): string[] {
  const seq = readWhole(value, TAG.SEQUENCE, 'extKeyUsage');
  const purposes = childrenOf(value, seq).map((t) => readOid(value, t));
  ensure(purposes.length > 0, 'extKeyUsage');
  return purposes;
}

/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] OPTIONAL, authorityCertIssuer [1] OPTIONAL, authorityCertSerialNumber [2] OPTIONAL } */
function readAuthorityKeyId(value: Uint8Array): string | undefined {
  const seq = readWhole(value, TAG.SEQUENCE, 'authorityKeyIdentifier');
  const first = childrenOf(value, seq)[0];
  return first?.tag === contextTag(0, true) ? toHex(value, first.contentStart, first.end) : undefined;
}
