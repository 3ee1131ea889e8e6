/**
 * Object identifiers of the JPKI certificate profile (公的個人認証サービス) and the few generic
 * X.509 ones the verifier checks.
 */

/** Arc of the JPKI certificate policies: `1.2.392.200149.8.5.1`. */
export const JPKI_POLICY_ARC = '1.2.392.200149.8.5.1';

/**
 * Arc of the signature-certificate policies (署名用電子証明書). Accepted: this OID itself and every
 * class under it (`…8.5.1.1.N`). Nothing else is a signature certificate.
 */
export const JPKI_SIGNATURE_POLICY = '1.2.392.200149.8.5.1.1';

/** The same arc, named as such. */
export const JPKI_SIGNATURE_POLICY_ARC = JPKI_SIGNATURE_POLICY;

/**
 * The policy real My Number card signature certificates carry: class 20 under the signature arc,
 * in a critical certificatePolicies extension with a CPS qualifier (J-LIS, 公的個人認証サービス
 * 証明書プロファイル仕様書, signature certificate profile; 署名用認証局運用規程 §1.2).
 */
export const JPKI_SIGNATURE_POLICY_CLASS20 = '1.2.392.200149.8.5.1.1.20';

/**
 * Arc of the user-authentication certificate policies (利用者証明用電子証明書). A certificate
 * carrying a policy under this arc is an authentication certificate and is never accepted as a
 * signature certificate, even if it also lists the signature policy.
 */
export const JPKI_AUTHENTICATION_POLICY_ARC = '1.2.392.200149.8.5.1.3';

/** Arc of the basic attributes carried as subjectAltName otherName: `1.2.392.200149.8.5.5`. */
export const JPKI_ATTRIBUTE_ARC = '1.2.392.200149.8.5.5';

/** otherName type-ids of the basic attributes (基本4情報 and their substitute-character forms). */
export const JPKI_ATTRIBUTE = {
  /** 氏名 — name (UTF8String). */
  name: '1.2.392.200149.8.5.5.1',
  /**
   * 氏名代替文字の使用位置情報 — one `0`/`1` per character of the name: `1` where the character is a
   * substitute character (代替文字) standing in for one outside the card's character set.
   */
  nameSubstitute: '1.2.392.200149.8.5.5.2',
  /** 性別 — gender, as the code written in the certificate. */
  gender: '1.2.392.200149.8.5.5.3',
  /** 生年月日 — date of birth as `EYYYYMMDD`: one era digit, then the Gregorian date. */
  dateOfBirth: '1.2.392.200149.8.5.5.4',
  /** 住所 — address (UTF8String). */
  address: '1.2.392.200149.8.5.5.5',
  /** 住所代替文字の使用位置情報 — one `0`/`1` per character of the address, like nameSubstitute. */
  addressSubstitute: '1.2.392.200149.8.5.5.6',
} as const;

/** rsaEncryption — the only subject public key algorithm accepted. */
export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

/** sha256WithRSAEncryption — the only certificate and CRL signature algorithm accepted. */
export const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

/** sha1WithRSAEncryption — recognised only to be refused (and used by the test CA). */
export const OID_SHA1_WITH_RSA = '1.2.840.113549.1.1.5';

/** X.509 v3 extension identifiers the verifier understands. */
export const OID_EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  reasonCode: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  issuingDistributionPoint: '2.5.29.28',
  /** id-pkix-ocsp-nocheck: a delegated OCSP responder certificate is not itself checked (RFC 6960 §4.2.2.2.1). */
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const;

/** id-kp-OCSPSigning: the extended key usage a delegated OCSP responder needs (RFC 6960 §4.2.2.2). */
export const OID_KP_OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

/** id-ad-ocsp: an authorityInfoAccess method naming the CA's OCSP responder (RFC 5280 §4.2.2.1). */
export const OID_AD_OCSP = '1.3.6.1.5.5.7.48.1';

/** OCSP object identifiers (RFC 6960, RFC 8954). */
export const OID_OCSP = {
  basic: '1.3.6.1.5.5.7.48.1.1',
  nonce: '1.3.6.1.5.5.7.48.1.2',
} as const;

/** Hash algorithms of an OCSP CertID. */
export const OID_SHA1 = '1.3.14.3.2.26';
export const OID_SHA256 = '2.16.840.1.101.3.4.2.1';

/** CRLReason (RFC 5280 §5.3.1). */
export const CRL_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;
export type CrlReason = keyof typeof CRL_REASONS;

/** The reason name of a CRLReason code; undefined for an unassigned value. */
export function crlReasonName(code: number): CrlReason | undefined {
  return (Object.keys(CRL_REASONS) as CrlReason[]).find((k) => CRL_REASONS[k] === code);
}
