import { exceptionFor } from '@tsunagu/common';
import { TENANT_EXIT_ERROR_MESSAGES, TenantExitErrorCodes } from '@tsunagu/contracts';

/** Errors of a tenant's export, deletion and erasure certificate (codes and messages: libs/contracts tenant-archive.ts). */
export const TenantExitException = exceptionFor('TenantExitException', TenantExitErrorCodes, TENANT_EXIT_ERROR_MESSAGES);
export type TenantExitException = InstanceType<typeof TenantExitException>;
