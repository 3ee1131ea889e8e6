/**
 * Why a request failed, independent of transport. Each error code maps to exactly one reason;
 * the HTTP edge turns reasons into statuses (see libs/common `DomainExceptionFilter`).
 */
export enum ErrorReason {
  BadRequest = 'BAD_REQUEST',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  Unavailable = 'UNAVAILABLE',
}

/**
 * The JSON body of every error a Tsunagu API returns.
 * `code` is stable and machine-readable; `message` is Japanese first, `messageEn` its English.
 */
export interface ErrorBody {
  error: {
    /** A stable, snake_case code from one of the published code lists. */
    code: string;
    /** Human-readable explanation in Japanese. */
    message: string;
    /** The same explanation in English. */
    messageEn: string;
    /** Field-level problems for `invalid_request`. */
    details?: { field: string; problem: string }[];
    /** Echo of the `x-correlation-id` response header, to quote to support. */
    correlationId?: string;
  };
}

/** Error codes shared by every API (validation and framework-level failures). */
export const CommonErrorCodes = {
  invalid_request: ErrorReason.BadRequest,
  unauthorized: ErrorReason.Unauthorized,
  forbidden: ErrorReason.Forbidden,
  not_found: ErrorReason.NotFound,
  payload_too_large: ErrorReason.BadRequest,
  internal_error: ErrorReason.Unavailable,
} as const;
export type CommonErrorCode = keyof typeof CommonErrorCodes;
