import { exceptionFor } from '@tsunagu/common';
import { LinkErrorCodes } from '@tsunagu/contracts';

/** Errors of ID linking (codes: libs/contracts links.ts). */
export const LinkException = exceptionFor('LinkException', LinkErrorCodes);
export type LinkException = InstanceType<typeof LinkException>;
