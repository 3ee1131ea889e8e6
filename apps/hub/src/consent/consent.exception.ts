import { exceptionFor } from '@tsunagu/common';
import { ConsentErrorCodes } from '@tsunagu/contracts';

/** Errors of data uses, consents and receipts (codes: libs/contracts consent.ts). */
export const ConsentException = exceptionFor('ConsentException', ConsentErrorCodes);
export type ConsentException = InstanceType<typeof ConsentException>;
