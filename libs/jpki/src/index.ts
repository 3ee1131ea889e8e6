export { JpkiVerifier, JPKI_SIGNATURE_ALGORITHMS } from './jpki.verifier';
export type {
  JpkiSignatureAlgorithm, JpkiSignedChallenge, JpkiVerifiedCertificate, JpkiVerifierOptions,
} from './jpki.verifier';
export { CrlStore, CrlRevocationSource, RevocationList, DEFAULT_MAX_CRL_BYTES } from './crl.store';
export type { CrlInfo, CrlLoadOptions, CrlLoadResult, CrlRevocationSourceOptions, CrlStoreOptions, RevokedEntry } from './crl.store';
export { OcspClient } from './ocsp.client';
export type { OcspCertId, OcspClientOptions, OcspRequest, OcspTarget, OcspTransport } from './ocsp.client';
export { isSyncRevocationSource } from './revocation.source';
export type {
  CertificateIdentity, RevocationSource, RevocationState, RevocationStatus, SyncRevocationSource,
} from './revocation.source';
export { JpkiError, isJpkiError, JPKI_ERROR_CODES, JPKI_ERROR_MESSAGES, JPKI_ERROR_REASONS } from './jpki.error';
export type { JpkiErrorCode, JpkiErrorMessages, JpkiErrorReason } from './jpki.error';
export { parseJpkiDateOfBirth, substituteCharacterPositions } from './jpki-attributes.parser';
export type { JpkiBasicAttributes } from './jpki-attributes.parser';
export { DEFAULT_MAX_CERTIFICATE_BYTES } from './jpki-input.decoder';
export type { JpkiCertificateInput } from './jpki-input.decoder';
export * from './jpki.oids';
// Test PKI (in-memory, test and demo use only): exported here because the path alias maps only
// the package root.
export {
  generateTestCa, generateLargeCrl, importTestCertificate, issueTestCard, issueTestCrl, issueTestOcspResponder, TEST_RESIDENT_KINDS, JPKI_SIGNING_CA_NAME, JPKI_TEST_ROOT_CA_NAME,
  JPKI_TEST_FOREIGN_ROOT_NAME, TEST_DISTRIBUTION_POINTS, TEST_CPS_URI, distributionPointName,
} from './testing/test-ca';
export type {
  TestCa, TestCaOptions, TestCertificate, TestCrl, TestResidentCertificate, TestResidentKind, LargeCrlOptions,
  TestAttributeName, TestCardOptions, TestCrlEntry, TestDistributionPoint, TestRevocation,
} from './testing/test-ca';
export { createTestOcspResponder } from './testing/test-ocsp.responder';
export type { TestOcspOptions, TestOcspResponderParams } from './testing/test-ocsp.responder';
