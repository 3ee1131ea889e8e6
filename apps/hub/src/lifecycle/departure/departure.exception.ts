import { exceptionFor } from '@tsunagu/common';
import { DEPARTURE_ERROR_MESSAGES, DepartureErrorCodes } from '@tsunagu/contracts';

/** Errors of leaving, deceased residents and erasure certificates (codes and messages: libs/contracts departure.ts). */
export const DepartureException = exceptionFor('DepartureException', DepartureErrorCodes, DEPARTURE_ERROR_MESSAGES);
export type DepartureException = InstanceType<typeof DepartureException>;
