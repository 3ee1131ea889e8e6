import { exceptionFor } from '@tsunagu/common';
import { ResidentErrorCodes } from '@tsunagu/contracts';

/** Errors of resident registration and sign-in (codes: libs/contracts residents.ts). */
export const ResidentException = exceptionFor('ResidentException', ResidentErrorCodes);
export type ResidentException = InstanceType<typeof ResidentException>;
