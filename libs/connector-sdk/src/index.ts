/**
 * `@tsunagu/connector-sdk`: what a service vendor installs to call its own Tsunagu connector
 * (README.md of this package; docs/connector.md §4).
 */
export * from './client';
export * from './errors';
export * from './openapi';
export type {
  ConnectorErrorCode, ConnectorHealth, DatePeriod, ErrorBody, SdkDataRequest, SdkDataResponse,
} from '@tsunagu/contracts';
export { CONNECTOR_ERROR_CODES, CONNECTOR_ERROR_MESSAGES, ConnectorErrorCodes, ErrorReason, isConnectorErrorCode, SDK_PATH } from '@tsunagu/contracts';
