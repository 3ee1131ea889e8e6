import { exceptionFor } from '@tsunagu/common';
import { AdminErrorCodes } from '@tsunagu/contracts';

/** Errors of the administration screens (codes: libs/contracts admin.ts). */
export const AdminException = exceptionFor('AdminException', AdminErrorCodes);
export type AdminException = InstanceType<typeof AdminException>;
