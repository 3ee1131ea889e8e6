/*
 * The forms of password reset, e-mail and sessions (application/x-www-form-urlencoded). Unknown
 * fields are rejected. A token is checked for its shape here only loosely (the service refuses a
 * malformed one with `recovery_link_invalid`, the words a resident should read).
 */
const loginId = { type: 'string', minLength: 1, maxLength: 64 } as const;
const email = { type: 'string', format: 'email', minLength: 3, maxLength: 254 } as const;
const token = { type: 'string', minLength: 1, maxLength: 128 } as const;
const csrf = { type: 'string', minLength: 1, maxLength: 128 } as const;
const password = { type: 'string', minLength: 10, maxLength: 256 } as const;

export interface EmailResetForm { loginId: string; email: string }
export const emailResetFormSchema = {
  type: 'object', properties: { loginId, email }, required: ['loginId', 'email'], additionalProperties: false,
} as const;

export interface CardResetForm { loginId: string }
export const cardResetFormSchema = {
  type: 'object', properties: { loginId }, required: ['loginId'], additionalProperties: false,
} as const;

export interface TestCardForm { challengeId: string }
export const testCardFormSchema = {
  type: 'object', properties: { challengeId: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['challengeId'], additionalProperties: false,
} as const;

export interface NewPasswordForm { token: string; loginId: string; password: string; passwordConfirm: string }
export const newPasswordFormSchema = {
  type: 'object', properties: { token, loginId, password, passwordConfirm: password }, required: ['token', 'loginId', 'password', 'passwordConfirm'], additionalProperties: false,
} as const;

export interface TokenForm { token: string }
export const tokenFormSchema = {
  type: 'object', properties: { token }, required: ['token'], additionalProperties: false,
} as const;

export interface EmailForm { csrf: string; email: string }
export const emailFormSchema = {
  type: 'object', properties: { csrf, email }, required: ['csrf', 'email'], additionalProperties: false,
} as const;
