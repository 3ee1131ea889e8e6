import type { JSONSchemaType } from 'ajv';
import { ErrorReason } from './errors';

/**
 * The compliance records the prefecture's contracts ask for (特記事項 / 特記仕様書): incidents
 * (事故報告) with their report deadlines, the handling ledger (台帳), inquiries (問い合わせ) and the
 * availability record. The screens are HTML forms under `/admin/…` and `/system/…`; the same routes
 * answer JSON to `Accept: application/json`. Every field is a string, as a form sends it.
 */
export const ComplianceErrorCodes = {
  /** The incident does not exist in the admin's tenant (another tenant's incident is not found either). */
  incident_not_found: ErrorReason.NotFound,
  /** The discovery (or occurrence) time is in the future, or the occurrence is after the discovery. */
  incident_time_invalid: ErrorReason.BadRequest,
  /** A report is marked sent before the incident was discovered, or in the future. */
  report_time_invalid: ErrorReason.BadRequest,
  /** This report (一先報告 / 速報 / 確報) is already marked sent. */
  report_already_sent: ErrorReason.Conflict,
  /** A text field holds `<` or `>`: the records take plain text, never HTML. */
  markup_not_allowed: ErrorReason.BadRequest,
  /** A required text field is empty, or a field is not of its form (a number, a date). */
  compliance_field_invalid: ErrorReason.BadRequest,
  /** The residents of this incident were already told. */
  residents_already_notified: ErrorReason.Conflict,
  /** The inquiry (receipt number and key) does not exist, or not in the admin's tenant. */
  inquiry_not_found: ErrorReason.NotFound,
  /** The inquiry is closed (完了): no further reply or change. */
  inquiry_closed: ErrorReason.Conflict,
  /** The ledger search or export names an unknown kind or a bad period. */
  ledger_query_invalid: ErrorReason.BadRequest,
} as const;
/** One code of {@link ComplianceErrorCodes}. */
export type ComplianceErrorCode = keyof typeof ComplianceErrorCodes;

/** The message of each code, Japanese first. */
export const COMPLIANCE_ERROR_MESSAGES: Record<ComplianceErrorCode, { ja: string; en: string }> = {
  incident_not_found: { ja: '事故の記録が見つかりません。', en: 'The incident was not found.' },
  incident_time_invalid: {
    ja: '日時が正しくありません。発覚日時は現在より前に、発生日時は発覚日時より前にしてください（日本時間）。',
    en: 'The times are not valid. The discovery must be in the past, and the occurrence before the discovery (Japan time).',
  },
  report_time_invalid: {
    ja: '報告日時が正しくありません。事故の発覚より後で、現在より前の日時にしてください（日本時間）。',
    en: 'The report time is not valid. It must be after the discovery and not in the future (Japan time).',
  },
  report_already_sent: { ja: 'この報告はすでに送付済みとして記録されています。', en: 'This report is already recorded as sent.' },
  markup_not_allowed: { ja: 'HTMLや「<」「>」は入力できません。文章だけを入力してください。', en: 'HTML and the characters < and > are not accepted. Please enter plain text.' },
  compliance_field_invalid: { ja: '入力内容を確かめてください。必須の項目が空か、形式が正しくありません。', en: 'Please check the form: a required field is empty or a value is not in its format.' },
  residents_already_notified: { ja: 'この事故の対象の方には、すでにお知らせしています。', en: 'The residents affected by this incident were already told.' },
  inquiry_not_found: { ja: 'お問い合わせが見つかりません。受付番号と確認キーを確かめてください。', en: 'The inquiry was not found. Check the receipt number and key.' },
  inquiry_closed: { ja: 'このお問い合わせは完了しています。新しいお問い合わせをお送りください。', en: 'This inquiry is closed. Please send a new inquiry.' },
  ledger_query_invalid: { ja: '検索の条件が正しくありません（期間は YYYY-MM-DD、種類は一覧から選んでください）。', en: 'The search is not valid (dates as YYYY-MM-DD, a kind from the list).' },
};

const csrf = { type: 'string', nullable: true } as const;
/** Text as a form sends it; emptiness and markup are checked by the service, with typed errors. */
const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;
const optionalText = (maxLength: number) => ({ type: 'string', maxLength, nullable: true }) as const;
const localTime = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?$' } as const;
const optionalLocalTime = { type: 'string', pattern: '^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?)?$', nullable: true } as const;
const optionalDate = { type: 'string', pattern: '^(\\d{4}-\\d{2}-\\d{2})?$', nullable: true } as const;
const optionalCount = { type: 'string', pattern: '^\\d{0,3}$', nullable: true } as const;

/** The longest free text of a record (a field of the leak-report form). */
export const COMPLIANCE_TEXT_MAX = 4000;

/**
 * Recording an incident (事故報告): the fields of the Personal Information Protection Commission's
 * leak-report form (個人情報保護委員会 漏えい等報告), times in Japan time (`YYYY-MM-DDTHH:mm`).
 */
export interface IncidentForm {
  title: string;
  /** 発覚日時 (required; the report deadlines run from it). */
  discoveredAt: string;
  /** 発生日時 (when known). */
  occurredAt?: string;
  /** 概要 */
  summary: string;
  /** 漏えい等が発生し又は発生したおそれがある個人データの項目 */
  items: string;
  /** 本人の数 */
  affectedCount: string;
  /** 原因 */
  cause?: string;
  /** 二次被害又はそのおそれの有無及びその内容 */
  secondaryHarm?: string;
  /** 本人への対応の実施状況 */
  residentResponse?: string;
  /** 公表の実施状況 */
  publication?: string;
  /** 再発防止のための措置 */
  prevention?: string;
  /** その他参考となる事項 */
  otherNotes?: string;
  /** 報告者 (who reports: organisation and person in charge). */
  reporter: string;
  /** Days after the discovery the 速報 is due (the contract's; default 3). */
  quickDays?: string;
  /** Days after the discovery the 確報 is due (the contract's; default 21, 3 weeks). */
  finalDays?: string;
  /** A data use code whose provisions the incident concerns (to list the residents from the ledger). */
  dataUse?: string;
  /** The period of those provisions, `YYYY-MM-DD` (Japan time), inclusive. */
  affectedFrom?: string;
  affectedTo?: string;
  csrf?: string;
}

/** JSON Schema of {@link IncidentForm}: unknown fields refused. */
export const incidentFormSchema: JSONSchemaType<IncidentForm> = {
  type: 'object',
  properties: {
    title: text(100), discoveredAt: localTime, occurredAt: optionalLocalTime, summary: text(COMPLIANCE_TEXT_MAX), items: text(2000),
    affectedCount: { type: 'string', pattern: '^\\d{1,9}$' }, cause: optionalText(COMPLIANCE_TEXT_MAX), secondaryHarm: optionalText(COMPLIANCE_TEXT_MAX),
    residentResponse: optionalText(COMPLIANCE_TEXT_MAX), publication: optionalText(COMPLIANCE_TEXT_MAX), prevention: optionalText(COMPLIANCE_TEXT_MAX),
    otherNotes: optionalText(COMPLIANCE_TEXT_MAX), reporter: text(200), quickDays: optionalCount, finalDays: optionalCount,
    dataUse: { type: 'string', pattern: '^([a-z0-9][a-z0-9.-]{0,99})?$', nullable: true }, affectedFrom: optionalDate, affectedTo: optionalDate, csrf,
  },
  required: ['title', 'discoveredAt', 'summary', 'items', 'affectedCount', 'reporter'],
  additionalProperties: false,
};

/** The three reports of an incident: 一先報告 (at once), 速報 (within days), 確報 (within weeks). */
export const INCIDENT_REPORT_STAGES = ['initial', 'quick', 'final'] as const;
export type IncidentReportStage = (typeof INCIDENT_REPORT_STAGES)[number];

/** Marking one report as sent: when (Japan time), to whom. The admin is who. */
export interface IncidentReportForm {
  stage: IncidentReportStage;
  sentAt: string;
  sentTo: string;
  csrf?: string;
}

export const incidentReportFormSchema: JSONSchemaType<IncidentReportForm> = {
  type: 'object',
  properties: { stage: { type: 'string', enum: INCIDENT_REPORT_STAGES }, sentAt: localTime, sentTo: text(200), csrf },
  required: ['stage', 'sentAt', 'sentTo'],
  additionalProperties: false,
};

/**
 * An incident in the fields of the PPC leak-report form, as `GET …/incidents/{id}/ppc.json`
 * exports it. Japanese keys are the form's headings; times are ISO 8601 with the Japan offset.
 */
export interface PpcLeakReport {
  報告者: string;
  発覚日時: string;
  発生日時: string | null;
  概要: string;
  漏えい等が発生し又は発生したおそれがある個人データの項目: string;
  本人の数: number;
  原因: string;
  二次被害又はそのおそれの有無及びその内容: string;
  本人への対応の実施状況: string;
  公表の実施状況: string;
  再発防止のための措置: string;
  その他参考となる事項: string;
  報告の状況: { 区分: string; 期限: string; 送付日時: string | null; 送付先: string | null; 送付者: string | null }[];
}

/** Inquiry categories (問い合わせの種類). */
export const INQUIRY_CATEGORIES = ['usage', 'consent', 'personal_data', 'incident', 'service', 'other'] as const;
export type InquiryCategory = (typeof INQUIRY_CATEGORIES)[number];

/** An inquiry from a resident (no sign-in needed) or from tenant staff. */
export interface InquiryForm {
  category: InquiryCategory;
  message: string;
  /** How to answer (mail address or phone); optional when signed in (the reply shows in the portal). */
  contact?: string;
  name?: string;
  /** The tenant (municipality) code the inquiry is about; empty: the platform's desk. */
  tenant?: string;
  csrf?: string;
}

/** The longest inquiry message accepted. */
export const INQUIRY_MESSAGE_MAX = 2000;

export const inquiryFormSchema: JSONSchemaType<InquiryForm> = {
  type: 'object',
  properties: {
    category: { type: 'string', enum: INQUIRY_CATEGORIES }, message: text(INQUIRY_MESSAGE_MAX), contact: optionalText(200), name: optionalText(100),
    tenant: { type: 'string', pattern: '^([a-z0-9][a-z0-9-]{0,62})?$', nullable: true }, csrf,
  },
  required: ['category', 'message'],
  additionalProperties: false,
};

export const INQUIRY_STATUSES = ['received', 'in_progress', 'closed'] as const;
/** 受付 / 対応中 / 完了 */
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];

/** Replying to an inquiry (shown to the resident in the portal), optionally changing its status and assignee. */
export interface InquiryReplyForm {
  reply?: string;
  /** Empty: keep the status. */
  status?: InquiryStatus | '';
  /** Login ID of the admin to assign (`me` for oneself). */
  assignee?: string;
  csrf?: string;
}

export const inquiryReplyFormSchema: JSONSchemaType<InquiryReplyForm> = {
  type: 'object',
  properties: {
    reply: optionalText(INQUIRY_MESSAGE_MAX), status: { type: 'string', enum: [...INQUIRY_STATUSES, ''], nullable: true } as never,
    assignee: { type: 'string', pattern: '^([a-z0-9][a-z0-9._-]{1,63})?$', nullable: true }, csrf,
  },
  required: [],
  additionalProperties: false,
};

/** Looking an inquiry up without signing in: its receipt number and the key shown with it. */
export interface InquiryLookupForm {
  receipt: string;
  key: string;
}

export const inquiryLookupFormSchema: JSONSchemaType<InquiryLookupForm> = {
  type: 'object',
  properties: { receipt: { type: 'string', pattern: '^Q-\\d{8}-[0-9A-Z]{6}$' }, key: { type: 'string', pattern: '^[0-9a-f]{32}$' } },
  required: ['receipt', 'key'],
  additionalProperties: false,
};

/** The kinds of the handling ledger (台帳): 受け渡し, 利用, 複写・複製, 保管, 廃棄. */
export const HANDLING_KINDS = ['handover', 'use', 'copy', 'storage', 'disposal'] as const;
export type HandlingKind = (typeof HANDLING_KINDS)[number];

/** Filters of the handling ledger (`GET …/handling-ledger`, and its `.csv` / `.ndjson` exports). All optional. */
export interface HandlingLedgerQuery {
  /** `YYYY-MM-DD` (Japan time), inclusive. */
  from?: string;
  to?: string;
  kind?: HandlingKind | '';
  lang?: string;
}

export const handlingLedgerQuerySchema: JSONSchemaType<HandlingLedgerQuery> = {
  type: 'object',
  properties: {
    from: optionalDate, to: optionalDate, kind: { type: 'string', enum: [...HANDLING_KINDS, ''], nullable: true } as never,
    lang: { type: 'string', enum: ['ja', 'en'], nullable: true } as never,
  },
  required: [],
  additionalProperties: false,
};
