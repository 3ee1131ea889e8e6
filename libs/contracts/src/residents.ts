import type { JSONSchemaType } from 'ajv';
import { ErrorReason } from './errors';
import { TEXT_LINE_FORMAT } from './input';

/** Resident registration form (hub screen `/register`, or the JSON API for a future app). */
export interface RegisterResidentRequest {
  /** 4–64 characters: letters, digits, dot, underscore, hyphen, @. Case-insensitive. */
  loginId: string;
  /** At least 10 characters. */
  password: string;
  /** How the resident wants to be addressed (shown to services only under the `profile` scope). */
  displayName: string;
}

/** JSON Schema of {@link RegisterResidentRequest}. */
export const registerResidentRequestSchema: JSONSchemaType<RegisterResidentRequest> = {
  $id: 'https://tsunagu.example/schemas/register-resident-request.json',
  type: 'object',
  properties: {
    loginId: { type: 'string', minLength: 4, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' },
    password: { type: 'string', minLength: 10, maxLength: 256 },
    displayName: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^\\u0000-\\u001f<>]+$', format: TEXT_LINE_FORMAT },
  },
  required: ['loginId', 'password', 'displayName'],
  additionalProperties: false,
};

/** Sign-in form posted to the hub's login screen. */
export interface SignInRequest {
  loginId: string;
  password: string;
}

export const signInRequestSchema: JSONSchemaType<SignInRequest> = {
  $id: 'https://tsunagu.example/schemas/sign-in-request.json',
  type: 'object',
  properties: {
    loginId: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 256 },
  },
  required: ['loginId', 'password'],
  additionalProperties: false,
};

/** Codes of resident registration and sign-in. */
export const ResidentErrorCodes = {
  /** Another resident already uses this login ID. */
  login_id_taken: ErrorReason.Conflict,
  /** Login ID or password is wrong (never says which). */
  invalid_credentials: ErrorReason.Unauthorized,
  /** Too many failed sign-ins; try again after the lockout period. */
  account_locked: ErrorReason.TooManyRequests,
  /** The password is too weak (too short, or the same as the login ID). */
  weak_password: ErrorReason.BadRequest,
  /** No resident with this ID. */
  resident_not_found: ErrorReason.NotFound,
  /** A sign-in, consent or registration form was posted without its interaction's token (or with another's). */
  interaction_csrf_invalid: ErrorReason.Forbidden,
} as const;
/** One code of {@link ResidentErrorCodes}. */
export type ResidentErrorCode = keyof typeof ResidentErrorCodes;

/**
 * The message of each code, Japanese first: the words the hub answers with and a resident reads.
 * They never name the resident or repeat what was typed.
 */
export const RESIDENT_ERROR_MESSAGES: Record<ResidentErrorCode, { ja: string; en: string }> = {
  login_id_taken: { ja: 'このログインIDは既に使われています。別のIDを指定してください。', en: 'This login ID is already taken. Please choose another.' },
  invalid_credentials: { ja: 'ログインIDまたはパスワードが正しくありません。', en: 'The login ID or password is incorrect.' },
  account_locked: {
    ja: 'ログインに続けて失敗したため、アカウントを一時的にロックしました。しばらくしてからもう一度お試しください。',
    en: 'Too many failed sign-ins. The account is locked for a while; please try again later.',
  },
  weak_password: { ja: 'パスワードにログインIDを含めることはできません。', en: 'The password must not contain the login ID.' },
  resident_not_found: { ja: '利用者が見つかりません。', en: 'The resident was not found.' },
  interaction_csrf_invalid: {
    ja: 'この送信は、このログイン画面からのものと確認できませんでした。ご利用のサービスの画面から、もう一度ログインしてください。',
    en: 'This form could not be verified as sent from this sign-in page. Please go back to the service and sign in again.',
  },
};

/**
 * The messages that carry a value the resident needs (how long the lock lasts). The hub answers
 * with these instead of the plain text of the same code in {@link RESIDENT_ERROR_MESSAGES}.
 */
export const RESIDENT_ERROR_MESSAGES_WITH_VALUE = {
  /** `minutes`: the lockout period. */
  account_locked: (minutes: number) => ({
    ja: `ログインに続けて失敗したため、アカウントを一時的にロックしました。${minutes}分後にもう一度お試しください。`,
    en: `Too many failed sign-ins. The account is locked for ${minutes} minutes.`,
  }),
} satisfies Partial<Record<ResidentErrorCode, (value: number) => { ja: string; en: string }>>;
