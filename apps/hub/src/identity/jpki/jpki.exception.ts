import { exceptionFor } from '@tsunagu/common';
import { IDENTITY_PROOFING_ERROR_MESSAGES, IdentityProofingErrorCodes } from '@tsunagu/contracts';

/** Errors of identity proofing (codes and messages: libs/contracts identity-proofing.ts). */
export const JpkiException = exceptionFor('JpkiException', IdentityProofingErrorCodes, IDENTITY_PROOFING_ERROR_MESSAGES);
export type JpkiException = InstanceType<typeof JpkiException>;
