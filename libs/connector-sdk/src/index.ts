/**
 * `@tsunagu/connector-sdk`: what a service vendor installs to call its own Tsunagu connector
 * (README.md of this package; docs/connector.md §4).
 */
export * from './client';
export * from './errors';
export * from './openapi';
export * from './erasure';
export type {
  ConnectorErrorCode, ConnectorHealth, DatePeriod, AnyErasureCallbackRequest, ErasedCount, ErasureCallbackAnswer, ErasureCallbackRequest, ErasureReason, ErasureText, ErrorBody, SdkDataRequest, TenantErasureCallbackRequest,
  SdkDataResponse,
} from '@tsunagu/contracts';
export { CONNECTOR_ERROR_CODES, CONNECTOR_ERROR_MESSAGES, ConnectorErrorCodes, ERASURE_CALLBACK_PATH, ErrorReason, isConnectorErrorCode, SDK_PATH } from '@tsunagu/contracts';
