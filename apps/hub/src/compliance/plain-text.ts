import { ComplianceException } from './compliance.exception';

/**
 * The records take plain text: `<` or `>` anywhere is refused as `markup_not_allowed` (never
 * stored, even escaped), a required field that is empty or only spaces as `compliance_field_invalid`.
 * Returns the fields trimmed, absent optional ones as ''.
 */
export function plainFields<K extends string>(form: Partial<Record<K, string | null | undefined>>, fields: { required: readonly K[]; optional?: readonly K[] }): Record<K, string> {
  const out = {} as Record<K, string>;
  const markup: { field: string; problem: string }[] = [];
  const missing: { field: string; problem: string }[] = [];
  for (const key of [...fields.required, ...(fields.optional ?? [])]) {
    const value = (form[key] ?? '').trim();
    if (/[<>]/.test(value)) markup.push({ field: key, problem: 'must be plain text without < or > (no HTML)' });
    if (!value && fields.required.includes(key)) missing.push({ field: key, problem: 'required' });
    out[key] = value;
  }
  if (markup.length) throw new ComplianceException('markup_not_allowed', markup);
  if (missing.length) throw new ComplianceException('compliance_field_invalid', missing);
  return out;
}

/** `YYYY-MM-DDTHH:mm[:ss]` in Japan time (UTC+9, no DST) as an instant; undefined when not a real time. */
export function parseJapanTime(value: string | null | undefined): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value ?? '');
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const check = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || check.getUTCHours() !== h || check.getUTCMinutes() !== mi) return undefined;
  return new Date(check.getTime() - 9 * 3_600_000);
}

/** `YYYY-MM-DD` as the start of that day in Japan time; undefined when not a real date. */
export function parseJapanDate(value: string | null | undefined): Date | undefined {
  return value ? parseJapanTime(`${value}T00:00`) : undefined;
}

/** An instant as ISO 8601 in Japan time (`2026-12-02T21:05:00+09:00`). */
export function japanIso(at: Date): string {
  return `${new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;
}
