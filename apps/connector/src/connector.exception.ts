import { exceptionFor } from '@tsunagu/common';
import {
  CONNECTOR_ERROR_MESSAGES, type ConnectorErrorCode, ConnectorErrorCodes,
} from '@tsunagu/contracts';

/** Errors of the connector (codes and messages: libs/contracts connector-errors.ts). */
export const ConnectorException = exceptionFor('ConnectorException', ConnectorErrorCodes, CONNECTOR_ERROR_MESSAGES);
export type ConnectorException = InstanceType<typeof ConnectorException>;

/** A connector exception with the code's standard bilingual message. */
export function connectorError(code: ConnectorErrorCode, details?: { field: string; problem: string }[]): ConnectorException {
  return new ConnectorException(code, details);
}
