/**
 * Object identifiers of the JPKI certificate profile (公的個人認証サービス) and the few generic
 * X.509 ones the verifier checks.
 */

/** Arc of the JPKI certificate policies: `1.2.392.200149.8.5.1`. */
export const JPKI_POLICY_ARC = '1.2.392.200149.8.5.1';

/** Certificate policy of the signature certificate (署名用電子証明書). The only policy accepted. */
export const JPKI_SIGNATURE_POLICY = '1.2.392.200149.8.5.1.1';

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
  /** 氏名代替文字 — name with substitute characters for characters outside the card's set. */
  nameSubstitute: '1.2.392.200149.8.5.5.2',
  /** 性別 — gender, as the code written in the certificate. */
  gender: '1.2.392.200149.8.5.5.3',
  /** 生年月日 — date of birth as `EYYYYMMDD`: one era digit, then the Gregorian date. */
  dateOfBirth: '1.2.392.200149.8.5.5.4',
  /** 住所 — address (UTF8String). */
  address: '1.2.392.200149.8.5.5.5',
  /** 住所代替文字 — address with substitute characters. */
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
} as const;
