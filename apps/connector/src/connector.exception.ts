import { exceptionFor } from '@tsunagu/common';
import {
  CONNECTOR_ERROR_MESSAGES, type ConnectorErrorCode, ConnectorErrorCodes,
} from '@tsunagu/contracts';

/** Errors of the connector (codes: libs/contracts connector-errors.ts). */
export const ConnectorException = exceptionFor('ConnectorException', ConnectorErrorCodes);
export type ConnectorException = InstanceType<typeof ConnectorException>;

/** A connector exception with the code's standard bilingual message. */
export function connectorError(code: ConnectorErrorCode, details?: { field: string; problem: string }[]): ConnectorException {
  return new ConnectorException(code, CONNECTOR_ERROR_MESSAGES[code], details);
}
