import { createHash, createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { childrenOf, contentOf, contextTag, normalizeSerialBytes, rawOf, readOid, readWhole, TAG, type Tlv } from '../der.reader';
import {
  derExtension, derGeneralizedTime, derInteger, derOid, derSmallInteger, derTlv, SHA256_WITH_RSA_ALGORITHM,
} from '../der.writer';
import { parseCertificateDer, type ParsedCertificate } from '../jpki-certificate.parser';
import { CRL_REASONS, OID_OCSP, OID_SHA1, OID_SHA256, type CrlReason } from '../jpki.oids';

/**
 * An in-process OCSP responder for the test CA (test and development use only): takes a DER
 * OCSPRequest (RFC 6960 §4.1), answers with a DER OCSPResponse (§4.2) signed by the delegated
 * responder (for the CA that issued it) or by the CA itself (other CAs, e.g. the previous root
 * generation). The options produce the bad answers a verifier must refuse.
 */

interface SigningCertificate {
  readonly der: Uint8Array;
  readonly privateKeyPkcs8: Uint8Array;
}

/** Ways to make the answer wrong, for tests. */
export interface TestOcspOptions {
  /** Who signs: the delegated responder (default for the CA that issued it), the CA itself, or any certificate given (unauthorised). */
  readonly signer?: 'responder' | 'ca' | SigningCertificate;
  /** `echo` (default), `omit`, or another nonce. */
  readonly nonce?: 'echo' | 'omit' | Uint8Array;
  readonly producedAt?: Date;
  readonly thisUpdate?: Date;
  /** `null`: no nextUpdate. Default thisUpdate + 1 hour. */
  readonly nextUpdate?: Date | null;
  /** Answer for another serial than the one asked for. */
  readonly serialNumber?: string;
  /** Force a status. */
  readonly status?: 'good' | 'revoked' | 'unknown';
  /** An empty signature BIT STRING. */
  readonly unsigned?: boolean;
  /** Flip a bit of the signature. */
  readonly corruptSignature?: boolean;
  /** A responseStatus other than successful (then there are no responseBytes). */
  readonly responseStatus?: number;
  /** ResponderID byKey instead of byName. */
  readonly responderIdByKey?: boolean;
}

export interface TestOcspResponderParams {
  /** CAs answered for; the first is the one `responder` was issued by. */
  readonly cas: readonly SigningCertificate[];
  readonly responder?: SigningCertificate;
  readonly now: () => Date;
  /** Whether the CA issued this serial (normalised hex); unknown serials get `unknown`. */
  readonly isIssued: (serialNumber: string) => boolean;
  readonly revocation: (serialNumber: string) => { revokedAt: Date; reason: CrlReason } | undefined;
}

interface Signer {
  readonly cert: ParsedCertificate;
  readonly key: KeyObject;
  readonly der: Uint8Array;
}

function signerOf(c: SigningCertificate): Signer {
  return {
    cert: parseCertificateDer(c.der),
    key: createPrivateKey({ key: Buffer.from(c.privateKeyPkcs8), format: 'der', type: 'pkcs8' }),
    der: c.der,
  };
}

/** Builds the responder function. */
export function createTestOcspResponder(params: TestOcspResponderParams): (request: Uint8Array, options?: TestOcspOptions) => Uint8Array {
  const cas = params.cas.map(signerOf);
  const responder = params.responder ? signerOf(params.responder) : undefined;
  return (request, options = {}) => {
    if (options.responseStatus !== undefined && options.responseStatus !== 0) {
      return new Uint8Array(derTlv(TAG.SEQUENCE, derSmallInteger(options.responseStatus, 0x0a)));
    }
    const { certId, hashOid, nameHash, keyHash, serial, nonce } = readRequest(request);
    const hash = hashOid === OID_SHA256 ? 'sha256' : 'sha1';
    const caIndex = cas.findIndex((ca) =>
      createHash(hash).update(ca.cert.subjectName).digest().equals(nameHash) &&
      createHash(hash).update(ca.cert.rsaPublicKey).digest().equals(keyHash));
    const ca = cas[Math.max(0, caIndex)];
    const now = params.now();
    const thisUpdate = options.thisUpdate ?? new Date(now.getTime() - 60_000);
    const nextUpdate = options.nextUpdate === null ? undefined : options.nextUpdate ?? new Date(thisUpdate.getTime() + 60 * 60_000);
    const revoked = params.revocation(serial);
    const status = options.status ?? (caIndex < 0 || !params.isIssued(serial) ? 'unknown' : revoked ? 'revoked' : 'good');
    const certStatus = status === 'good' ? Buffer.from([0x80, 0x00])
      : status === 'unknown' ? Buffer.from([0x82, 0x00])
        : derTlv(contextTag(1), derGeneralizedTime(revoked?.revokedAt ?? new Date(now.getTime() - 86_400_000)),
          derTlv(contextTag(0), derSmallInteger(CRL_REASONS[revoked?.reason ?? 'unspecified'], 0x0a)));
    const answeredId = options.serialNumber
      ? derTlv(TAG.SEQUENCE, ...certId.slice(0, 3), derInteger(Buffer.from(options.serialNumber, 'hex')))
      : derTlv(TAG.SEQUENCE, ...certId);
    const single = derTlv(
      TAG.SEQUENCE, answeredId, certStatus, derGeneralizedTime(thisUpdate),
      ...(nextUpdate ? [derTlv(contextTag(0), derGeneralizedTime(nextUpdate))] : []),
    );

    let signer: Signer;
    let include: Uint8Array | undefined;
    if (options.signer && typeof options.signer === 'object') {
      signer = signerOf(options.signer);
      include = signer.der;
    } else if (options.signer === 'ca' || !responder || caIndex > 0) {
      signer = ca;
    } else {
      signer = responder;
      include = responder.der;
    }
    const responderId = options.responderIdByKey
      ? derTlv(contextTag(2), derTlv(TAG.OCTET_STRING, createHash('sha1').update(signer.cert.rsaPublicKey).digest()))
      : derTlv(contextTag(1), signer.cert.subjectName);
    const echoed = options.nonce === 'omit' ? undefined : options.nonce instanceof Uint8Array ? options.nonce : nonce;
    const tbs = derTlv(
      TAG.SEQUENCE,
      responderId,
      derGeneralizedTime(options.producedAt ?? now),
      derTlv(TAG.SEQUENCE, single),
      ...(echoed ? [derTlv(contextTag(1), derTlv(TAG.SEQUENCE, derExtension(OID_OCSP.nonce, false, derTlv(TAG.OCTET_STRING, echoed))))] : []),
    );
    let signature: Buffer = options.unsigned ? Buffer.alloc(0) : nodeSign('sha256', tbs, signer.key);
    if (options.corruptSignature && signature.length) {
      signature = Buffer.from(signature);
      signature[10] ^= 0x01;
    }
    const basic = derTlv(
      TAG.SEQUENCE, tbs, SHA256_WITH_RSA_ALGORITHM, derTlv(TAG.BIT_STRING, Buffer.from([0]), signature),
      ...(include ? [derTlv(contextTag(0), derTlv(TAG.SEQUENCE, include))] : []),
    );
    const response = derTlv(
      TAG.SEQUENCE, derSmallInteger(0, 0x0a),
      derTlv(contextTag(0), derTlv(TAG.SEQUENCE, derOid(OID_OCSP.basic), derTlv(TAG.OCTET_STRING, basic))),
    );
    return new Uint8Array(response);
  };
}

/** The first Request's CertID (parts as raw TLVs) and the request nonce. */
function readRequest(der: Uint8Array): {
  certId: Uint8Array[]; hashOid: string; nameHash: Buffer; keyHash: Buffer; serial: string; nonce?: Uint8Array;
} {
  const outer = readWhole(der, TAG.SEQUENCE, 'OCSPRequest');
  const [tbs] = childrenOf(der, outer);
  const fields = childrenOf(der, tbs);
  const list = fields.find((f) => f.tag === TAG.SEQUENCE) as Tlv;
  const [request] = childrenOf(der, list);
  const [certIdTlv] = childrenOf(der, request);
  const parts = childrenOf(der, certIdTlv);
  const [alg] = childrenOf(der, parts[0]);
  let nonce: Uint8Array | undefined;
  const exts = fields.find((f) => f.tag === contextTag(2));
  if (exts) {
    const [seq] = childrenOf(der, exts);
    for (const ext of childrenOf(der, seq)) {
      const p = childrenOf(der, ext);
      if (readOid(der, p[0]) !== OID_OCSP.nonce) continue;
      const value = contentOf(der, p[p.length - 1]);
      nonce = contentOf(value, readWhole(value, TAG.OCTET_STRING, 'nonce'));
    }
  }
  return {
    certId: parts.map((t) => rawOf(der, t)),
    hashOid: readOid(der, alg) === OID_SHA256 ? OID_SHA256 : OID_SHA1,
    nameHash: Buffer.from(contentOf(der, parts[1])),
    keyHash: Buffer.from(contentOf(der, parts[2])),
    serial: normalizeSerialBytes(der, parts[3].contentStart, parts[3].end),
    nonce,
  };
}
