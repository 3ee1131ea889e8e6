import { exceptionFor } from '@tsunagu/common';
import { RECOVERY_ERROR_MESSAGES, RecoveryErrorCodes } from '@tsunagu/contracts';

/** Errors of password reset and e-mail verification (codes and messages: libs/contracts recovery.ts). */
export const RecoveryException = exceptionFor('RecoveryException', RecoveryErrorCodes, RECOVERY_ERROR_MESSAGES);
export type RecoveryException = InstanceType<typeof RecoveryException>;
