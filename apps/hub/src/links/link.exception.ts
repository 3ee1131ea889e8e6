import { exceptionFor } from '@tsunagu/common';
import { LINK_ERROR_MESSAGES, LinkErrorCodes } from '@tsunagu/contracts';

/** Errors of ID linking (codes and messages: libs/contracts links.ts). */
export const LinkException = exceptionFor('LinkException', LinkErrorCodes, LINK_ERROR_MESSAGES);
export type LinkException = InstanceType<typeof LinkException>;
