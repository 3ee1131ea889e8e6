export { JpkiVerifier, JPKI_SIGNATURE_ALGORITHMS } from './jpki.verifier';
export type {
  JpkiSignatureAlgorithm, JpkiSignedChallenge, JpkiVerifiedCertificate, JpkiVerifierOptions,
} from './jpki.verifier';
export { CrlStore, RevocationList, DEFAULT_MAX_CRL_BYTES } from './crl.store';
export type { CrlInfo, CrlLoadResult, CrlStoreOptions } from './crl.store';
export { JpkiError, isJpkiError, JPKI_ERROR_CODES, JPKI_ERROR_MESSAGES, JPKI_ERROR_REASONS } from './jpki.error';
export type { JpkiErrorCode, JpkiErrorMessages, JpkiErrorReason } from './jpki.error';
export { parseJpkiDateOfBirth } from './jpki-attributes.parser';
export type { JpkiBasicAttributes } from './jpki-attributes.parser';
export { DEFAULT_MAX_CERTIFICATE_BYTES } from './jpki-input.decoder';
export type { JpkiCertificateInput } from './jpki-input.decoder';
export * from './jpki.oids';
// Test PKI (in-memory, test and demo use only): exported here because the path alias maps only
// the package root.
export {
  generateTestCa, generateLargeCrl, importTestCertificate, issueTestCard, issueTestCrl, TEST_RESIDENT_KINDS, JPKI_SIGNING_CA_NAME, JPKI_TEST_ROOT_CA_NAME,
  JPKI_TEST_FOREIGN_ROOT_NAME,
} from './testing/test-ca';
export type {
  TestCa, TestCaOptions, TestCertificate, TestCrl, TestResidentCertificate, TestResidentKind, LargeCrlOptions,
  TestAttributeName,
} from './testing/test-ca';
// Issue 15 part B (hub-side life-long re-check): reasons of CRL entries, and a test CRL with them.
export { readCrlEntryReasons, CRL_REASONS } from './crl-reasons';
export type { CrlReasonName } from './crl-reasons';
export { issueTestCrlWithReasons } from './testing/test-crl-reasons';
