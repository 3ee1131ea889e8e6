import { ErrorReason } from './errors';

/**
 * Codes of the hub's check of where a state-changing browser request comes from: every form and
 * script call of the sign-in screens, the portal and the back office must come from the hub's own
 * public origin (`Origin`, `Sec-Fetch-Site`). The demo services answer the same code.
 */
export const RequestOriginErrorCodes = {
  /** The browser says the request was sent from another site. */
  cross_site_request: ErrorReason.Forbidden,
} as const;
/** One code of {@link RequestOriginErrorCodes}. */
export type RequestOriginErrorCode = keyof typeof RequestOriginErrorCodes;

/** The message of each code, Japanese first. */
export const REQUEST_ORIGIN_ERROR_MESSAGES: Record<RequestOriginErrorCode, { ja: string; en: string }> = {
  cross_site_request: {
    ja: '他のサイトから送信された操作は受け付けられません。このサイトの画面を開き直してから、もう一度操作してください。',
    en: 'A request sent from another site cannot be accepted. Please open this site\'s page again and retry.',
  },
};
