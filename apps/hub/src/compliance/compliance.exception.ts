import { exceptionFor } from '@tsunagu/common';
import { COMPLIANCE_ERROR_MESSAGES, ComplianceErrorCodes } from '@tsunagu/contracts';

/** Errors of the compliance records (codes and messages: libs/contracts compliance.ts). */
export const ComplianceException = exceptionFor('ComplianceException', ComplianceErrorCodes, COMPLIANCE_ERROR_MESSAGES);
export type ComplianceException = InstanceType<typeof ComplianceException>;
