import { ErrorReason } from './errors';

/**
 * The code every throttled hub endpoint answers with (HTTP 429 and `Retry-After`): sign-in,
 * registration, the OIDC token endpoint, identity proofing and the connector API. The answer is
 * the same whether the login ID exists or not (docs/security.md "Throttling and enumeration").
 */
export const ThrottleErrorCodes = {
  /** Too many attempts from this address or for this login ID or client: wait `Retry-After` seconds. */
  too_many_attempts: ErrorReason.TooManyRequests,
} as const;
/** One code of {@link ThrottleErrorCodes}. */
export type ThrottleErrorCode = keyof typeof ThrottleErrorCodes;

export const THROTTLE_ERROR_MESSAGES: Record<ThrottleErrorCode, { ja: string; en: string }> = {
  too_many_attempts: {
    ja: '試行回数が多すぎます。しばらく時間をおいてから、もう一度お試しください。',
    en: 'Too many attempts. Please wait a while and try again.',
  },
};

/** The messages with the wait in them, used instead of {@link THROTTLE_ERROR_MESSAGES} when it is known. */
export const THROTTLE_ERROR_MESSAGES_WITH_VALUE = {
  /** `seconds`: how long to wait (the `Retry-After` header); said in whole minutes from 60 s on. */
  too_many_attempts: (seconds: number) => {
    const minutes = Math.ceil(seconds / 60);
    return seconds < 60
      ? { ja: `試行回数が多すぎます。${seconds}秒後にもう一度お試しください。`, en: `Too many attempts. Please try again in ${seconds} seconds.` }
      : { ja: `試行回数が多すぎます。${minutes}分後にもう一度お試しください。`, en: `Too many attempts. Please try again in ${minutes} minutes.` };
  },
} satisfies Record<ThrottleErrorCode, (value: number) => { ja: string; en: string }>;
