import 'reflect-metadata'; // @peculiar/x509 (through tsyringe) needs the Reflect polyfill loaded first
import * as x509 from '@peculiar/x509';
import { createHash } from 'node:crypto';
import {
  childrenOf, contentOf, contextTag, DerError, normalizeSerialBytes, rawOf, readOid, readWhole, TAG, toHex,
  type Tlv,
} from './der.reader';
import { JpkiError } from './jpki.error';
import { OID_EXT, OID_RSA_ENCRYPTION, OID_SHA256_WITH_RSA } from './jpki.oids';
import { asBufferSource, webCrypto } from './rsa.verify';

x509.cryptoProvider.set(webCrypto());

/** A v3 extension as found in the certificate. */
export interface ParsedExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** extnValue content (the DER of the extension-specific structure). */
  readonly value: Uint8Array;
  /** The whole Extension SEQUENCE (what @peculiar/x509 extension classes take). */
  readonly raw: Uint8Array;
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
  readonly spkiSha256: string;
  readonly publicKeyAlgorithm: string;
  /** Modulus size of an RSA key with a sane public exponent; undefined otherwise. */
  readonly rsaModulusBits?: number;
  readonly extensions: readonly ParsedExtension[];
  /** x509.KeyUsageFlags bits, undefined when the extension is absent. */
  readonly keyUsage?: number;
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLength?: number };
  readonly policies?: readonly string[];
  readonly subjectAltName?: Uint8Array;
}

const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

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

/**
 * Parses a DER X.509 v3 certificate strictly: exact outer length, definite minimal lengths,
 * v3 only, no duplicate extensions. @peculiar/x509 decodes names, dates and the standard
 * extensions; our DER reader supplies the raw byte ranges (tbsCertificate, Names, SPKI) so
 * signatures are checked over the bytes as received, never over a re-encoding.
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

  const sigAlg = signatureAlgorithmOk(der, sigAlgTlv, tbsSigAlgTlv);
  const signatureValue = bitStringBytes(der, sigTlv, 'signatureValue');

  const spkiParts = childrenOf(der, spkiTlv);
  ensure(spkiParts.length === 2, 'SubjectPublicKeyInfo');
  const keyAlg = readAlgorithm(der, spkiParts[0]);
  const keyBits = bitStringBytes(der, spkiParts[1], 'subjectPublicKey');
  const rsaBits = keyAlg.oid === OID_RSA_ENCRYPTION && keyAlg.paramsAbsentOrNull ? rsaModulusBits(keyBits) : undefined;

  const extensions: ParsedExtension[] = [];
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
      extensions.push({ oid, critical, value: contentOf(der, valueTlv), raw: rawOf(der, extTlv) });
    }
  }

  const cert = new x509.X509Certificate(asBufferSource(der));
  const find = (oid: string) => extensions.find((e) => e.oid === oid);
  const ku = find(OID_EXT.keyUsage);
  const bc = find(OID_EXT.basicConstraints);
  const cp = find(OID_EXT.certificatePolicies);
  const keyUsage = ku ? new x509.KeyUsagesExtension(asBufferSource(ku.raw)).usages : undefined;
  const basicConstraints = bc ? new x509.BasicConstraintsExtension(asBufferSource(bc.raw)) : undefined;
  const policies = cp ? [...new x509.CertificatePolicyExtension(asBufferSource(cp.raw)).policies] : undefined;
  const spki = rawOf(der, spkiTlv);
  const notBefore = cert.notBefore;
  const notAfter = cert.notAfter;
  ensure(!Number.isNaN(notBefore.getTime()) && !Number.isNaN(notAfter.getTime()), 'validity');

  return {
    der,
    tbs: rawOf(der, tbsTlv),
    fingerprintSha256: sha256Hex(der),
    serialNumber: normalizeSerialBytes(der, serialTlv.contentStart, serialTlv.end),
    issuerKey: toHex(der, issuerTlv.start, issuerTlv.end),
    subjectKey: toHex(der, subjectTlv.start, subjectTlv.end),
    issuer: cert.issuer,
    subject: cert.subject,
    notBefore,
    notAfter,
    signatureAlgorithm: sigAlg.oid,
    signatureAlgorithmOk: sigAlg.ok,
    signatureValue,
    spki,
    spkiSha256: sha256Hex(spki),
    publicKeyAlgorithm: keyAlg.oid,
    rsaModulusBits: rsaBits,
    extensions,
    keyUsage,
    basicConstraints: basicConstraints
      ? { ca: basicConstraints.ca, pathLength: basicConstraints.pathLength }
      : undefined,
    policies,
    subjectAltName: find(OID_EXT.subjectAltName)?.value,
  };
}
