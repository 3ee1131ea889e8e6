import type { CrlReason } from './jpki.oids';

/**
 * What is needed to ask whether a certificate is revoked — the least a relying party keeps to
 * re-check a verified resident later (the hub keeps it sealed): no certificate, no attribute.
 */
export interface CertificateIdentity {
  /** Issuer DN, as JpkiVerifiedCertificate.issuer. */
  readonly issuer: string;
  /**
   * SHA-256 (hex) of the issuing CA's SubjectPublicKeyInfo: tells the root generations apart,
   * which share one DN during a key change. Absent: any configured CA with the DN.
   */
  readonly issuerSpkiSha256?: string;
  /** Serial number, hex (case, colons and leading zero octets ignored). */
  readonly serialNumber: string;
  /**
   * The certificate's CRL distribution point names in canonical form
   * (JpkiVerifiedCertificate.crlDistributionPoints, e.g. `dirName:C=JP, O=JPKI, …`). Needed to
   * pick the partition of a partitioned CRL; absent: only a full CRL can answer.
   */
  readonly crlDistributionPoints?: readonly string[];
  /** The certificate is a CA certificate (an ARL answers for it). Default false. */
  readonly isCa?: boolean;
  /**
   * The OCSP responders the certificate names (authorityInfoAccess id-ad-ocsp, http(s) only;
   * JpkiVerifiedCertificate.ocspUrls). An OCSP transport asks the first unless configured to
   * use its own responder; absent: the configured one.
   */
  readonly ocspUrls?: readonly string[];
}

export type RevocationState = 'good' | 'revoked' | 'unknown';

/** One answer about one certificate, whatever the source (CRL, OCSP, a platform operator's API). */
export interface RevocationStatus {
  readonly status: RevocationState;
  /** CRLReason of a revoked certificate, when the source says (affiliationChanged: name or address changed). */
  readonly reason?: CrlReason;
  readonly revokedAt?: Date;
  /** When the source's information was current (CRL thisUpdate, OCSP thisUpdate). */
  readonly thisUpdate: Date;
  /** When newer information will be available; the answer must not be used after it. */
  readonly nextUpdate?: Date;
  /** `crl`, `ocsp`, or the name another implementation gives itself. */
  readonly source: string;
}

/**
 * A source of revocation status: the CRL store, the OCSP client, or a platform operator's
 * (署名検証者) service. Contract, for every implementation:
 *
 * - it answers only what it has verified (CRL or response signature, issuer, freshness at `at`);
 * - it throws a JpkiError (`jpki_crl_*`, `jpki_ocsp_*`) when it cannot answer: fail closed,
 *   never `good` by default;
 * - `unknown` means the authority does not know the certificate; the verifier refuses it
 *   (`jpki_ocsp_status_unknown`).
 */
export interface RevocationSource {
  status(certificate: CertificateIdentity, at: Date): Promise<RevocationStatus>;
}

/** A source that can also answer without a promise (the CRL store): the verifier's hot path uses it. */
export interface SyncRevocationSource extends RevocationSource {
  statusSync(certificate: CertificateIdentity, at: Date): RevocationStatus;
}

export function isSyncRevocationSource(source: RevocationSource): source is SyncRevocationSource {
  return typeof (source as Partial<SyncRevocationSource>).statusSync === 'function';
}
