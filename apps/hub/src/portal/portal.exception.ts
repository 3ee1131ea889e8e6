import { exceptionFor } from '@tsunagu/common';
import { PortalErrorCodes } from '@tsunagu/contracts';

/** Errors of the portal's session and CSRF checks (codes: libs/contracts consent-portal.ts). */
export const PortalException = exceptionFor('PortalException', PortalErrorCodes);
export type PortalException = InstanceType<typeof PortalException>;
