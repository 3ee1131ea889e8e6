import { ErrorReason } from './errors';

/**
 * Leaving the platform (退会) and erasure on a deceased resident's behalf (死者情報), docs/erasure.md:
 * the error codes of the portal's leaving flow, the system admin's deceased form and the
 * certificate look-ups, and the forms they take.
 */
export const DepartureErrorCodes = {
  /** The resident has already left (or was recorded as deceased): the departure is not repeated. */
  already_departed: ErrorReason.Conflict,
  /** The confirmation box of the irreversible step was not ticked. */
  departure_not_confirmed: ErrorReason.BadRequest,
  /** The resident's consents changed while the departure was being written, again and again: try once more. */
  departure_conflict: ErrorReason.Conflict,
  /** No resident has this common ID. */
  departure_resident_not_found: ErrorReason.NotFound,
  /** A field of the deceased form is empty, holds markup, or the date is not a past date (YYYY-MM-DD). */
  departure_request_invalid: ErrorReason.BadRequest,
  /** No erasure certificate has this ID (or not one the admin's tenant is named in). */
  certificate_not_found: ErrorReason.NotFound,
  /** The certificate is not issued yet: the connectors' acknowledgements are still awaited. */
  certificate_pending: ErrorReason.Conflict,
} as const;
/** One code of {@link DepartureErrorCodes}. */
export type DepartureErrorCode = keyof typeof DepartureErrorCodes;

/** The message of each code, Japanese first. */
export const DEPARTURE_ERROR_MESSAGES: Record<DepartureErrorCode, { ja: string; en: string }> = {
  already_departed: { ja: 'この利用者はすでに退会の手続きを終えています。', en: 'This account has already left the platform.' },
  departure_not_confirmed: {
    ja: '退会すると元に戻せません。確認の欄にチェックを入れてから、もう一度お進みください。',
    en: 'Leaving cannot be undone. Please tick the confirmation box and try again.',
  },
  departure_conflict: {
    ja: '手続きの途中で同意の状態が変わりました。お手数ですが、もう一度お試しください。',
    en: 'Your consents changed while we were processing. Please try again.',
  },
  departure_resident_not_found: { ja: 'この共通IDの利用者は見つかりません。', en: 'No resident has this common ID.' },
  departure_request_invalid: {
    ja: '届出の内容を確かめてください。届出人、確認した書類、受付日（YYYY-MM-DD、今日以前）がすべて必要です。HTMLは入力できません。',
    en: 'Please check the request: the requester, the document seen and the date received (YYYY-MM-DD, not in the future) are all required. No HTML.',
  },
  certificate_not_found: { ja: 'この番号の消去証明書は見つかりません。', en: 'No erasure certificate has this number.' },
  certificate_pending: {
    ja: '消去証明書はまだ発行されていません。各サービスからの消去完了の通知を待っています。しばらくしてからご確認ください。',
    en: 'The erasure certificate is not issued yet: we are waiting for the services to confirm the erasure. Please check again shortly.',
  },
};

const csrf = { type: 'string', maxLength: 200 } as const;

/** The portal's leaving form: the confirmation box of the irreversible step. */
export interface LeaveForm {
  csrf: string;
  /** `yes` when ticked. */
  confirm?: string;
}

/** JSON Schema of {@link LeaveForm} (unknown fields refused). */
export const leaveFormSchema = {
  type: 'object',
  properties: { csrf, confirm: { type: 'string', maxLength: 8, nullable: true } },
  required: ['csrf'],
  additionalProperties: false,
} as const;

/** The system admin's form recording a deceased resident (特記事項第15条). */
export interface DeceasedForm {
  csrf: string;
  /** The resident's common ID (16 digits, as printed on the request). */
  commonId: string;
  /** Who asked, as on the request (e.g. the heir's name and relation). */
  requester: string;
  /** The document that was shown (e.g. 除票の写し). */
  document: string;
  /** YYYY-MM-DD: when the request was received. */
  receivedOn: string;
  /** `yes`: the admin confirmed the irreversible step. */
  confirm?: string;
}

/** The no-session form of the page after leaving: the departure and the key the resident was given; `format` of the certificate download. */
export interface LeaveKeyForm {
  departure: string;
  key: string;
  format?: string;
}

/** JSON Schema of {@link LeaveKeyForm}. */
export const leaveKeyFormSchema = {
  type: 'object',
  properties: { departure: { type: 'string', maxLength: 64 }, key: { type: 'string', maxLength: 64 }, format: { type: 'string', enum: ['json', 'html'], nullable: true } },
  required: ['departure', 'key'],
  additionalProperties: false,
} as const;

/** JSON Schema of {@link DeceasedForm}; emptiness, markup and the date are checked by the service with typed errors. */
export const deceasedFormSchema = {
  type: 'object',
  properties: {
    csrf,
    commonId: { type: 'string', maxLength: 32 },
    requester: { type: 'string', maxLength: 200 },
    document: { type: 'string', maxLength: 500 },
    receivedOn: { type: 'string', maxLength: 10 },
    confirm: { type: 'string', maxLength: 8, nullable: true },
  },
  required: ['csrf', 'commonId', 'requester', 'document', 'receivedOn'],
  additionalProperties: false,
} as const;
