import { exceptionFor } from '@tsunagu/common';
import { IdentityProofingErrorCodes } from '@tsunagu/contracts';

/** Errors of identity proofing (codes: libs/contracts identity-proofing.ts). */
export const JpkiException = exceptionFor('JpkiException', IdentityProofingErrorCodes);
export type JpkiException = InstanceType<typeof JpkiException>;
