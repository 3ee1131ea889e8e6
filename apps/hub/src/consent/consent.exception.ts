import { exceptionFor } from '@tsunagu/common';
import { CONSENT_ERROR_MESSAGES, ConsentErrorCodes } from '@tsunagu/contracts';

/** Errors of data uses, consents and receipts (codes and messages: libs/contracts consent.ts). */
export const ConsentException = exceptionFor('ConsentException', ConsentErrorCodes, CONSENT_ERROR_MESSAGES);
export type ConsentException = InstanceType<typeof ConsentException>;
