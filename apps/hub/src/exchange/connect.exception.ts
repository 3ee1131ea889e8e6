import { exceptionFor } from '@tsunagu/common';
import { CONNECTOR_ERROR_MESSAGES, type ConnectorErrorCode, ConnectorErrorCodes } from '@tsunagu/contracts';

/** Errors of the hub's connector API: the closed code set of docs/connector.md §6. */
export const ConnectException = exceptionFor('ConnectException', ConnectorErrorCodes, CONNECTOR_ERROR_MESSAGES);
export type ConnectException = InstanceType<typeof ConnectException>;

/** The exception for `code` with its standard bilingual message. */
export function connectError(code: ConnectorErrorCode, details?: { field: string; problem: string }[]): ConnectException {
  return new ConnectException(code, details);
}
