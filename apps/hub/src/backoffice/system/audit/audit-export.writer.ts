import type { AuditRow } from './audit-search.repository';

/** The two export formats: one JSON object a line, or CSV for spreadsheet software. */
export type AuditExportFormat = 'ndjson' | 'csv';

/** The CSV's columns: every stored field of a row, so that a reader can recheck the hash chain. */
export const CSV_COLUMNS = ['seq', 'occurred_at', 'type', 'actor_kind', 'actor_id', 'tenant_id', 'subject', 'outcome', 'reason', 'details', 'correlation_id', 'prev_hash', 'hash'] as const;

/** The response's content type of each format. */
export const EXPORT_CONTENT_TYPES: Readonly<Record<AuditExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/**
 * A CSV field, quoted. A value a spreadsheet would run as a formula (=, +, -, @, tab, CR) is
 * prefixed with an apostrophe (OWASP CSV injection).
 */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** One row as a CSV record (CRLF-terminated, RFC 4180). */
export function csvLine(r: AuditRow): string {
  return `${CSV_COLUMNS.map((c) => csvField(r[c])).join(',')}\r\n`;
}

/** One row as an NDJSON line, with the field names of the API. */
export function ndjsonLine(r: AuditRow): string {
  return `${JSON.stringify({
    seq: Number(r.seq), occurredAt: new Date(r.occurred_at).toISOString(), type: r.type, actor: { kind: r.actor_kind, id: r.actor_id }, tenantId: r.tenant_id,
    subject: r.subject, outcome: r.outcome, reason: r.reason, details: r.details, correlationId: r.correlation_id, prevHash: r.prev_hash, hash: r.hash,
  })}\n`;
}

/** The download's file name, stamped with the Japan time of `now`: `tsunagu-audit-YYYYMMDDhhmm.csv`. */
export function exportFileName(format: AuditExportFormat, now: Date): string {
  const stamp = new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return `tsunagu-audit-${stamp}.${format}`;
}

/**
 * The file as text chunks, one a page of rows. The CSV opens with a byte-order mark (so that
 * spreadsheet software reads its Japanese correctly) and the header line.
 */
export async function* exportChunks(format: AuditExportFormat, pages: AsyncIterable<AuditRow[]>): AsyncGenerator<string> {
  if (format === 'csv') yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
  const line = format === 'csv' ? csvLine : ndjsonLine;
  for await (const rows of pages) yield rows.map(line).join('');
}

/**
 * Starts an export: the first page is read before anything is sent, so that a bad filter still
 * gets a proper error answer; the chunks that follow are read only as fast as they are sent.
 */
export async function startExport(format: AuditExportFormat, pages: AsyncGenerator<AuditRow[]>): Promise<AsyncGenerator<string>> {
  const first = await pages.next();
  async function* all(): AsyncGenerator<AuditRow[]> {
    if (!first.done) yield first.value;
    yield* pages;
  }
  return exportChunks(format, all());
}
