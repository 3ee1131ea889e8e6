import { type ConnectorErrorCode, ConnectorErrorCodes, ErrorReason, isConnectorErrorCode } from '@tsunagu/contracts';

/**
 * The codes the SDK adds to the connector's: `connector_unreachable` (the connector itself did not
 * answer), `unexpected_response` (it answered something that is not the API) and `internal_error`
 * (the connector failed; see its logs).
 */
export const SDK_ONLY_ERROR_CODES = ['connector_unreachable', 'unexpected_response', 'internal_error'] as const;

/** Every code a {@link ConnectorSdkError} can carry: the connector's published codes and {@link SDK_ONLY_ERROR_CODES}. */
export type SdkErrorCode = ConnectorErrorCode | (typeof SDK_ONLY_ERROR_CODES)[number];

/** Codes worth retrying later (the hub, the provider or the connector was unavailable). */
export function isRetryable(code: SdkErrorCode): boolean {
  if (code === 'connector_unreachable' || code === 'internal_error') return true;
  return isConnectorErrorCode(code) && ConnectorErrorCodes[code] === ErrorReason.Unavailable;
}

/** The one error type the SDK throws. Switch on `code`; show `messageJa` to staff if you must show something. */
export class ConnectorSdkError extends Error {
  constructor(
    readonly code: SdkErrorCode,
    /** HTTP status of the connector's answer (0 when it did not answer). */
    readonly status: number,
    readonly messageJa: string,
    readonly messageEn: string,
    readonly details: { field: string; problem: string }[] = [],
    /** Quote it to the connector's operator: every log line of the request carries it. */
    readonly correlationId?: string,
  ) {
    super(`${code}: ${messageEn}`);
    this.name = 'ConnectorSdkError';
  }

  /** True when trying again later may succeed. */
  get retryable(): boolean {
    return isRetryable(this.code);
  }
}
