import { Injectable } from '@nestjs/common';
import { HANDLING_KINDS, type HandlingKind, type HandlingLedgerQuery } from '@tsunagu/contracts';
import { AuditService } from '../../audit/audit.service';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { ComplianceException } from '../compliance.exception';
import { parseJapanDate } from '../plain-text';
import { type HandlingEntryRow, type HandlingFilter, HandlingLedgerRepository } from './handling-ledger.repository';

/** The kinds' names as the contracts say them. */
export const HANDLING_KIND_NAMES: Record<HandlingKind, { ja: string; en: string }> = {
  handover: { ja: '受け渡し', en: 'Handover' },
  use: { ja: '利用', en: 'Use' },
  copy: { ja: '複写・複製', en: 'Copy' },
  storage: { ja: '保管', en: 'Storage' },
  disposal: { ja: '廃棄', en: 'Disposal' },
};

const SCREEN_LIMIT = 500;
const EXPORT_LIMIT = 100_000;
const COLUMNS = ['kind', 'at', 'process', 'responsible', 'items', 'detail', 'ref'] as const;

function csvCell(v: string): string {
  // A leading = + - @ would be a formula in a spreadsheet: quoted and prefixed.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) || safe !== v ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The handling ledger (台帳) of the contracts: handover, use, copy, storage and disposal of personal
 * information, each with its date and the person or process responsible — read from the records
 * the system keeps (HandlingLedgerRepository), per tenant or for the whole platform, searchable
 * by period and kind, exportable as CSV or NDJSON (an export is itself a copy, and audited).
 */
@Injectable()
export class HandlingLedgerService {
  constructor(private readonly repo: HandlingLedgerRepository, private readonly audit: AuditService) {}

  async search(scope: { tenantId: string | null }, q: HandlingLedgerQuery): Promise<HandlingEntryRow[]> {
    return this.repo.search(this.filter(scope, q), SCREEN_LIMIT);
  }

  async export(principal: AdminPrincipal, scope: { tenantId: string | null }, q: HandlingLedgerQuery, format: 'csv' | 'ndjson'): Promise<string> {
    const filter = this.filter(scope, q);
    const rows = await this.repo.search(filter, EXPORT_LIMIT);
    await this.audit.record({
      type: 'admin.export', actor: { kind: 'admin', id: principal.adminId }, tenantId: scope.tenantId ?? undefined, outcome: 'success',
      details: { action: 'handling_ledger.export', format, rows: rows.length, kind: filter.kind ?? null, from: q.from || null, to: q.to || null },
    });
    const line = (r: HandlingEntryRow) => ({ ...r, kind: r.kind, kindName: HANDLING_KIND_NAMES[r.kind].ja, at: new Date(r.at).toISOString() });
    if (format === 'ndjson') return rows.map((r) => JSON.stringify(line(r))).join('\n') + (rows.length ? '\n' : '');
    const header = ['種類', ...COLUMNS].join(',');
    return `\uFEFF${header}\r\n${rows.map((r) => { const l = line(r); return [l.kindName, ...COLUMNS.map((c) => String(l[c]))].map(csvCell).join(','); }).join('\r\n')}${rows.length ? '\r\n' : ''}`;
  }

  private filter(scope: { tenantId: string | null }, q: HandlingLedgerQuery): HandlingFilter {
    const from = q.from ? parseJapanDate(q.from) : undefined;
    const toDay = q.to ? parseJapanDate(q.to) : undefined;
    const problems: { field: string; problem: string }[] = [];
    if (q.from && !from) problems.push({ field: 'from', problem: 'not a date' });
    if (q.to && !toDay) problems.push({ field: 'to', problem: 'not a date' });
    if (from && toDay && toDay < from) problems.push({ field: 'to', problem: 'before the start' });
    if (q.kind && !(HANDLING_KINDS as readonly string[]).includes(q.kind)) problems.push({ field: 'kind', problem: 'unknown kind' });
    if (problems.length) throw new ComplianceException('ledger_query_invalid', problems);
    return { tenantId: scope.tenantId, kind: q.kind || undefined, from, to: toDay ? new Date(toDay.getTime() + 86_400_000) : undefined };
  }
}
