import { exceptionFor } from '@tsunagu/common';
import { ErrorReason } from '@tsunagu/contracts';

/** Failures of the shared demo machinery (sign-in with the hub, forms, sessions). */
export const DemoErrorCodes = {
  /** A form was posted without this session's CSRF token. */
  csrf_invalid: ErrorReason.Forbidden,
  /** A form was posted from another site (libs/contracts request-origin.ts). */
  cross_site_request: ErrorReason.Forbidden,
  /** The sign-in round trip cannot be completed (no pending login, state mismatch, bad token). */
  login_failed: ErrorReason.BadRequest,
  /** The resident cancelled or the hub refused the sign-in. */
  login_cancelled: ErrorReason.Unauthorized,
  /** The hub cannot be reached or answered something unusable. */
  hub_unavailable: ErrorReason.Unavailable,
  /** The hub says the resident is linked to an account this service does not know. */
  unknown_linked_account: ErrorReason.Conflict,
  /** The signed-in member's data is missing. */
  account_not_found: ErrorReason.NotFound,
  /** Internal API: a path or query parameter is malformed (details list them). */
  invalid_request: ErrorReason.BadRequest,
  /** Internal API: the service token is missing or wrong. */
  service_unauthorized: ErrorReason.Unauthorized,
  /** Internal API: no service token is configured and the caller is not on this machine. */
  service_forbidden: ErrorReason.Forbidden,
  /** Internal API: no member / user with this ID. */
  record_not_found: ErrorReason.NotFound,
} as const;
export type DemoErrorCode = keyof typeof DemoErrorCodes;

export const DemoException = exceptionFor<DemoErrorCode>('DemoException', DemoErrorCodes);
export type DemoException = InstanceType<typeof DemoException>;
