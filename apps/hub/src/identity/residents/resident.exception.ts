import { exceptionFor } from '@tsunagu/common';
import { RESIDENT_ERROR_MESSAGES, ResidentErrorCodes } from '@tsunagu/contracts';

/** Errors of resident registration and sign-in (codes and messages: libs/contracts residents.ts). */
export const ResidentException = exceptionFor('ResidentException', ResidentErrorCodes, RESIDENT_ERROR_MESSAGES);
export type ResidentException = InstanceType<typeof ResidentException>;
