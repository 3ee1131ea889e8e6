import { exceptionFor } from '@tsunagu/common';
import { ADMIN_ERROR_MESSAGES, AdminErrorCodes } from '@tsunagu/contracts';

/** Errors of the administration screens (codes and messages: libs/contracts admin.ts). */
export const AdminException = exceptionFor('AdminException', AdminErrorCodes, ADMIN_ERROR_MESSAGES);
export type AdminException = InstanceType<typeof AdminException>;
