import { ErrorReason } from './errors';

/**
 * Errors of the edge check every request passes before routing (path, query and body): text that
 * is not well-formed Unicode or holds control characters is refused as `invalid_request`.
 */
export const InputErrorCodes = {
  invalid_request: ErrorReason.BadRequest,
} as const;
/** One code of {@link InputErrorCodes}. */
export type InputErrorCode = keyof typeof InputErrorCodes;

/** The message of each code, Japanese first. */
export const INPUT_ERROR_MESSAGES: Record<InputErrorCode, { ja: string; en: string }> = {
  invalid_request: {
    ja: '使えない文字（制御文字や壊れた文字）が含まれています。入力を確かめて、もう一度お試しください。',
    en: 'The request contains characters that are not allowed (control characters or broken text). Check the input and try again.',
  },
};

/**
 * JSON Schema formats of the shared validator (libs/common `schemaValidator`) for required text:
 * `text-line` is one line that is not blank; `text-block` may span lines (a text area) and is not blank.
 */
export const TEXT_LINE_FORMAT = 'text-line';
export const TEXT_BLOCK_FORMAT = 'text-block';
/**
 * As {@link TEXT_LINE_FORMAT} and {@link TEXT_BLOCK_FORMAT}, and without markup: no `<` or `>`.
 * For texts the platform shows to residents (names, purposes, descriptions), which are plain words
 * and must never carry HTML, even escaped.
 */
export const PLAIN_LINE_FORMAT = 'plain-line';
export const PLAIN_BLOCK_FORMAT = 'plain-block';
