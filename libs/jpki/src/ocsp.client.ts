import { createHash, randomBytes } from 'node:crypto';
import {
  childrenOf, contentOf, contextTag, DerError, normalizeSerialBytes, normalizeSerialHex, rawOf, readOid, readTime,
  readWhole, TAG, toHex, type Tlv,
} from './der.reader';
import { DER_NULL, derExtension, derInteger, derOid, derTlv } from './der.writer';
import { parseCertificateDer, type ParsedCertificate } from './jpki-certificate.parser';
import { DEFAULT_MAX_CERTIFICATE_BYTES, decodeCertificateInput, type JpkiCertificateInput } from './jpki-input.decoder';
import { JpkiError, type JpkiErrorCode } from './jpki.error';
import { crlReasonName, OID_EXT, OID_KP_OCSP_SIGNING, OID_OCSP, OID_RSA_ENCRYPTION, OID_SHA1, OID_SHA256 } from './jpki.oids';
import type { CertificateIdentity, RevocationSource, RevocationStatus } from './revocation.source';
import { importRsaPublicKey, verifyRsaSha256 } from './rsa.verify';
import type { KeyObject } from 'node:crypto';

/**
 * OCSP (RFC 6960) as a {@link RevocationSource}: builds the request (with a nonce, RFC 8954),
 * hands its DER to an injected transport (HTTP POST to the responder, an in-process test
 * responder, or a platform operator's gateway), and accepts the answer only when:
 *
 * - responseStatus is successful and the response is a BasicOCSPResponse (else
 *   `jpki_ocsp_unavailable` / `jpki_ocsp_invalid`);
 * - the responder is authorised (§4.2.2.2): the CA that issued the certificate, or a responder
 *   certificate included in the response, issued (signature verified) by that CA, carrying
 *   id-kp-OCSPSigning and valid now (else `jpki_ocsp_unauthorized_responder`);
 * - a delegated responder is itself not revoked (§4.2.2.2.1): its certificate carries
 *   id-pkix-ocsp-nocheck, or the `responderRevocation` source (a CRL store: not the responder,
 *   which would vouch for itself) answers `good` for it (else `jpki_ocsp_responder_revoked`, or
 *   `jpki_ocsp_responder_unchecked` when no source is configured or it cannot answer);
 * - the signature (sha256WithRSA) verifies with that responder's key (else `jpki_ocsp_unsigned`);
 * - the nonce sent comes back (else `jpki_ocsp_invalid`: a replayed or cached answer);
 * - a SingleResponse has exactly the CertID asked for — hash algorithm, issuer name and key
 *   hashes, serial (else `jpki_ocsp_wrong_certificate`);
 * - it is fresh: producedAt and thisUpdate not in the future, nextUpdate not passed, each within
 *   the allowed clock skew; without nextUpdate, thisUpdate not older than `maxAgeMs` (else
 *   `jpki_ocsp_stale`).
 *
 * `unknown` is returned as such; the verifier refuses it (`jpki_ocsp_status_unknown`).
 */

/** Where a request goes: the responders the certificate names (authorityInfoAccess id-ad-ocsp), if any. */
export interface OcspTarget {
  readonly urls: readonly string[];
}

/**
 * Sends an OCSP request (DER) and resolves with the response DER; rejects on transport failure.
 * `target` lists the responders the certificate names; a transport with a fixed responder (a
 * platform operator's) may ignore it.
 */
export type OcspTransport = (request: Uint8Array, target: OcspTarget) => Promise<Uint8Array>;

export interface OcspClientOptions {
  /** CA certificates (DER or PEM) the certificates asked about are issued by: the trust anchors. */
  readonly issuers: readonly JpkiCertificateInput[];
  readonly transport: OcspTransport;
  /** Tolerated clock difference with the responder. Default 5 minutes. */
  readonly maxClockSkewMs?: number;
  /** Oldest acceptable thisUpdate when the response has no nextUpdate. Default 1 hour. */
  readonly maxAgeMs?: number;
  /** Send a nonce and require it back. Default true (fail closed). */
  readonly nonce?: boolean;
  /** CertID hash. Default SHA-1, what responders universally support (RFC 5019 §2.1.1). */
  readonly certIdHash?: 'SHA-1' | 'SHA-256';
  /** Largest response accepted. Default 64 KiB. */
  readonly maxResponseBytes?: number;
  /**
   * How a delegated responder certificate without id-pkix-ocsp-nocheck is checked for revocation
   * (RFC 6960 §4.2.2.2.1) — typically the CA's CRLs. Absent: such a responder is refused
   * (`jpki_ocsp_responder_unchecked`). A `good` answer is reused until its nextUpdate, at most
   * `responderCheckMaxAgeMs`.
   */
  readonly responderRevocation?: RevocationSource;
  /** Longest reuse of a delegated responder's `good` status. Default 5 minutes. */
  readonly responderCheckMaxAgeMs?: number;
}

/** The CertID of one certificate, as sent. */
export interface OcspCertId {
  readonly hashAlgorithm: string;
  readonly issuerNameHash: string;
  readonly issuerKeyHash: string;
  /** Normalised hex. */
  readonly serialNumber: string;
}

/** A built request and what its response must match. */
export interface OcspRequest {
  readonly der: Uint8Array;
  readonly certId: OcspCertId;
  readonly nonce?: Uint8Array;
  /** The CA the request is about (its key authorises the responder). */
  readonly issuerSpkiSha256: string;
}

interface IssuerCa {
  readonly cert: ParsedCertificate;
  readonly key: KeyObject | undefined;
}

const DEFAULT_SKEW = 5 * 60_000;
const DEFAULT_MAX_AGE = 60 * 60_000;
const DEFAULT_MAX_RESPONSE = 64 * 1024;
const DEFAULT_RESPONDER_CHECK_AGE = 5 * 60_000;
const SHA256_WITH_RSA_NULL = Buffer.from('300d06092a864886f70d01010b0500', 'hex');
const SHA256_WITH_RSA_ABSENT = Buffer.from('300b06092a864886f70d01010b', 'hex');
const RESPONSE_STATUS = ['successful', 'malformedRequest', 'internalError', 'tryLater', '(4)', 'sigRequired', 'unauthorized'];
const KU_DIGITAL_SIGNATURE = 1;

function ensure(cond: boolean, what: string): asserts cond {
  if (!cond) throw new DerError(what);
}

export class OcspClient implements RevocationSource {
  private readonly cas: IssuerCa[] = [];
  private readonly transport: OcspTransport;
  private readonly skew: number;
  private readonly maxAge: number;
  private readonly useNonce: boolean;
  private readonly hash: 'sha1' | 'sha256';
  private readonly maxResponseBytes: number;
  /** Delegated responder certificates already checked against a CA: `<responder fp>><CA fp>` → ok. */
  private readonly responderCache = new Map<string, boolean>();
  private readonly responderRevocation: RevocationSource | undefined;
  private readonly responderCheckMaxAge: number;
  /** Delegated responders found `good` by `responderRevocation`: fingerprint → reusable until (ms). */
  private readonly responderGood = new Map<string, number>();

  constructor(options: OcspClientOptions) {
    for (const input of options.issuers) {
      const cert = parseCertificateDer(decodeCertificateInput(input, DEFAULT_MAX_CERTIFICATE_BYTES));
      const usable = cert.publicKeyAlgorithm === OID_RSA_ENCRYPTION && cert.rsaModulusBits !== undefined;
      if (!this.cas.some((c) => c.cert.fingerprintSha256 === cert.fingerprintSha256)) {
        this.cas.push({ cert, key: usable ? importRsaPublicKey(cert.rsaPublicKey) : undefined });
      }
    }
    this.transport = options.transport;
    this.skew = options.maxClockSkewMs ?? DEFAULT_SKEW;
    this.maxAge = options.maxAgeMs ?? DEFAULT_MAX_AGE;
    this.useNonce = options.nonce ?? true;
    this.hash = options.certIdHash === 'SHA-256' ? 'sha256' : 'sha1';
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE;
    this.responderRevocation = options.responderRevocation;
    this.responderCheckMaxAge = options.responderCheckMaxAgeMs ?? DEFAULT_RESPONDER_CHECK_AGE;
  }

  async status(certificate: CertificateIdentity, at: Date): Promise<RevocationStatus> {
    const candidates = this.issuersOf(certificate);
    if (candidates.length === 0) throw new JpkiError('jpki_ocsp_unauthorized_responder', `no configured CA ${certificate.issuer}`);
    let last: RevocationStatus | undefined;
    for (const ca of candidates) {
      // Several generations under one DN and no key named: ask about each; the first that
      // knows the certificate answers.
      const request = this.buildRequestFor(ca, certificate.serialNumber);
      let response: Uint8Array;
      try {
        response = await this.transport(request.der, { urls: certificate.ocspUrls ?? [] });
      } catch (error) {
        throw new JpkiError('jpki_ocsp_unavailable', (error as Error)?.message?.slice(0, 200) ?? 'transport failed', { cause: error });
      }
      const answer = await this.verifyResponse(response, request, at);
      if (answer.status !== 'unknown') return answer;
      last = answer;
    }
    return last as RevocationStatus;
  }

  /** The request for one certificate (exposed for tests and for callers with their own transport). */
  buildRequest(certificate: CertificateIdentity): OcspRequest {
    const [ca] = this.issuersOf(certificate);
    if (!ca) throw new JpkiError('jpki_ocsp_unauthorized_responder', `no configured CA ${certificate.issuer}`);
    return this.buildRequestFor(ca, certificate.serialNumber);
  }

  /** Checks a response to `request` at `at` (see the class comment); rejects with a JpkiError on every failure. */
  async verifyResponse(response: Uint8Array, request: OcspRequest, at: Date): Promise<RevocationStatus> {
    if (!(response instanceof Uint8Array) || response.length === 0) throw new JpkiError('jpki_ocsp_invalid', 'empty response');
    if (response.length > this.maxResponseBytes) throw new JpkiError('jpki_ocsp_invalid', `response of ${response.length} bytes`);
    const ca = this.cas.find((c) => c.cert.spkiSha256 === request.issuerSpkiSha256);
    if (!ca) throw new JpkiError('jpki_ocsp_unauthorized_responder', 'the request names no configured CA');
    const der = new Uint8Array(response);
    let verified: { status: RevocationStatus; delegated?: ParsedCertificate };
    try {
      verified = this.verifyUnchecked(der, request, ca, at);
    } catch (error) {
      if (error instanceof JpkiError) throw error;
      const detail = error instanceof DerError ? error.message : 'undecodable OCSP response';
      throw new JpkiError('jpki_ocsp_invalid', detail, { cause: error });
    }
    if (verified.delegated) await this.checkResponderNotRevoked(verified.delegated, ca, at);
    return verified.status;
  }

  /**
   * RFC 6960 §4.2.2.2.1: a delegated responder's certificate carries id-pkix-ocsp-nocheck (the CA
   * vouches for it for its lifetime), or it is checked like any certificate — by another source.
   */
  private async checkResponderNotRevoked(responder: ParsedCertificate, ca: IssuerCa, at: Date): Promise<void> {
    if (responder.extensions.some((e) => e.oid === OID_EXT.ocspNoCheck)) return;
    if (!this.responderRevocation) {
      throw new JpkiError('jpki_ocsp_responder_unchecked', `responder ${responder.subject} carries no id-pkix-ocsp-nocheck and no source is configured to check it`);
    }
    const until = this.responderGood.get(responder.fingerprintSha256);
    if (until !== undefined && until > at.getTime()) return;
    let answer: RevocationStatus;
    try {
      answer = await this.responderRevocation.status({
        issuer: responder.issuer, issuerSpkiSha256: ca.cert.spkiSha256, serialNumber: responder.serialNumber,
        crlDistributionPoints: (responder.crlDistributionPoints ?? []).flatMap((p) => p.names),
      }, at);
    } catch (error) {
      const detail = error instanceof JpkiError ? `${error.code}: ${error.detail ?? ''}` : 'the source failed';
      throw new JpkiError('jpki_ocsp_responder_unchecked', `responder ${responder.subject}: ${detail}`.slice(0, 300), { cause: error });
    }
    if (answer.status === 'revoked') {
      this.responderGood.delete(responder.fingerprintSha256);
      throw new JpkiError('jpki_ocsp_responder_revoked', `responder ${responder.subject} revoked${answer.reason ? ` (${answer.reason})` : ''}`);
    }
    if (answer.status !== 'good') throw new JpkiError('jpki_ocsp_responder_unchecked', `responder ${responder.subject}: status ${answer.status}`);
    const reuse = Math.min(answer.nextUpdate?.getTime() ?? Infinity, at.getTime() + this.responderCheckMaxAge);
    if (this.responderGood.size > 64) this.responderGood.clear();
    this.responderGood.set(responder.fingerprintSha256, reuse);
  }

  private issuersOf(certificate: CertificateIdentity): IssuerCa[] {
    return this.cas.filter((c) => c.cert.subject === certificate.issuer &&
      (!certificate.issuerSpkiSha256 || c.cert.spkiSha256 === certificate.issuerSpkiSha256));
  }

  private buildRequestFor(ca: IssuerCa, serialHex: string): OcspRequest {
    const serial = normalizeSerialHex(serialHex);
    if (serial === undefined) throw new JpkiError('jpki_malformed_certificate', 'serial number is not hex');
    const issuerNameHash = createHash(this.hash).update(ca.cert.subjectName).digest();
    const issuerKeyHash = createHash(this.hash).update(ca.cert.rsaPublicKey).digest();
    const hashAlgorithm = this.hash === 'sha1' ? OID_SHA1 : OID_SHA256;
    const certId = derTlv(
      TAG.SEQUENCE,
      derTlv(TAG.SEQUENCE, derOid(hashAlgorithm), DER_NULL),
      derTlv(TAG.OCTET_STRING, issuerNameHash),
      derTlv(TAG.OCTET_STRING, issuerKeyHash),
      derInteger(Buffer.from(serial, 'hex')),
    );
    const nonce = this.useNonce ? randomBytes(32) : undefined;
    const tbsParts: Uint8Array[] = [derTlv(TAG.SEQUENCE, derTlv(TAG.SEQUENCE, certId))];
    if (nonce) {
      tbsParts.push(derTlv(contextTag(2), derTlv(TAG.SEQUENCE, derExtension(OID_OCSP.nonce, false, derTlv(TAG.OCTET_STRING, nonce)))));
    }
    const der = derTlv(TAG.SEQUENCE, derTlv(TAG.SEQUENCE, ...tbsParts));
    return {
      der: new Uint8Array(der),
      certId: { hashAlgorithm, issuerNameHash: issuerNameHash.toString('hex'), issuerKeyHash: issuerKeyHash.toString('hex'), serialNumber: serial },
      ...(nonce && { nonce: new Uint8Array(nonce) }),
      issuerSpkiSha256: ca.cert.spkiSha256,
    };
  }

  private verifyUnchecked(der: Uint8Array, request: OcspRequest, ca: IssuerCa, at: Date): { status: RevocationStatus; delegated?: ParsedCertificate } {
    // OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }
    const outer = readWhole(der, TAG.SEQUENCE, 'OCSPResponse');
    const top = childrenOf(der, outer);
    ensure(top.length >= 1 && top.length <= 2 && top[0].tag === 0x0a && top[0].end - top[0].contentStart === 1, 'responseStatus');
    const status = der[top[0].contentStart];
    if (status !== 0) throw new JpkiError('jpki_ocsp_unavailable', `responseStatus ${RESPONSE_STATUS[status] ?? status}`);
    ensure(top.length === 2 && top[1].tag === contextTag(0), 'responseBytes');
    const rb = childrenOf(der, top[1]);
    ensure(rb.length === 1 && rb[0].tag === TAG.SEQUENCE, 'ResponseBytes');
    const [typeTlv, octets, ...restRb] = childrenOf(der, rb[0]);
    ensure(!!typeTlv && !!octets && restRb.length === 0 && octets.tag === TAG.OCTET_STRING, 'ResponseBytes');
    if (readOid(der, typeTlv) !== OID_OCSP.basic) throw new JpkiError('jpki_ocsp_invalid', 'not a basic OCSP response');

    // BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
    const basic = contentOf(der, octets);
    const basicTlv = readWhole(basic, TAG.SEQUENCE, 'BasicOCSPResponse');
    const parts = childrenOf(basic, basicTlv);
    ensure(parts.length === 3 || parts.length === 4, 'BasicOCSPResponse');
    const [tbsTlv, algTlv, sigTlv, certsTlv] = parts;
    ensure(tbsTlv.tag === TAG.SEQUENCE && algTlv.tag === TAG.SEQUENCE && sigTlv.tag === TAG.BIT_STRING, 'BasicOCSPResponse');
    ensure(!certsTlv || certsTlv.tag === contextTag(0), 'certs');
    const alg = rawOf(basic, algTlv);
    if (Buffer.compare(alg, SHA256_WITH_RSA_NULL) !== 0 && Buffer.compare(alg, SHA256_WITH_RSA_ABSENT) !== 0) {
      throw new JpkiError('jpki_ocsp_invalid', 'unsupported OCSP signature algorithm');
    }
    const signature = sigTlv.end > sigTlv.contentStart && basic[sigTlv.contentStart] === 0
      ? basic.subarray(sigTlv.contentStart + 1, sigTlv.end) : new Uint8Array(0);
    const tbs = rawOf(basic, tbsTlv);

    // ResponseData ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, responderID, producedAt, responses, responseExtensions [1] EXPLICIT OPTIONAL }
    const fields = childrenOf(basic, tbsTlv);
    let i = 0;
    if (fields[i]?.tag === contextTag(0)) {
      const v = childrenOf(basic, fields[i]);
      ensure(v.length === 1 && v[0].tag === TAG.INTEGER && v[0].end - v[0].contentStart === 1 && basic[v[0].contentStart] === 0, 'version');
      i++;
    }
    const responderId = fields[i++];
    const producedAtTlv = fields[i++];
    const responsesTlv = fields[i++];
    const extTlv = fields[i]?.tag === contextTag(1) ? fields[i++] : undefined;
    ensure(!!responderId && !!producedAtTlv && !!responsesTlv && i === fields.length, 'ResponseData');
    ensure(producedAtTlv.tag === TAG.GENERALIZED_TIME && responsesTlv.tag === TAG.SEQUENCE, 'ResponseData');
    const producedAt = readTime(basic, producedAtTlv);

    // Who signed, and may they? Then the signature itself.
    const signer = this.authorisedSigner(basic, responderId, certsTlv, ca, at);
    if (signature.length === 0) throw new JpkiError('jpki_ocsp_unsigned', 'empty signature');
    if (!signer.key || !verifyRsaSha256(signer.key, tbs, signature)) {
      throw new JpkiError('jpki_ocsp_unsigned', 'the signature does not verify with the responder key');
    }

    // Nonce.
    const responseNonce = extTlv ? readNonce(basic, extTlv) : undefined;
    if (request.nonce && (!responseNonce || Buffer.compare(Buffer.from(responseNonce), Buffer.from(request.nonce)) !== 0)) {
      throw new JpkiError('jpki_ocsp_invalid', responseNonce ? 'nonce differs from the one sent' : 'nonce missing');
    }

    // The SingleResponse for our CertID.
    let single: ReturnType<typeof readSingle> | undefined;
    for (const s of childrenOf(basic, responsesTlv)) {
      const candidate = readSingle(basic, s);
      if (sameCertId(candidate.certId, request.certId)) {
        single = candidate;
        break;
      }
    }
    if (!single) throw new JpkiError('jpki_ocsp_wrong_certificate', `no response for serial ${request.certId.serialNumber}`);

    // Freshness.
    const now = at.getTime();
    const stale = (detail: string): JpkiError => new JpkiError('jpki_ocsp_stale', detail);
    if (producedAt.getTime() > now + this.skew) throw stale(`producedAt ${producedAt.toISOString()} is in the future`);
    if (single.thisUpdate.getTime() > now + this.skew) throw stale(`thisUpdate ${single.thisUpdate.toISOString()} is in the future`);
    if (single.nextUpdate) {
      if (single.nextUpdate.getTime() < now - this.skew) throw stale(`nextUpdate ${single.nextUpdate.toISOString()} has passed`);
    } else if (single.thisUpdate.getTime() < now - this.maxAge) {
      throw stale(`thisUpdate ${single.thisUpdate.toISOString()} is older than allowed without nextUpdate`);
    }
    const answer: RevocationStatus = {
      status: single.status,
      ...(single.revokedAt && { revokedAt: single.revokedAt }),
      ...(single.reason !== undefined && { reason: single.reason }),
      thisUpdate: single.thisUpdate,
      ...(single.nextUpdate && { nextUpdate: single.nextUpdate }),
      source: 'ocsp',
    };
    return { status: answer, ...(signer.delegated && { delegated: signer.delegated }) };
  }

  /** The CA itself, or a delegated responder certificate from `certs` that the CA authorised. */
  private authorisedSigner(basic: Uint8Array, responderId: Tlv, certsTlv: Tlv | undefined, ca: IssuerCa, at: Date): { key: KeyObject | undefined; delegated?: ParsedCertificate } {
    const matches = (cert: ParsedCertificate): boolean => {
      const inner = childrenOf(basic, responderId);
      ensure(inner.length === 1, 'ResponderID');
      if (responderId.tag === contextTag(1)) {
        ensure(inner[0].tag === TAG.SEQUENCE, 'ResponderID byName');
        return toHex(basic, inner[0].start, inner[0].end) === cert.subjectKey;
      }
      if (responderId.tag === contextTag(2)) {
        ensure(inner[0].tag === TAG.OCTET_STRING, 'ResponderID byKey');
        return toHex(basic, inner[0].contentStart, inner[0].end) === createHash('sha1').update(cert.rsaPublicKey).digest('hex');
      }
      throw new DerError('ResponderID');
    };
    if (matches(ca.cert)) return { key: ca.key };
    const fail = (code: JpkiErrorCode, detail: string) => new JpkiError(code, detail);
    const included = certsTlv ? childrenOf(basic, certsTlv) : [];
    ensure(included.length <= 1 && (included.length === 0 || included[0].tag === TAG.SEQUENCE), 'certs');
    const certs = included.length ? childrenOf(basic, included[0]).map((t) => parseCertificateDer(rawOf(basic, t).slice())) : [];
    const responder = certs.find(matches);
    if (!responder) throw fail('jpki_ocsp_unauthorized_responder', 'the responder is neither the CA nor a certificate included in the response');
    const cacheKey = `${responder.fingerprintSha256}>${ca.cert.fingerprintSha256}`;
    let issuedByCa = this.responderCache.get(cacheKey);
    if (issuedByCa === undefined) {
      issuedByCa = responder.issuerKey === ca.cert.subjectKey && responder.signatureAlgorithmOk && !!ca.key &&
        verifyRsaSha256(ca.key, responder.tbs, responder.signatureValue);
      if (this.responderCache.size > 64) this.responderCache.clear();
      this.responderCache.set(cacheKey, issuedByCa);
    }
    if (!issuedByCa) throw fail('jpki_ocsp_unauthorized_responder', `responder ${responder.subject} was not issued by ${ca.cert.subject}`);
    if (!responder.extendedKeyUsage?.includes(OID_KP_OCSP_SIGNING)) {
      throw fail('jpki_ocsp_unauthorized_responder', `responder ${responder.subject} lacks id-kp-OCSPSigning`);
    }
    if (responder.keyUsage !== undefined && (responder.keyUsage & KU_DIGITAL_SIGNATURE) === 0) {
      throw fail('jpki_ocsp_unauthorized_responder', `responder ${responder.subject} may not sign`);
    }
    if (at.getTime() < responder.notBefore.getTime() || at.getTime() > responder.notAfter.getTime()) {
      throw fail('jpki_ocsp_unauthorized_responder', `responder certificate ${responder.subject} is not valid now`);
    }
    if (responder.publicKeyAlgorithm !== OID_RSA_ENCRYPTION || !responder.rsaModulusBits || responder.rsaModulusBits < 2048) {
      throw fail('jpki_ocsp_unauthorized_responder', 'responder key is not RSA >= 2048');
    }
    return { key: importRsaPublicKey(responder.rsaPublicKey), delegated: responder };
  }
}

function sameCertId(a: OcspCertId, b: OcspCertId): boolean {
  return a.hashAlgorithm === b.hashAlgorithm && a.issuerNameHash === b.issuerNameHash && a.issuerKeyHash === b.issuerKeyHash &&
    a.serialNumber === b.serialNumber;
}

/** SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0] EXPLICIT OPTIONAL, singleExtensions [1] EXPLICIT OPTIONAL } */
function readSingle(der: Uint8Array, tlv: Tlv): {
  certId: OcspCertId; status: 'good' | 'revoked' | 'unknown'; revokedAt?: Date; reason?: ReturnType<typeof crlReasonName>;
  thisUpdate: Date; nextUpdate?: Date;
} {
  ensure(tlv.tag === TAG.SEQUENCE, 'SingleResponse');
  const parts = childrenOf(der, tlv);
  ensure(parts.length >= 3 && parts.length <= 5, 'SingleResponse');
  const [idTlv, statusTlv, thisTlv, ...rest] = parts;
  ensure(idTlv.tag === TAG.SEQUENCE, 'CertID');
  const id = childrenOf(der, idTlv);
  ensure(id.length === 4 && id[0].tag === TAG.SEQUENCE && id[1].tag === TAG.OCTET_STRING && id[2].tag === TAG.OCTET_STRING && id[3].tag === TAG.INTEGER, 'CertID');
  const alg = childrenOf(der, id[0]);
  ensure(alg.length >= 1 && alg.length <= 2, 'CertID.hashAlgorithm');
  const certId: OcspCertId = {
    hashAlgorithm: readOid(der, alg[0]),
    issuerNameHash: toHex(der, id[1].contentStart, id[1].end),
    issuerKeyHash: toHex(der, id[2].contentStart, id[2].end),
    serialNumber: normalizeSerialBytes(der, id[3].contentStart, id[3].end),
  };
  let status: 'good' | 'revoked' | 'unknown';
  let revokedAt: Date | undefined;
  let reason: ReturnType<typeof crlReasonName> | undefined;
  if (statusTlv.tag === contextTag(0, true)) {
    ensure(statusTlv.end === statusTlv.contentStart, 'good');
    status = 'good';
  } else if (statusTlv.tag === contextTag(1)) {
    status = 'revoked';
    const info = childrenOf(der, statusTlv);
    ensure(info.length >= 1 && info.length <= 2 && info[0].tag === TAG.GENERALIZED_TIME, 'RevokedInfo');
    revokedAt = readTime(der, info[0]);
    if (info[1]) {
      ensure(info[1].tag === contextTag(0), 'revocationReason');
      const e = childrenOf(der, info[1]);
      ensure(e.length === 1 && e[0].tag === 0x0a && e[0].end - e[0].contentStart === 1, 'CRLReason');
      reason = crlReasonName(der[e[0].contentStart]);
    }
  } else if (statusTlv.tag === contextTag(2, true)) {
    ensure(statusTlv.end === statusTlv.contentStart, 'unknown');
    status = 'unknown';
  } else {
    throw new DerError('CertStatus');
  }
  ensure(thisTlv.tag === TAG.GENERALIZED_TIME, 'thisUpdate');
  const thisUpdate = readTime(der, thisTlv);
  let nextUpdate: Date | undefined;
  for (const r of rest) {
    if (r.tag === contextTag(0) && !nextUpdate) {
      const t = childrenOf(der, r);
      ensure(t.length === 1 && t[0].tag === TAG.GENERALIZED_TIME, 'nextUpdate');
      nextUpdate = readTime(der, t[0]);
    } else if (r.tag === contextTag(1)) {
      checkNoCriticalExtension(der, r);
    } else {
      throw new DerError('SingleResponse');
    }
  }
  return { certId, status, revokedAt, reason, thisUpdate, nextUpdate };
}

function checkNoCriticalExtension(der: Uint8Array, explicit: Tlv): void {
  const [seq, ...more] = childrenOf(der, explicit);
  ensure(!!seq && more.length === 0 && seq.tag === TAG.SEQUENCE, 'Extensions');
  for (const ext of childrenOf(der, seq)) {
    const p = childrenOf(der, ext);
    ensure(p.length === 2 || p.length === 3, 'Extension');
    if (p.length === 3 && p[1].tag === TAG.BOOLEAN && der[p[1].contentStart] !== 0) {
      throw new JpkiError('jpki_ocsp_invalid', `unsupported critical OCSP extension ${readOid(der, p[0])}`);
    }
  }
}

/** The nonce of responseExtensions: the inner OCTET STRING (RFC 8954), or the raw value some responders send. */
function readNonce(der: Uint8Array, explicit: Tlv): Uint8Array | undefined {
  checkNoCriticalExtension(der, explicit);
  const [seq] = childrenOf(der, explicit);
  for (const ext of childrenOf(der, seq)) {
    const p = childrenOf(der, ext);
    if (readOid(der, p[0]) !== OID_OCSP.nonce) continue;
    const value = contentOf(der, p[p.length - 1]);
    try {
      const inner = readWhole(value, TAG.OCTET_STRING, 'nonce');
      return contentOf(value, inner);
    } catch {
      return value;
    }
  }
  return undefined;
}


