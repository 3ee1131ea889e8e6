/**
 * `@tsunagu/connector-sdk`: what a service vendor installs to call its own Tsunagu connector.
 * (The path alias is added to tsconfig by the lead; until then import this file by relative path.)
 */
export * from './client';
export * from './errors';
export * from './openapi';
export type {
  ConnectorErrorCode, ConnectorHealth, DatePeriod, SdkDataRequest, SdkDataResponse,
} from '../../contracts/src/connector-index';
export { CONNECTOR_ERROR_CODES, CONNECTOR_ERROR_MESSAGES, ConnectorErrorCodes } from '../../contracts/src/connector-index';
