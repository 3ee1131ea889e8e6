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
  /**
   * The login ID cannot be used (another resident has it): the same status as every other refusal
   * of the form, and registration is throttled per address (docs/security.md).
   */
  login_id_unavailable: ErrorReason.BadRequest,
  /** Login ID or password is wrong (never says which). */
  invalid_credentials: ErrorReason.Unauthorized,
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
  login_id_unavailable: { ja: 'このログインIDは使えません。別のIDを指定してください。', en: 'This login ID cannot be used. Please choose another.' },
  invalid_credentials: { ja: 'ログインIDまたはパスワードが正しくありません。', en: 'The login ID or password is incorrect.' },
  weak_password: { ja: 'パスワードにログインIDを含めることはできません。', en: 'The password must not contain the login ID.' },
  resident_not_found: { ja: '利用者が見つかりません。', en: 'The resident was not found.' },
  interaction_csrf_invalid: {
    ja: 'この送信は、このログイン画面からのものと確認できませんでした。ご利用のサービスの画面から、もう一度ログインしてください。',
    en: 'This form could not be verified as sent from this sign-in page. Please go back to the service and sign in again.',
  },
};
