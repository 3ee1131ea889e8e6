import type { ErrorObject, JSONSchemaType } from 'ajv';
import { DomainException, schemaValidator } from '@tsunagu/common';
import { ErrorReason } from '@tsunagu/contracts';
import type { Lang, Msg } from '@tsunagu/web';
import { formText } from './web.messages';

/** What is wrong with one field, as the words need it. */
export interface FieldProblem {
  field: string;
  kind: 'missing' | 'tooShort' | 'tooLong' | 'format' | 'choice' | 'invalidValue' | 'unknownField';
  limit?: number;
  length?: number;
}

/** The fields of a form: each one's name on the page (the label the admin sees) and, for format errors, its hint. */
export type FormFields = Readonly<Record<string, { label: Msg; hint?: Msg }>>;

/** Which problem a field shows when it has several: the first thing to fix first. */
const ORDER: FieldProblem['kind'][] = ['missing', 'invalidValue', 'tooLong', 'tooShort', 'format', 'choice', 'unknownField'];

const length = (value: unknown) => (typeof value === 'string' ? [...value].length : 0);

function problemOf(e: ErrorObject, body: Record<string, unknown>): FieldProblem {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const params = e.params as { missingProperty?: string; additionalProperty?: string; limit?: number };
  const field = [base, params.missingProperty ?? params.additionalProperty].filter(Boolean).join('.') || '(body)';
  switch (e.keyword) {
    case 'required': return { field, kind: 'missing' };
    case 'additionalProperties': return { field, kind: 'unknownField' };
    case 'minLength': return body[field] === '' ? { field, kind: 'missing' } : { field, kind: 'tooShort', limit: params.limit };
    case 'maxLength': return { field, kind: 'tooLong', limit: params.limit, length: length(body[field]) };
    case 'pattern': case 'format': return { field, kind: 'format' };
    case 'enum': return { field, kind: 'choice' };
    default: return { field, kind: 'invalidValue' };
  }
}

/**
 * A form refused at the edge: `invalid_request`, with the same `details` as the hub's body pipe
 * for API clients, and for the page what is wrong with each field, so that it can say so in
 * words beside the field and keep what was typed.
 */
export class FormInvalid extends DomainException<'invalid_request'> {
  constructor(readonly problems: FieldProblem[], details: { field: string; problem: string }[]) {
    super('invalid_request', ErrorReason.BadRequest, { ja: formText.invalid.ja, en: formText.invalid.en }, details);
  }
}

/**
 * Validates a form body against its JSON Schema (libs/contracts), as AjvBodyPipe does, but inside
 * the handler, so that a refused form is answered with the form again. A required text field that
 * is only spaces counts as empty (the services trim what they store).
 */
export function validForm<T>(schema: JSONSchemaType<T>, body: unknown): T {
  const validate = schemaValidator(schema);
  const value = (body ?? {}) as Record<string, unknown>;
  const errors: ErrorObject[] = validate(value) ? [] : [...(validate.errors ?? [])];
  const props = (schema as { properties?: Record<string, { minLength?: number }> }).properties ?? {};
  for (const name of (schema as { required?: readonly string[] }).required ?? []) {
    const v = value[name];
    if (typeof v === 'string' && v !== '' && v.trim() === '' && (props[name]?.minLength ?? 0) > 0) {
      errors.push({ keyword: 'minLength', instancePath: `/${name}`, schemaPath: '', params: { limit: props[name].minLength }, message: 'must not be blank' });
      value[name] = '';
    }
  }
  if (!errors.length) return value as T;
  const problems = errors.map((e) => problemOf(e, value));
  const byField = new Map<string, FieldProblem>();
  for (const p of problems) {
    const seen = byField.get(p.field);
    if (!seen || ORDER.indexOf(p.kind) < ORDER.indexOf(seen.kind)) byField.set(p.field, p);
  }
  throw new FormInvalid([...byField.values()], errors.map((e, i) => ({ field: problems[i].field, problem: problems[i].kind === 'unknownField' ? 'unknown field' : e.message ?? 'invalid' })));
}

/** What was typed, to put back into a refused form: its text fields, never the CSRF token or a password. */
export function submitted(body: unknown, omit: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string' && key !== 'csrf' && !omit.includes(key) && !/password/i.test(key)) out[key] = value.slice(0, 20_000);
  }
  return out;
}

/** A refused form as its page shows it: the summary's message, each field's message, and the raw details for support. */
export interface FormErrorView {
  code: string;
  message: string;
  fields: { field: string; label: string; message: string }[];
  support: { field: string; problem: string }[];
}

const fill = (text: string, values: Record<string, string | number | undefined>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

/** The words of one field's problem. */
export function fieldMessage(lang: Lang, p: FieldProblem, fields: FormFields): string {
  const f = Object.hasOwn(fields, p.field) ? fields[p.field] : undefined;
  const label = (f?.label ?? formText.field)[lang];
  const text = fill(formText[p.kind][lang], { label, limit: p.limit, length: p.length });
  return p.kind === 'format' && f?.hint ? `${text} ${f.hint[lang]}` : text;
}

/**
 * A refused form's error for its page: a form refused at the edge names each field in words; a
 * refusal by the rules (a bad redirect URI, a duplicate name) gives its code's words from the
 * table in libs/contracts, beside each field it names. The code and the raw details stay for the
 * page's 「詳細」.
 */
export function formErrorView(error: DomainException, lang: Lang, fields: FormFields): FormErrorView {
  const label = (field: string) => (Object.hasOwn(fields, field) ? fields[field].label : formText.field)[lang];
  if (error instanceof FormInvalid) {
    return {
      code: error.code, message: error.bilingual[lang], support: error.details ?? [],
      fields: error.problems.map((p) => ({ field: p.field, label: label(p.field), message: fieldMessage(lang, p, fields) })),
    };
  }
  const named = [...new Set((error.details ?? []).map((d) => d.field))].filter((f) => Object.hasOwn(fields, f));
  return { code: error.code, message: error.bilingual[lang], support: error.details ?? [], fields: named.map((field) => ({ field, label: label(field), message: error.bilingual[lang] })) };
}
