import { exceptionFor } from '@tsunagu/common';
import { SESSION_ERROR_MESSAGES, SessionErrorCodes } from '@tsunagu/contracts';

/** Errors of listing and ending a resident's sessions (codes and messages: libs/contracts recovery.ts). */
export const SessionException = exceptionFor('SessionException', SessionErrorCodes, SESSION_ERROR_MESSAGES);
export type SessionException = InstanceType<typeof SessionException>;
