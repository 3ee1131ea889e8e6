import { createHash } from 'node:crypto';
import {
  childrenOf, contentOf, contextTag, DerError, normalizeSerialHex, rawOf, readOid, readTime, readTlv, readWhole,
  TAG, toHex, type Tlv,
} from './der.reader';
import {
  FULL_CRL_SCOPE, readIssuingDistributionPoint, scopeCovers, type CrlScope, type DistributionPoint,
} from './distribution-point';
import { formatName, parseCertificateDer, type ParsedCertificate } from './jpki-certificate.parser';
import { DEFAULT_MAX_CERTIFICATE_BYTES, decodeCertificateInput, type JpkiCertificateInput } from './jpki-input.decoder';
import { JpkiError } from './jpki.error';
import { crlReasonName, OID_EXT, OID_SHA256_WITH_RSA } from './jpki.oids';
import type { CertificateIdentity, RevocationStatus, SyncRevocationSource } from './revocation.source';
import { NO_REASON, SerialSet, SerialSetBuilder } from './serial.set';
import { asBufferSource, importRsaVerifyKey, webCrypto } from './rsa.verify';

/** CRLs larger than this are refused before parsing. One million entries take about 40 MB. */
export const DEFAULT_MAX_CRL_BYTES = 256 * 1024 * 1024;

export interface CrlStoreOptions {
  /**
   * CA certificates (DER or PEM) whose CRLs may be loaded: a CRL is accepted only if one of
   * these, with the CRL's issuer name, keyCertSign/cRLSign usage and an RSA >= 2048 key,
   * verifies its signature. The verifier additionally requires that key to be the key of the
   * CA that issued the certificate being checked, so listing a CA here grants it nothing else.
   */
  readonly issuers: readonly JpkiCertificateInput[];
  readonly maxCrlBytes?: number;
}

/** What is known about a loaded CRL. */
export interface CrlInfo {
  /** Issuer DN as a string. */
  readonly issuer: string;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly revokedCount: number;
  /** cRLNumber as hex, when present. */
  readonly crlNumber?: string;
  /** SHA-256 fingerprint of the CA certificate whose key verified the CRL. */
  readonly signerFingerprintSha256: string;
  /** SHA-256 of the CRL DER, to tell reloads of the same file apart in logs. */
  readonly sha256: string;
  /** SHA-256 of the SubjectPublicKeyInfo that signed the CRL (which root generation). */
  readonly signerSpkiSha256: string;
  /**
   * The partition of a partitioned CRL (critical issuingDistributionPoint): its distribution
   * point names in canonical form; empty for a full CRL.
   */
  readonly distributionPoints: readonly string[];
  /** The CRL covers only end-entity (`user`) or only CA (`ca`, an ARL) certificates; `all` otherwise. */
  readonly covers: 'all' | 'user' | 'ca';
  /** Canonical key of the scope ('' for a full CRL): one CRL per issuer, signer key and scope is kept. */
  readonly scope: string;
}

/** Options of {@link CrlStore.load}. */
export interface CrlLoadOptions {
  /**
   * The distribution point name (canonical form) the CRL was fetched for. A partitioned CRL whose
   * issuingDistributionPoint names another point is refused (`jpki_crl_wrong_partition`).
   */
  readonly distributionPoint?: string;
}

/** One revoked entry. */
export interface RevokedEntry {
  readonly revokedAt: Date;
  readonly reason?: ReturnType<typeof crlReasonName>;
}

/** Result of {@link CrlStore.load}: `inUse` is false when a newer CRL of the same CA was already loaded. */
export interface CrlLoadResult extends CrlInfo {
  readonly inUse: boolean;
}

/** One verified CRL with its revoked serials indexed for O(1) lookup. */
export class RevocationList implements CrlInfo {
  constructor(
    readonly issuer: string,
    /** Raw issuer Name DER, hex. */
    readonly issuerKey: string,
    /** SHA-256 of the SubjectPublicKeyInfo of the key that signed the CRL. */
    readonly signerSpkiSha256: string,
    readonly signerFingerprintSha256: string,
    readonly thisUpdate: Date,
    readonly nextUpdate: Date,
    readonly crlNumber: string | undefined,
    readonly sha256: string,
    private readonly revoked: SerialSet,
    readonly crlScope: CrlScope = FULL_CRL_SCOPE,
  ) {}

  get distributionPoints(): readonly string[] {
    return this.crlScope.names;
  }

  get covers(): 'all' | 'user' | 'ca' {
    return this.crlScope.onlyCaCerts ? 'ca' : this.crlScope.onlyUserCerts ? 'user' : 'all';
  }

  get scope(): string {
    return this.crlScope.key;
  }

  get revokedCount(): number {
    return this.revoked.size;
  }

  /** Bytes of typed arrays holding the revoked-serial index (≈ 30 MB for one million 16-octet serials). */
  get indexBytes(): number {
    return this.revoked.byteLength;
  }

  /** Whether the serial (hex; case, colons and leading zero octets ignored) is listed. */
  isRevoked(serialNumberHex: string): boolean {
    const serial = normalizeSerialHex(serialNumberHex);
    return serial !== undefined && this.revoked.has(Buffer.from(serial, 'hex'));
  }

  /** The entry of a listed serial (date, reason), undefined when not listed. */
  entry(serialNumberHex: string): RevokedEntry | undefined {
    const serial = normalizeSerialHex(serialNumberHex);
    return serial === undefined ? undefined : this.entryOfBytes(Buffer.from(serial, 'hex'));
  }

  /** @internal entry of an already normalised serial */
  entryOfBytes(serial: Uint8Array): RevokedEntry | undefined {
    const index = this.revoked.indexOf(serial);
    if (index < 0) return undefined;
    const code = this.revoked.reasonOf(index);
    const reason = code === undefined ? undefined : crlReasonName(code);
    return { revokedAt: new Date(this.revoked.timeOf(index) * 1000), ...(reason !== undefined && { reason }) };
  }

  info(): CrlInfo {
    const { issuer, thisUpdate, nextUpdate, revokedCount, crlNumber, signerFingerprintSha256, sha256, signerSpkiSha256 } = this;
    return {
      issuer, thisUpdate, nextUpdate, revokedCount, crlNumber, signerFingerprintSha256, sha256, signerSpkiSha256,
      distributionPoints: this.distributionPoints, covers: this.covers, scope: this.scope,
    };
  }
}

interface CrlHeader {
  readonly tbs: Uint8Array;
  readonly signatureValue: Uint8Array;
  readonly issuerKey: string;
  readonly issuerName: Uint8Array;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly revoked?: Tlv;
  readonly extensions?: Tlv;
}

interface CrlSigner {
  readonly cert: ParsedCertificate;
  key?: Promise<CryptoKey | undefined>;
}

const KEY_CERT_SIGN = 32; // x509.KeyUsageFlags.keyCertSign
const CRL_SIGN = 64; // x509.KeyUsageFlags.cRLSign

/**
 * Holds the current CRL of each JPKI CA.
 *
 * Parsing: neither @peculiar/x509 nor pkijs copes with the size of the JPKI signature CRL.
 * Measured on a 1,000,000-entry CRL (35 MB, Node 20, 2 cores): `new x509.X509Crl()` took
 * 26.7 s and 3 GB RSS, asn1js `fromBER` alone 23 s, pkijs `CertificateRevocationList` 72 s and
 * 4.3 GB — and both refuse it outright with asn1js's default resource limits. So the CRL is read
 * with our strict DER reader: the header is decoded, the signature is verified over the raw
 * tbsCertList bytes, and only then is the revokedCertificates SEQUENCE walked once, entry by
 * entry, putting each normalised serial into a compact SerialSet. See docs/jpki.md for the load time.
 */
export class CrlStore {
  private readonly signers = new Map<string, CrlSigner[]>();
  private readonly lists = new Map<string, RevocationList>();
  /** Lists per `issuerKey/signer/` prefix, rebuilt after a load (the verifier asks per proof). */
  private readonly byPrefix = new Map<string, Map<string, RevocationList[]>>();
  private readonly maxCrlBytes: number;

  constructor(options: CrlStoreOptions) {
    this.maxCrlBytes = options.maxCrlBytes ?? DEFAULT_MAX_CRL_BYTES;
    for (const input of options.issuers) {
      const cert = parseCertificateDer(decodeCertificateInput(input, DEFAULT_MAX_CERTIFICATE_BYTES));
      const list = this.signers.get(cert.subjectKey) ?? [];
      if (!list.some((s) => s.cert.fingerprintSha256 === cert.fingerprintSha256)) list.push({ cert });
      this.signers.set(cert.subjectKey, list);
    }
  }

  /**
   * Verifies and indexes a DER CRL. Refused (`jpki_crl_invalid`): malformed DER, a CRL without
   * nextUpdate, a signature algorithm other than sha256WithRSA, no configured CA with the CRL's
   * issuer name whose key verifies the signature, critical CRL or entry extensions (delta,
   * partitioned and indirect CRLs are not supported). Replaces the CA's CRL unless the one
   * already held has a later thisUpdate.
   */
  async load(crl: Uint8Array | ArrayBuffer, options: CrlLoadOptions = {}): Promise<CrlLoadResult> {
    const input = crl instanceof ArrayBuffer ? new Uint8Array(crl) : crl;
    if (!(input instanceof Uint8Array) || input.length === 0) throw new JpkiError('jpki_crl_invalid', 'CRL must be DER bytes');
    if (input.length > this.maxCrlBytes) throw new JpkiError('jpki_crl_invalid', `CRL of ${input.length} bytes exceeds the limit`);
    // Own copy: the entries walked after the (asynchronous) signature check must be the bytes signed.
    const der = input.slice();

    const header = guard(() => readHeader(der));
    const signer = await this.findSigner(header);
    const { crlNumber, scope } = guard(() => checkCrlExtensions(der, header.extensions));
    if (options.distributionPoint !== undefined && scope.names.length > 0 && !scope.names.includes(options.distributionPoint)) {
      throw new JpkiError('jpki_crl_wrong_partition', `the CRL is the partition of ${scope.names.join(' / ')}`);
    }
    const revoked = guard(() => collectRevoked(der, header.revoked));
    // Same display form as JpkiVerifiedCertificate.issuer (findByIssuer compares the two).
    const issuer = guard(() => formatName(header.issuerName, readWhole(header.issuerName, TAG.SEQUENCE, 'issuer')));
    const list = new RevocationList(
      issuer,
      header.issuerKey,
      signer.spkiSha256,
      signer.fingerprintSha256,
      header.thisUpdate,
      header.nextUpdate,
      crlNumber,
      createHash('sha256').update(der).digest('hex'),
      revoked,
      scope,
    );
    const slot = `${list.issuerKey}/${list.signerSpkiSha256}/${scope.key}`;
    const existing = this.lists.get(slot);
    const inUse = !existing || existing.thisUpdate.getTime() <= list.thisUpdate.getTime();
    if (inUse) {
      this.lists.set(slot, list);
      this.byPrefix.clear();
    }
    return { ...list.info(), inUse };
  }

  /**
   * The CRL issued under `issuerKey` (raw issuer Name DER, hex) and signed by the key whose
   * SubjectPublicKeyInfo hashes to `signerSpkiSha256`. Used by JpkiVerifier.
   */
  find(issuerKey: string, signerSpkiSha256: string): RevocationList | undefined {
    return this.lists.get(`${issuerKey}/${signerSpkiSha256}/`);
  }

  /**
   * The CRL that covers a certificate with these distribution points (RFC 5280 §6.3.3): the
   * partition naming one of its points, else an ARL / user-only CRL that fits, else the full CRL.
   * `partitionMismatch` when only partitions of other points are held.
   */
  findFor(
    issuerKey: string, signerSpkiSha256: string, points: readonly DistributionPoint[] | undefined, isCa: boolean,
  ): { list: RevocationList } | { list?: undefined; partitionMismatch: boolean } {
    let partitioned = false;
    let fallback: RevocationList | undefined;
    for (const list of this.listsOf(issuerKey, signerSpkiSha256)) {
      if (scopeCovers(list.crlScope, points, isCa)) {
        if (list.crlScope.names.length > 0) return { list };
        if (!fallback || (fallback.scope === '' && list.scope !== '')) fallback = list;
      } else if (list.crlScope.names.length > 0) {
        partitioned = true;
      }
    }
    return fallback ? { list: fallback } : { partitionMismatch: partitioned };
  }

  private listsOf(issuerKey: string, signerSpkiSha256: string): RevocationList[] {
    // Two lookups rather than one on a concatenated ~450-character key built per proof.
    let bySigner = this.byPrefix.get(issuerKey);
    if (!bySigner) this.byPrefix.set(issuerKey, (bySigner = new Map()));
    let out = bySigner.get(signerSpkiSha256);
    if (!out) {
      const prefix = `${issuerKey}/${signerSpkiSha256}/`;
      out = [...this.lists.entries()].filter(([k]) => k.startsWith(prefix)).map(([, l]) => l);
      bySigner.set(signerSpkiSha256, out);
    }
    return out;
  }

  /** The CRLs issued under this issuer DN string (every signer generation and partition). */
  listsForIssuer(issuer: string, signerSpkiSha256?: string): RevocationList[] {
    return [...this.lists.values()].filter((l) => l.issuer === issuer && (!signerSpkiSha256 || l.signerSpkiSha256 === signerSpkiSha256));
  }

  /** The CRLs whose issuer DN string equals `issuer` (the form JpkiVerifiedCertificate.issuer uses). */
  findByIssuer(issuer: string): RevocationList[] {
    return [...this.lists.values()].filter((l) => l.issuer === issuer);
  }

  /** Every CRL in use. */
  list(): CrlInfo[] {
    return [...this.lists.values()].map((l) => l.info());
  }

  private async findSigner(header: CrlHeader): Promise<ParsedCertificate> {
    for (const candidate of this.signers.get(header.issuerKey) ?? []) {
      const cert = candidate.cert;
      const usage = cert.keyUsage ?? 0;
      if (!cert.basicConstraints?.ca || (usage & CRL_SIGN) === 0 || (usage & KEY_CERT_SIGN) === 0) continue;
      if (!cert.rsaModulusBits || cert.rsaModulusBits < 2048) continue;
      if (header.signatureValue.length !== Math.ceil(cert.rsaModulusBits / 8)) continue;
      candidate.key ??= importRsaVerifyKey(cert.spki);
      const key = await candidate.key;
      if (!key) continue;
      const ok = await webCrypto().subtle.verify('RSASSA-PKCS1-v1_5', key, asBufferSource(header.signatureValue), asBufferSource(header.tbs));
      if (ok) return cert;
    }
    throw new JpkiError('jpki_crl_invalid', 'no configured CA with the CRL issuer name verifies its signature');
  }
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof JpkiError) throw error;
    const detail = error instanceof DerError ? error.message : 'undecodable CRL';
    throw new JpkiError('jpki_crl_invalid', detail, { cause: error });
  }
}

function ensure(cond: boolean, what: string): asserts cond {
  if (!cond) throw new DerError(what);
}

const SHA256_WITH_RSA_NULL = Buffer.from('300d06092a864886f70d01010b0500', 'hex');
const SHA256_WITH_RSA_ABSENT = Buffer.from('300b06092a864886f70d01010b', 'hex');

function isSha256WithRsa(raw: Uint8Array): boolean {
  return Buffer.compare(raw, SHA256_WITH_RSA_NULL) === 0 || Buffer.compare(raw, SHA256_WITH_RSA_ABSENT) === 0;
}

/** Decodes everything but the revoked entries; cheap even for a huge CRL. */
function readHeader(der: Uint8Array): CrlHeader {
  const outer = readWhole(der, TAG.SEQUENCE, 'CertificateList');
  const tbsTlv = readTlv(der, outer.contentStart, outer.end);
  ensure(tbsTlv.tag === TAG.SEQUENCE, 'tbsCertList');
  const algTlv = readTlv(der, tbsTlv.end, outer.end);
  const sigTlv = readTlv(der, algTlv.end, outer.end);
  ensure(sigTlv.end === outer.end && sigTlv.tag === TAG.BIT_STRING, 'signatureValue');
  ensure(sigTlv.end > sigTlv.contentStart && der[sigTlv.contentStart] === 0, 'signatureValue unused bits');
  const outerAlg = rawOf(der, algTlv);
  if (!isSha256WithRsa(outerAlg)) {
    throw new JpkiError('jpki_crl_invalid', `unsupported CRL signature algorithm ${safeOid(der, algTlv)}`);
  }

  let pos = tbsTlv.contentStart;
  let tlv = readTlv(der, pos, tbsTlv.end);
  if (tlv.tag === TAG.INTEGER) {
    const v = contentOf(der, tlv);
    ensure(v.length === 1 && v[0] === 1, 'CRL version must be v2');
    pos = tlv.end;
    tlv = readTlv(der, pos, tbsTlv.end);
  }
  ensure(tlv.tag === TAG.SEQUENCE && Buffer.compare(rawOf(der, tlv), outerAlg) === 0, 'tbsCertList.signature differs');
  const issuerTlv = readTlv(der, tlv.end, tbsTlv.end);
  ensure(issuerTlv.tag === TAG.SEQUENCE, 'issuer');
  const thisTlv = readTlv(der, issuerTlv.end, tbsTlv.end);
  const thisUpdate = readTime(der, thisTlv);
  pos = thisTlv.end;
  let nextUpdate: Date | undefined;
  let revoked: Tlv | undefined;
  let extensions: Tlv | undefined;
  if (pos < tbsTlv.end) {
    tlv = readTlv(der, pos, tbsTlv.end);
    if (tlv.tag === TAG.UTC_TIME || tlv.tag === TAG.GENERALIZED_TIME) {
      nextUpdate = readTime(der, tlv);
      pos = tlv.end;
    }
  }
  if (pos < tbsTlv.end) {
    tlv = readTlv(der, pos, tbsTlv.end);
    if (tlv.tag === TAG.SEQUENCE) {
      revoked = tlv;
      pos = tlv.end;
    }
  }
  if (pos < tbsTlv.end) {
    tlv = readTlv(der, pos, tbsTlv.end);
    ensure(tlv.tag === contextTag(0), 'crlExtensions');
    extensions = tlv;
    pos = tlv.end;
  }
  ensure(pos === tbsTlv.end, 'unexpected data in tbsCertList');
  if (!nextUpdate) throw new JpkiError('jpki_crl_invalid', 'CRL without nextUpdate');
  ensure(nextUpdate.getTime() > thisUpdate.getTime(), 'nextUpdate must follow thisUpdate');
  return {
    tbs: rawOf(der, tbsTlv),
    signatureValue: der.subarray(sigTlv.contentStart + 1, sigTlv.end),
    issuerKey: toHex(der, issuerTlv.start, issuerTlv.end),
    issuerName: rawOf(der, issuerTlv).slice(),
    thisUpdate,
    nextUpdate,
    revoked,
    extensions,
  };
}

function safeOid(der: Uint8Array, algTlv: Tlv): string {
  try {
    const first = readTlv(der, algTlv.contentStart, algTlv.end);
    const oid = readOid(der, first);
    return oid === OID_SHA256_WITH_RSA ? `${oid} with unexpected parameters` : oid;
  } catch {
    return '(undecodable)';
  }
}

/**
 * Refuses any critical CRL extension but issuingDistributionPoint (a partitioned CRL); returns the
 * cRLNumber as hex when present, and the CRL's scope.
 */
function checkCrlExtensions(der: Uint8Array, extensions: Tlv | undefined): { crlNumber?: string; scope: CrlScope } {
  if (!extensions) return { scope: FULL_CRL_SCOPE };
  const inner = childrenOf(der, extensions);
  ensure(inner.length === 1 && inner[0].tag === TAG.SEQUENCE, 'crlExtensions');
  let crlNumber: string | undefined;
  let scope: CrlScope = FULL_CRL_SCOPE;
  const seen = new Set<string>();
  for (const ext of childrenOf(der, inner[0])) {
    ensure(ext.tag === TAG.SEQUENCE, 'Extension');
    const parts = childrenOf(der, ext);
    ensure(parts.length === 2 || parts.length === 3, 'Extension');
    const oid = readOid(der, parts[0]);
    ensure(!seen.has(oid), `duplicate CRL extension ${oid}`);
    seen.add(oid);
    const critical = parts.length === 3 && parts[1].tag === TAG.BOOLEAN && der[parts[1].contentStart] !== 0;
    const value = parts[parts.length - 1];
    ensure(value.tag === TAG.OCTET_STRING, 'Extension.extnValue');
    if (oid === OID_EXT.issuingDistributionPoint) {
      // RFC 5280 §5.2.5: always critical. Not critical means a CRL a naive relying party would
      // take for a full CRL: refuse it rather than guess.
      if (!critical) throw new JpkiError('jpki_crl_invalid', 'issuingDistributionPoint must be critical');
      const idp = readIssuingDistributionPoint(contentOf(der, value), formatName);
      if ('unsupported' in idp) throw new JpkiError('jpki_crl_invalid', `unsupported issuingDistributionPoint (${idp.unsupported})`);
      scope = idp;
      continue;
    }
    if (critical) throw new JpkiError('jpki_crl_invalid', `unsupported critical CRL extension ${oid}`);
    if (oid === OID_EXT.crlNumber) {
      const n = readWhole(contentOf(der, value), TAG.INTEGER, 'cRLNumber');
      crlNumber = toHex(contentOf(der, value), n.contentStart, n.end);
    }
  }
  return { crlNumber, scope };
}

/**
 * Walks revokedCertificates once. Every entry must be SEQUENCE { INTEGER, Time, Extensions? }
 * with nothing after it; entry extensions are skipped unless critical (a critical one, such as
 * certificateIssuer of an indirect CRL, makes the whole CRL unusable). Serials are normalised
 * like ParsedCertificate.serialNumber. This loop is the whole cost of loading a big CRL.
 */
function collectRevoked(der: Uint8Array, list: Tlv | undefined): SerialSet {
  const revoked = new SerialSetBuilder();
  if (!list) return SerialSet.from(revoked);
  let pos = list.contentStart;
  while (pos < list.end) {
    const entry = readTlv(der, pos, list.end);
    if (entry.tag !== TAG.SEQUENCE) throw new DerError('revoked entry');
    const serial = readTlv(der, entry.contentStart, entry.end);
    if (serial.tag !== TAG.INTEGER || serial.end === serial.contentStart) throw new DerError('revoked serial');
    const date = readTlv(der, serial.end, entry.end);
    const seconds = timeSeconds(der, date);
    let end = date.end;
    let reason = NO_REASON;
    if (end < entry.end) {
      const exts = readTlv(der, end, entry.end);
      if (exts.tag !== TAG.SEQUENCE) throw new DerError('crlEntryExtensions');
      reason = checkEntryExtensions(der, exts);
      end = exts.end;
    }
    if (end !== entry.end) throw new DerError('unexpected data in revoked entry');
    let start = serial.contentStart;
    while (serial.end - start > 1 && der[start] === 0) start++;
    revoked.add(der, start, serial.end, seconds, reason);
    pos = entry.end;
  }
  return SerialSet.from(revoked);
}

/** Refuses critical entry extensions; returns the entry's CRLReason (reasonCode), NO_REASON when absent. */
function checkEntryExtensions(der: Uint8Array, exts: Tlv): number {
  let pos = exts.contentStart;
  let reason = NO_REASON;
  while (pos < exts.end) {
    const ext = readTlv(der, pos, exts.end);
    if (ext.tag !== TAG.SEQUENCE) throw new DerError('entry Extension');
    const oid = readTlv(der, ext.contentStart, ext.end);
    if (oid.tag !== TAG.OID) throw new DerError('entry Extension');
    const second = readTlv(der, oid.end, ext.end);
    if (second.tag === TAG.BOOLEAN && (second.end - second.contentStart !== 1 || der[second.contentStart] !== 0)) {
      throw new JpkiError('jpki_crl_invalid', `unsupported critical CRL entry extension ${readOid(der, oid)}`);
    }
    // reasonCode (2.5.29.21): OCTET STRING { ENUMERATED }
    if (oid.end - oid.contentStart === 3 && der[oid.contentStart] === 0x55 && der[oid.contentStart + 1] === 0x1d && der[oid.contentStart + 2] === 0x15) {
      const value = second.tag === TAG.BOOLEAN ? readTlv(der, second.end, ext.end) : second;
      if (value.tag !== TAG.OCTET_STRING) throw new DerError('reasonCode');
      const e = readTlv(der, value.contentStart, value.end);
      if (e.tag !== 0x0a || e.end !== value.end || e.end - e.contentStart !== 1 || der[e.contentStart] > 10) throw new DerError('reasonCode');
      reason = der[e.contentStart];
    }
    pos = ext.end;
  }
  return reason;
}

/** Seconds since 1970 of a UTCTime/GeneralizedTime, read without allocating (the CRL walk's hot path). */
function timeSeconds(der: Uint8Array, tlv: Tlv): number {
  let p = tlv.contentStart;
  const digits = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const c = der[p++] - 0x30;
      if (c < 0 || c > 9) throw new DerError('revocationDate');
      v = v * 10 + c;
    }
    return v;
  };
  let year: number;
  if (tlv.tag === TAG.UTC_TIME && tlv.end - p === 13) {
    const yy = digits(2);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (tlv.tag === TAG.GENERALIZED_TIME && tlv.end - p === 15) {
    year = digits(4);
  } else {
    throw new DerError('revocationDate');
  }
  const month = digits(2);
  const day = digits(2);
  const hour = digits(2);
  const minute = digits(2);
  const second = digits(2);
  if (der[p] !== 0x5a || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    throw new DerError('revocationDate');
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  return ms < 0 ? 0 : Math.min(0xffffffff, ms / 1000);
}

/** Options of {@link CrlRevocationSource}. */
export interface CrlRevocationSourceOptions {
  /** How long after nextUpdate a CRL is still used. Default 0. */
  readonly gracePeriodMs?: number;
}

/**
 * The CRL store as a {@link RevocationSource}: answers from the verified CRLs it holds, choosing
 * the partition that covers the certificate's distribution point. Throws `jpki_crl_unavailable`
 * (no CRL of the issuer, or none covering the point), `jpki_crl_wrong_partition` (only other
 * points' partitions) and `jpki_crl_stale` (the covering CRL is past nextUpdate + grace).
 * `statusMany` re-checks many certificates at once (the hub's re-verification job).
 */
export class CrlRevocationSource implements SyncRevocationSource {
  private readonly gracePeriodMs: number;

  constructor(
    private readonly store: CrlStore,
    options: CrlRevocationSourceOptions = {},
  ) {
    this.gracePeriodMs = options.gracePeriodMs ?? 0;
  }

  async status(certificate: CertificateIdentity, at: Date): Promise<RevocationStatus> {
    return this.statusSync(certificate, at);
  }

  statusSync(certificate: CertificateIdentity, at: Date): RevocationStatus {
    const serial = normalizeSerialHex(certificate.serialNumber);
    if (serial === undefined) throw new JpkiError('jpki_malformed_certificate', 'serial number is not hex');
    return this.answer(this.store.listsForIssuer(certificate.issuer, certificate.issuerSpkiSha256), certificate, Buffer.from(serial, 'hex'), at);
  }

  /**
   * Status of every certificate, in order; a JpkiError in place of a status when that one cannot
   * be answered (no covering CRL, stale). One pass, no promise per certificate: 100,000
   * certificates against a 1,000,000-entry CRL take well under a second (docs/benchmarks.md).
   */
  statusMany(certificates: readonly CertificateIdentity[], at: Date): (RevocationStatus | JpkiError)[] {
    const byIssuer = new Map<string, RevocationList[]>();
    const out: (RevocationStatus | JpkiError)[] = new Array(certificates.length);
    for (let i = 0; i < certificates.length; i++) {
      const c = certificates[i];
      try {
        const serial = normalizeSerialHex(c.serialNumber);
        if (serial === undefined) throw new JpkiError('jpki_malformed_certificate', 'serial number is not hex');
        const key = `${c.issuer}\u0000${c.issuerSpkiSha256 ?? ''}`;
        let lists = byIssuer.get(key);
        if (!lists) {
          lists = this.store.listsForIssuer(c.issuer, c.issuerSpkiSha256);
          byIssuer.set(key, lists);
        }
        out[i] = this.answer(lists, c, Buffer.from(serial, 'hex'), at);
      } catch (error) {
        if (!(error instanceof JpkiError)) throw error;
        out[i] = error;
      }
    }
    return out;
  }

  private answer(lists: readonly RevocationList[], certificate: CertificateIdentity, serial: Uint8Array, at: Date): RevocationStatus {
    const points = certificate.crlDistributionPoints?.length ? [{ names: certificate.crlDistributionPoints, indirect: false }] : undefined;
    const isCa = certificate.isCa ?? false;
    // One covering CRL per signer key (root generation): a certificate is revoked if any lists it.
    const covering = new Map<string, RevocationList>();
    let partitioned = false;
    for (const list of lists) {
      if (!scopeCovers(list.crlScope, points, isCa)) {
        if (list.crlScope.names.length > 0) partitioned = true;
        continue;
      }
      const held = covering.get(list.signerSpkiSha256);
      if (!held || (held.crlScope.names.length === 0 && list.crlScope.names.length > 0)) covering.set(list.signerSpkiSha256, list);
    }
    if (covering.size === 0) {
      if (partitioned) throw new JpkiError('jpki_crl_wrong_partition', `no CRL partition of ${certificate.issuer} covers the certificate's distribution point`);
      throw new JpkiError('jpki_crl_unavailable', `no CRL of ${certificate.issuer}`);
    }
    let answer: RevocationStatus | undefined;
    for (const list of covering.values()) {
      checkFresh(list, at, this.gracePeriodMs);
      const entry = list.entryOfBytes(serial);
      if (entry) return revokedStatus(list, entry);
      answer ??= { status: 'good', thisUpdate: list.thisUpdate, nextUpdate: list.nextUpdate, source: 'crl' };
    }
    return answer as RevocationStatus;
  }
}

/** @internal */
export function checkFresh(list: RevocationList, at: Date, gracePeriodMs: number): void {
  if (at.getTime() > list.nextUpdate.getTime() + gracePeriodMs) {
    throw new JpkiError('jpki_crl_stale', `CRL of ${list.issuer} expired at ${list.nextUpdate.toISOString()}`);
  }
}

/** @internal */
export function revokedStatus(list: RevocationList, entry: RevokedEntry): RevocationStatus {
  return {
    status: 'revoked', revokedAt: entry.revokedAt, ...(entry.reason !== undefined && { reason: entry.reason }),
    thisUpdate: list.thisUpdate, nextUpdate: list.nextUpdate, source: 'crl',
  };
}
