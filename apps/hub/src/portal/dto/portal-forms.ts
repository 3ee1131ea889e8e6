import { ITEM_CODE_PATTERN } from '@tsunagu/contracts';

/**
 * The portal's HTML forms (application/x-www-form-urlencoded). A repeated field arrives as an
 * array, a single one as a string. Unknown fields are rejected, as on the JSON API.
 */
export interface ConsentForm {
  csrf: string;
  items?: string | string[];
  expectedVersion?: string;
}

const csrf = { type: 'string', minLength: 1, maxLength: 128 } as const;
const expectedVersion = { type: 'string', pattern: '^[0-9]{1,7}$' } as const;
const item = { type: 'string', maxLength: 128, pattern: ITEM_CODE_PATTERN } as const;

export const consentFormSchema = {
  type: 'object',
  properties: { csrf, expectedVersion, items: { anyOf: [item, { type: 'array', maxItems: 64, items: item }] } },
  required: ['csrf'],
  additionalProperties: false,
} as const;

export interface WithdrawForm {
  csrf: string;
  expectedVersion?: string;
}

export const withdrawFormSchema = {
  type: 'object', properties: { csrf, expectedVersion }, required: ['csrf'], additionalProperties: false,
} as const;

/** Forms that carry nothing but the CSRF token (decline, unlink). */
export const csrfOnlyFormSchema = {
  type: 'object', properties: { csrf }, required: ['csrf'], additionalProperties: false,
} as const;

/** `GET /api/v1/portal/provisions` query. */
export interface ProvisionsQuery {
  limit?: string;
  before?: string;
}

export const provisionsQuerySchema = {
  type: 'object',
  properties: { limit: { type: 'string', pattern: '^[0-9]{1,3}$' }, before: { type: 'string', format: 'date-time' } },
  additionalProperties: false,
} as const;

export function listOf(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
