import { exceptionFor } from '@tsunagu/common';
import { PORTAL_ERROR_MESSAGES, PortalErrorCodes } from '@tsunagu/contracts';

/** Errors of the portal's session and CSRF checks (codes and messages: libs/contracts consent-portal.ts). */
export const PortalException = exceptionFor('PortalException', PortalErrorCodes, PORTAL_ERROR_MESSAGES);
export type PortalException = InstanceType<typeof PortalException>;
