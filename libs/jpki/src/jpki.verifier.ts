import { checkFresh, revokedStatus, type CrlStore } from './crl.store';
import { readBasicAttributes, type JpkiBasicAttributes } from './jpki-attributes.parser';
import { parseCertificateDer, type ParsedCertificate } from './jpki-certificate.parser';
import {
  DEFAULT_MAX_CERTIFICATE_BYTES, decodeCertificateInput, strictBase64, type JpkiCertificateInput,
} from './jpki-input.decoder';
import { JpkiError } from './jpki.error';
import {
  JPKI_AUTHENTICATION_POLICY_ARC, JPKI_SIGNATURE_POLICY_ARC, OID_EXT, OID_RSA_ENCRYPTION,
} from './jpki.oids';
import {
  isSyncRevocationSource, type CertificateIdentity, type RevocationSource, type RevocationStatus,
} from './revocation.source';
import { verify as nodeVerify, type KeyObject } from 'node:crypto';
import { importRsaPublicKey, verifyRsaSha256 } from './rsa.verify';

/** The `algorithm` values accepted for the card's signature; both mean RSASSA-PKCS1-v1_5 with SHA-256. */
export const JPKI_SIGNATURE_ALGORITHMS = ['RS256', 'RSASSA-PKCS1-v1_5-SHA256'] as const;
export type JpkiSignatureAlgorithm = (typeof JPKI_SIGNATURE_ALGORITHMS)[number];

/** Largest signature accepted when decoding a request (an 8192-bit RSA signature). */
const MAX_SIGNATURE_BYTES = 1024;
const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 8192;
const MAX_PATH_DEPTH = 6;
const MAX_PATHS = 8;
/** Default bound of the certificate-signature cache (entries; one entry ≈ 150 bytes). */
const DEFAULT_SIGNATURE_CACHE_SIZE = 10_000;

// x509.KeyUsageFlags
const KU_DIGITAL_SIGNATURE = 1;
const KU_NON_REPUDIATION = 2;
const KU_KEY_CERT_SIGN = 32;
const KU_CRL_SIGN = 64;

/** Extensions the verifier processes or may safely ignore; any other critical extension is refused. */
const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set(Object.values(OID_EXT));

export interface JpkiVerifierOptions {
  /** Root certificates (DER or PEM). A path must end at one of them; their own signature is not checked. */
  readonly trustAnchors: readonly JpkiCertificateInput[];
  /** CA certificates that may sit between a resident certificate and a trust anchor. */
  readonly intermediates?: readonly JpkiCertificateInput[];
  /**
   * Verified CRLs; a CRL (partition) covering every non-anchor certificate of the path is
   * mandatory unless `revocation` answers for it. At least one of `crlStore` and `revocation`.
   */
  readonly crlStore?: CrlStore;
  /**
   * Where the resident certificate's status comes from instead of `crlStore`: an OcspClient, or a
   * platform operator's service implementing RevocationSource. CA certificates below the anchor
   * (none in the real JPKI hierarchy) are checked against `crlStore` when given, else here too.
   */
  readonly revocation?: RevocationSource;
  /** Clock; defaults to the system clock. */
  readonly now?: () => Date;
  /** How long after nextUpdate a CRL is still used. Default 0: a CRL past nextUpdate is stale. */
  readonly crlGracePeriodMs?: number;
  /** Default 16 KiB. */
  readonly maxCertificateBytes?: number;
  /**
   * How many verified resident-certificate signatures to remember (LRU), keyed by the SHA-256 of
   * the exact certificate DER and the issuing CA certificate. Default 10,000; 0 disables the
   * cache. Only the signature result is cached: validity, policy, key usage, attributes and
   * revocation are checked on every call.
   */
  readonly signatureCacheSize?: number;
}

/** A verified resident certificate. */
export interface JpkiVerifiedCertificate {
  readonly attributes: JpkiBasicAttributes;
  /** Lower-case hex, leading zero octets removed. */
  readonly serialNumber: string;
  /** Issuer DN, e.g. `C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for …`. */
  readonly issuer: string;
  /** Subject DN (its CN is opaque). */
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SHA-256 of the certificate DER, lower-case hex. */
  readonly fingerprintSha256: string;
  /** SHA-256 (hex) of the issuing CA's SubjectPublicKeyInfo: which root generation issued it. */
  readonly issuerSpkiSha256: string;
  /** The certificate's CRL distribution point names, canonical form (`dirName:…`, `uri:…`). */
  readonly crlDistributionPoints: readonly string[];
  /** The signature-arc policy accepted (e.g. `1.2.392.200149.8.5.1.1.20`). */
  readonly policy: string;
  /** The OCSP responders the certificate names (authorityInfoAccess id-ad-ocsp, http(s)); empty when none. */
  readonly ocspUrls: readonly string[];
  /** The revocation answer the certificate passed with (status `good`). */
  readonly revocation: RevocationStatus;
}

/** What a card app or SDK sends back for a hub challenge (see docs/jpki.md). */
export interface JpkiSignedChallenge {
  /** The signature certificate, base64 (or base64url) of its DER. */
  readonly certificate: string;
  /** The card's signature over the exact challenge bytes, base64 (or base64url). */
  readonly signature: string;
  /** `RS256` or `RSASSA-PKCS1-v1_5-SHA256`. */
  readonly algorithm: string;
}

interface CaNode {
  readonly cert: ParsedCertificate;
  readonly anchor: boolean;
  /** node:crypto key of the CA, imported once when the verifier is built; undefined if unusable. */
  readonly key: KeyObject | undefined;
}

/**
 * Verifies JPKI signature certificates (署名用電子証明書) of the My Number card and signatures
 * made with them. Plain class: no framework, no I/O; the clock is injected.
 *
 * Checks, in order (the first failure is reported): size and encoding, strict DER, RSA >= 2048
 * with sha256WithRSA, chain to a trust anchor with every signature verified and CA constraints,
 * validity of every certificate at `at`, signature policy, key usage, basic attributes, and
 * revocation of every non-anchor certificate against its issuer's CRL.
 */
export class JpkiVerifier {
  private readonly bySubject = new Map<string, CaNode[]>();
  private readonly crlStore: CrlStore | undefined;
  private readonly revocation: RevocationSource | undefined;
  private readonly now: () => Date;
  private readonly crlGracePeriodMs: number;
  private readonly maxCertificateBytes: number;
  /** Signature results between configured CA certificates, which never change (bounded by the configuration). */
  private readonly caSignatureCache = new Map<string, boolean>();
  /**
   * Resident certificates whose signature by a configured CA has been verified, as
   * `<SHA-256 of the certificate DER>><SHA-256 of the CA certificate DER>`, least recently used
   * first. Sound because the signature result depends only on those exact bytes (tbsCertificate
   * and signatureValue are inside the hashed DER, the CA key inside the CA's). Only successes are
   * stored, and only the signature: everything that depends on time or CRLs is re-checked.
   */
  private readonly signatureCache = new Map<string, true>();
  private readonly signatureCacheSize: number;

  constructor(options: JpkiVerifierOptions) {
    this.crlStore = options.crlStore;
    this.revocation = options.revocation;
    if (!this.crlStore && !this.revocation) throw new TypeError('JpkiVerifier: crlStore or revocation is required');
    this.now = options.now ?? (() => new Date());
    this.crlGracePeriodMs = options.crlGracePeriodMs ?? 0;
    this.maxCertificateBytes = options.maxCertificateBytes ?? DEFAULT_MAX_CERTIFICATE_BYTES;
    this.signatureCacheSize = Math.max(0, Math.floor(options.signatureCacheSize ?? DEFAULT_SIGNATURE_CACHE_SIZE));
    if (options.trustAnchors.length === 0) throw new JpkiError('jpki_untrusted_chain', 'no trust anchor configured');
    // Anchors first: the path search tries them before intermediates of the same name.
    for (const input of options.trustAnchors) this.addCa(input, true);
    for (const input of options.intermediates ?? []) this.addCa(input, false);
  }

  /**
   * Verifies a resident's signature certificate at `at` (default: now) and returns its
   * attributes. Throws JpkiError for every refusal.
   */
  async verifyCertificate(certificate: JpkiCertificateInput, at?: Date): Promise<JpkiVerifiedCertificate> {
    const when = this.resolveTime(at);
    const leaf = this.parse(certificate);
    return this.check(leaf, when);
  }

  /**
   * Verifies an RSASSA-PKCS1-v1_5/SHA-256 signature by the certificate's key over exactly
   * `data`. Checks the signature only: call verifyCertificate (or use verifySignedChallenge)
   * to decide whether the certificate itself is acceptable. Resolves when the signature is good.
   */
  async verifySignature(
    certificate: JpkiCertificateInput,
    data: Uint8Array,
    signature: Uint8Array,
    algorithm: string = 'RS256',
  ): Promise<void> {
    checkAlgorithm(algorithm);
    const cert = this.parse(certificate);
    this.checkSignature(cert, data, signature);
  }

  /**
   * The whole proof for one challenge: decodes the request, verifies the certificate at `at`,
   * then the signature over `challenge` (the exact bytes the hub issued).
   */
  async verifySignedChallenge(
    request: JpkiSignedChallenge,
    challenge: Uint8Array,
    at?: Date,
  ): Promise<JpkiVerifiedCertificate> {
    const when = this.resolveTime(at);
    const body: Partial<Record<keyof JpkiSignedChallenge, unknown>> =
      typeof request === 'object' && request !== null ? request : {};
    if (typeof body.algorithm !== 'string') throw new JpkiError('jpki_unsupported_algorithm', 'algorithm missing');
    checkAlgorithm(body.algorithm);
    if (typeof body.certificate !== 'string') throw new JpkiError('jpki_malformed_certificate', 'certificate missing');
    if (body.certificate.length > Math.ceil(this.maxCertificateBytes / 3) * 4) {
      throw new JpkiError('jpki_certificate_too_large', `${body.certificate.length} base64 characters`);
    }
    if (typeof body.signature !== 'string') throw new JpkiError('jpki_malformed_signature', 'signature missing');
    if (body.signature.length > Math.ceil(MAX_SIGNATURE_BYTES / 3) * 4) {
      throw new JpkiError('jpki_malformed_signature', 'signature too long');
    }
    const der = strictBase64(body.certificate, 'jpki_malformed_certificate', true);
    const signature = strictBase64(body.signature, 'jpki_malformed_signature', true);
    // `der` is our own fresh buffer: parsed in place, without the defensive copy of parse().
    if (der.length === 0) throw new JpkiError('jpki_malformed_certificate', 'empty input');
    if (der.length > this.maxCertificateBytes) throw new JpkiError('jpki_certificate_too_large', `${der.length} bytes`);
    const leaf = der[0] === 0x30 ? parseCertificateDer(der) : this.parse(der);
    // Without an asynchronous revocation source the whole check runs without a promise.
    const checked = this.check(leaf, when);
    const verified = checked instanceof Promise ? await checked : checked;
    this.checkSignature(leaf, challenge, signature);
    return verified;
  }

  private addCa(input: JpkiCertificateInput, anchor: boolean): void {
    const cert = parseCertificateDer(decodeCertificateInput(input, this.maxCertificateBytes));
    const list = this.bySubject.get(cert.subjectKey) ?? [];
    if (list.some((n) => n.cert.fingerprintSha256 === cert.fingerprintSha256)) return;
    const usable = cert.publicKeyAlgorithm === OID_RSA_ENCRYPTION && cert.rsaModulusBits !== undefined;
    list.push({ cert, anchor, key: usable ? importRsaPublicKey(cert.rsaPublicKey) : undefined });
    list.sort((a, b) => Number(b.anchor) - Number(a.anchor));
    this.bySubject.set(cert.subjectKey, list);
  }

  private resolveTime(at: Date | undefined): Date {
    const when = at ?? this.now();
    if (!(when instanceof Date) || Number.isNaN(when.getTime())) throw new RangeError('JpkiVerifier: invalid verification time');
    return when;
  }

  private parse(input: JpkiCertificateInput): ParsedCertificate {
    return parseCertificateDer(decodeCertificateInput(input, this.maxCertificateBytes));
  }

  private check(leaf: ParsedCertificate, at: Date): JpkiVerifiedCertificate | Promise<JpkiVerifiedCertificate> {
    // 1. Algorithms of the resident certificate itself.
    if (!leaf.signatureAlgorithmOk) {
      throw new JpkiError('jpki_unsupported_algorithm', `certificate signature algorithm ${leaf.signatureAlgorithm}`);
    }
    checkRsaKey(leaf);
    for (const ext of leaf.extensions) {
      if (ext.critical && !KNOWN_EXTENSIONS.has(ext.oid)) {
        throw new JpkiError('jpki_malformed_certificate', `unsupported critical extension ${ext.oid}`);
      }
    }

    // 2. Chain and 3. validity: the first candidate path that passes both wins.
    const path = this.selectPath(leaf, at);

    // 4. Signature, not user-authentication, policy: the signature arc or a class under it
    // (real cards: …8.5.1.1.20). A user-authentication policy anywhere in the list wins.
    const policies = leaf.policies ?? [];
    if (policies.some((p) => p === JPKI_AUTHENTICATION_POLICY_ARC || p.startsWith(JPKI_AUTHENTICATION_POLICY_ARC + '.'))) {
      throw new JpkiError('jpki_not_signature_certificate', 'user-authentication policy');
    }
    const policy = policies.find((p) => p === JPKI_SIGNATURE_POLICY_ARC || p.startsWith(JPKI_SIGNATURE_POLICY_ARC + '.'));
    if (policy === undefined) {
      throw new JpkiError('jpki_policy_not_accepted', policies.length ? `policies ${policies.slice(0, 4).join(', ')}` : 'no certificate policy');
    }

    // 5. Key usage of an end-entity signing key.
    const usage = leaf.keyUsage;
    if (usage === undefined) throw new JpkiError('jpki_wrong_key_usage', 'keyUsage absent');
    if ((usage & KU_DIGITAL_SIGNATURE) === 0 || (usage & KU_NON_REPUDIATION) === 0) {
      throw new JpkiError('jpki_wrong_key_usage', 'digitalSignature and nonRepudiation required');
    }
    if ((usage & (KU_KEY_CERT_SIGN | KU_CRL_SIGN)) !== 0 || leaf.basicConstraints?.ca) {
      throw new JpkiError('jpki_wrong_key_usage', 'a CA certificate is not a resident certificate');
    }

    // 6. Basic attributes.
    const attributes = readBasicAttributes(leaf.subjectAltName);

    // 7. Revocation of every certificate below the trust anchor, leaf first.
    const result = (revocation: RevocationStatus): JpkiVerifiedCertificate => this.verified(leaf, path, attributes, policy, revocation);
    if (this.revocation) return this.revokedBySource(path, at).then(result);
    let revocation: RevocationStatus | undefined;
    for (let i = 0; i < path.length - 1; i++) {
      const status = this.checkRevocation(path[i], path[i + 1], at, i === 0);
      revocation ??= status;
    }
    return result(revocation as RevocationStatus);
  }

  /** Step 7 with the configured RevocationSource: the leaf from it, CA certificates from the CRL store when there is one. */
  private async revokedBySource(path: readonly ParsedCertificate[], at: Date): Promise<RevocationStatus> {
    let revocation: RevocationStatus | undefined;
    for (let i = 0; i < path.length - 1; i++) {
      const status = i === 0 || !this.crlStore
        ? await this.checkWithSource(this.revocation as RevocationSource, path[i], path[i + 1], at, i === 0)
        : this.checkRevocation(path[i], path[i + 1], at, i === 0);
      revocation ??= status;
    }
    return revocation as RevocationStatus;
  }

  private verified(
    leaf: ParsedCertificate, path: readonly ParsedCertificate[], attributes: JpkiBasicAttributes, policy: string, revocation: RevocationStatus,
  ): JpkiVerifiedCertificate {
    return {
      attributes,
      serialNumber: leaf.serialNumber,
      issuer: leaf.issuer,
      subject: leaf.subject,
      notBefore: leaf.notBefore,
      notAfter: leaf.notAfter,
      fingerprintSha256: leaf.fingerprintSha256,
      issuerSpkiSha256: path[1].spkiSha256,
      crlDistributionPoints: distributionPointNames(leaf),
      policy,
      ocspUrls: leaf.ocspUrls ?? [],
      revocation,
    };
  }

  private selectPath(leaf: ParsedCertificate, at: Date): ParsedCertificate[] {
    const paths = this.findPaths(leaf);
    if (paths.length === 0) {
      throw new JpkiError('jpki_untrusted_chain', 'no path to a trust anchor with valid signatures');
    }
    let firstError: JpkiError | undefined;
    for (const path of paths) {
      try {
        checkPath(path, at);
        return path;
      } catch (error) {
        if (!(error instanceof JpkiError)) throw error;
        firstError ??= error;
      }
    }
    throw firstError as JpkiError;
  }

  /** Depth-first search over configured CAs by issuer name, keeping edges whose signature verifies. */
  private findPaths(leaf: ParsedCertificate): ParsedCertificate[][] {
    const paths: ParsedCertificate[][] = [];
    const walk = (chain: ParsedCertificate[], nodes: CaNode[]): void => {
      const child = chain[chain.length - 1];
      for (const node of this.bySubject.get(child.issuerKey) ?? []) {
        if (paths.length >= MAX_PATHS || chain.length > MAX_PATH_DEPTH) return;
        if (nodes.includes(node)) continue;
        // Several root generations share one DN: a CA whose subjectKeyIdentifier differs from
        // the child's authorityKeyIdentifier cannot have signed it (RFC 5280 §4.2.1.1), so its
        // signature check is skipped. Without both identifiers every candidate is tried.
        if (child.authorityKeyId && node.cert.subjectKeyId && child.authorityKeyId !== node.cert.subjectKeyId) continue;
        if (!this.isSignedBy(child, node, chain.length > 1)) continue;
        const next = [...chain, node.cert];
        if (node.anchor) paths.push(next);
        else walk(next, [...nodes, node]);
      }
    };
    walk([leaf], []);
    return paths;
  }

  private isSignedBy(child: ParsedCertificate, issuer: CaNode, childIsConfiguredCa: boolean): boolean {
    const cacheKey = `${child.fingerprintSha256}>${issuer.cert.fingerprintSha256}`;
    if (childIsConfiguredCa) {
      let result = this.caSignatureCache.get(cacheKey);
      if (result === undefined) {
        result = verifyCertSignature(child, issuer);
        this.caSignatureCache.set(cacheKey, result);
      }
      return result;
    }
    // Resident certificate: bounded LRU of successes (see signatureCache).
    if (this.signatureCache.delete(cacheKey)) {
      this.signatureCache.set(cacheKey, true);
      return true;
    }
    if (!verifyCertSignature(child, issuer)) return false;
    if (this.signatureCacheSize > 0) {
      if (this.signatureCache.size >= this.signatureCacheSize) {
        this.signatureCache.delete(this.signatureCache.keys().next().value as string);
      }
      this.signatureCache.set(cacheKey, true);
    }
    return true;
  }

  /** Against the CRL store: the partition covering the certificate's distribution point, signed by the issuer's key. */
  private checkRevocation(cert: ParsedCertificate, issuer: ParsedCertificate, at: Date, isLeaf: boolean): RevocationStatus {
    const which = isLeaf ? 'certificate' : `CA certificate ${cert.subject}`;
    const found = (this.crlStore as CrlStore).findFor(cert.issuerKey, issuer.spkiSha256, cert.crlDistributionPoints, !isLeaf);
    if (!found.list) {
      if (found.partitionMismatch) {
        throw new JpkiError('jpki_crl_wrong_partition', `no CRL partition of ${issuer.subject} covers the distribution point of the ${which}`);
      }
      throw new JpkiError('jpki_crl_unavailable', `no CRL signed by the key of ${issuer.subject}`);
    }
    const crl = found.list;
    checkFresh(crl, at, this.crlGracePeriodMs);
    const entry = crl.entryOfBytes(Buffer.from(cert.serialNumber, 'hex'));
    if (entry) {
      const status = revokedStatus(crl, entry);
      throw new JpkiError('jpki_certificate_revoked', `${which}, serial ${cert.serialNumber}${status.reason ? `, ${status.reason}` : ''}`);
    }
    return { status: 'good', thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, source: 'crl' };
  }

  /** Against a RevocationSource (OCSP, an operator's service): fails closed on anything but `good`. */
  private async checkWithSource(
    source: RevocationSource, cert: ParsedCertificate, issuer: ParsedCertificate, at: Date, isLeaf: boolean,
  ): Promise<RevocationStatus> {
    const which = isLeaf ? 'certificate' : `CA certificate ${cert.subject}`;
    const identity: CertificateIdentity = {
      issuer: cert.issuer,
      issuerSpkiSha256: issuer.spkiSha256,
      serialNumber: cert.serialNumber,
      crlDistributionPoints: distributionPointNames(cert),
      isCa: !isLeaf,
      ...(cert.ocspUrls?.length && { ocspUrls: cert.ocspUrls }),
    };
    const status = isSyncRevocationSource(source) ? source.statusSync(identity, at) : await source.status(identity, at);
    if (status.status === 'revoked') {
      throw new JpkiError('jpki_certificate_revoked', `${which}, serial ${cert.serialNumber}${status.reason ? `, ${status.reason}` : ''}`);
    }
    if (status.status !== 'good') throw new JpkiError('jpki_ocsp_status_unknown', `${which}, serial ${cert.serialNumber}: ${status.source} says ${status.status}`);
    if (status.nextUpdate && at.getTime() > status.nextUpdate.getTime() + this.crlGracePeriodMs) {
      throw new JpkiError(status.source === 'ocsp' ? 'jpki_ocsp_stale' : 'jpki_crl_stale', `${status.source} answer expired at ${status.nextUpdate.toISOString()}`);
    }
    return status;
  }

  private checkSignature(cert: ParsedCertificate, data: Uint8Array, signature: Uint8Array): void {
    checkRsaKey(cert);
    if (!(data instanceof Uint8Array)) throw new JpkiError('jpki_malformed_signature', 'signed data must be bytes');
    if (!(signature instanceof Uint8Array)) throw new JpkiError('jpki_malformed_signature', 'signature must be bytes');
    const expected = Math.ceil((cert.rsaModulusBits as number) / 8);
    if (signature.length !== expected) {
      throw new JpkiError('jpki_malformed_signature', `signature is ${signature.length} bytes, the key needs ${expected}`);
    }
    // The resident's key is not cached (one card, one proof): it is handed to OpenSSL as PKCS#1
    // DER inside the one verify call — no KeyObject, about 5 µs less than importing it first.
    // checkRsaKey has vetted the key (RSA, sane exponent, 2048–4096 bits); a key OpenSSL still
    // refuses is told apart from a bad signature by importing it only then.
    let ok: boolean;
    try {
      ok = nodeVerify('sha256', data, { key: Buffer.from(cert.rsaPublicKey.buffer, cert.rsaPublicKey.byteOffset, cert.rsaPublicKey.byteLength), format: 'der', type: 'pkcs1' }, signature);
    } catch (error) {
      if (!importRsaPublicKey(cert.rsaPublicKey)) throw new JpkiError('jpki_unsupported_algorithm', 'public key not usable for RSASSA-PKCS1-v1_5');
      throw new JpkiError('jpki_malformed_signature', 'signature could not be processed', { cause: error });
    }
    if (!ok) throw new JpkiError('jpki_bad_signature');
  }
}

/** Whether `issuer`'s key verifies `child`'s signature (sha256WithRSA over the tbsCertificate as received). */
function verifyCertSignature(child: ParsedCertificate, issuer: CaNode): boolean {
  const bits = issuer.cert.rsaModulusBits;
  if (!child.signatureAlgorithmOk || issuer.cert.publicKeyAlgorithm !== OID_RSA_ENCRYPTION) return false;
  if (!bits || bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) return false;
  if (child.signatureValue.length !== Math.ceil(bits / 8)) return false;
  if (!issuer.key) return false;
  return verifyRsaSha256(issuer.key, child.tbs, child.signatureValue);
}

/**
 * The distribution point names of a certificate, flattened. The parser shares one points array
 * among all certificates carrying the same extension (a municipality's cards), so the flat list
 * is kept per array and not rebuilt on every proof. Callers never mutate it (readonly).
 */
const flatNames = new WeakMap<object, readonly string[]>();
const NO_NAMES: readonly string[] = Object.freeze([]);
function distributionPointNames(cert: ParsedCertificate): readonly string[] {
  const points = cert.crlDistributionPoints;
  if (!points) return NO_NAMES;
  let names = flatNames.get(points);
  if (names === undefined) {
    names = Object.freeze(points.flatMap((p) => p.names));
    flatNames.set(points, names);
  }
  return names;
}

function checkAlgorithm(algorithm: unknown): asserts algorithm is JpkiSignatureAlgorithm {
  if (!(JPKI_SIGNATURE_ALGORITHMS as readonly unknown[]).includes(algorithm)) {
    throw new JpkiError('jpki_unsupported_algorithm', `signature algorithm ${String(algorithm).slice(0, 40)}`);
  }
}

function checkRsaKey(cert: ParsedCertificate): void {
  if (cert.publicKeyAlgorithm !== OID_RSA_ENCRYPTION) {
    throw new JpkiError('jpki_unsupported_algorithm', `public key algorithm ${cert.publicKeyAlgorithm}`);
  }
  const bits = cert.rsaModulusBits;
  if (!bits || bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
    throw new JpkiError('jpki_unsupported_algorithm', bits ? `RSA-${bits} key` : 'unusable RSA key');
  }
}

/** CA constraints of every certificate above the leaf, then validity of every certificate at `at`. */
function checkPath(path: readonly ParsedCertificate[], at: Date): void {
  for (let i = 1; i < path.length; i++) {
    const ca = path[i];
    const name = ca.subject;
    if (!ca.basicConstraints?.ca) throw new JpkiError('jpki_untrusted_chain', `${name} is not a CA`);
    if (ca.keyUsage === undefined || (ca.keyUsage & KU_KEY_CERT_SIGN) === 0) {
      throw new JpkiError('jpki_untrusted_chain', `${name} may not sign certificates`);
    }
    const below = i - 1; // CA certificates between this one and the leaf
    if (ca.basicConstraints.pathLength !== undefined && below > ca.basicConstraints.pathLength) {
      throw new JpkiError('jpki_untrusted_chain', `path length constraint of ${name} exceeded`);
    }
    const unknownCritical = ca.extensions.find((e) => e.critical && !KNOWN_EXTENSIONS.has(e.oid));
    if (unknownCritical) {
      throw new JpkiError('jpki_untrusted_chain', `${name} has unsupported critical extension ${unknownCritical.oid}`);
    }
  }
  for (const cert of path) {
    const which = cert === path[0] ? 'certificate' : `CA certificate ${cert.subject}`;
    if (at.getTime() < cert.notBefore.getTime()) {
      throw new JpkiError('jpki_certificate_not_yet_valid', `${which} valid from ${cert.notBefore.toISOString()}`);
    }
    if (at.getTime() > cert.notAfter.getTime()) {
      throw new JpkiError('jpki_certificate_expired', `${which} expired at ${cert.notAfter.toISOString()}`);
    }
  }
}
