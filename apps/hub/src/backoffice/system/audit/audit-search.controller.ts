import { once } from 'node:events';
import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { assertValid } from '@tsunagu/common';
import { type AuditSearchQuery, auditSearchQuerySchema } from '@tsunagu/contracts';
import { html, type Lang, pickLang, type SafeHtml } from '@tsunagu/web';
import { type AdminPrincipal, type AdminRequest, principalOf } from '../../../platform/access/admin-principal';
import { AdminPageFilter } from '../../web/admin-errors';
import { adminPage, formatDate, name, sendPage } from '../../web/admin.layout';
import type { TenantRow } from '../../../tenancy/tenants/tenants.repository';
import type { AuditRow } from './audit-search.repository';
import { AuditSearchService } from './audit-search.service';

const t = {
  title: { ja: '監査ログ', en: 'Audit log' },
  lead: { ja: 'ログイン、管理操作、同意、データ提供の許可・拒否などの記録です。各行は前の行のハッシュを含み、改ざんは npm run audit:verify で検出できます。日付は日本時間です。', en: 'Sign-ins, admin changes, consent decisions, grants issued and refused, and more. Each row holds the hash of the one before; `npm run audit:verify` detects tampering. Dates are Japan time.' },
  filters: { ja: '検索条件', en: 'Filters' },
  from: { ja: '開始日', en: 'From' },
  to: { ja: '終了日', en: 'To' },
  type: { ja: '種類（例: admin.change、auth. で始まるもの全部）', en: 'Type (e.g. admin.change, or auth. for the whole area)' },
  tenant: { ja: 'テナント', en: 'Tenant' },
  any: { ja: 'すべて', en: 'Any' },
  actorKind: { ja: '操作した主体', en: 'Actor kind' },
  actorId: { ja: '主体のID', en: 'Actor ID' },
  subject: { ja: '対象のID', en: 'Subject ID' },
  outcome: { ja: '結果', en: 'Outcome' },
  success: { ja: '成功', en: 'Success' },
  failure: { ja: '失敗', en: 'Failure' },
  search: { ja: '検索する', en: 'Search' },
  exportNdjson: { ja: 'この条件で書き出す（NDJSON）', en: 'Export these rows (NDJSON)' },
  exportCsv: { ja: 'この条件で書き出す（CSV）', en: 'Export these rows (CSV)' },
  none: { ja: '該当する記録はありません。', en: 'No matching rows.' },
  more: { ja: '次の50件', en: 'Next 50 rows' },
  seq: { ja: '番号', en: 'Seq' },
  time: { ja: '日時', en: 'Time' },
  actor: { ja: '主体', en: 'Actor' },
  reason: { ja: '理由', en: 'Reason' },
  details: { ja: '詳細', en: 'Details' },
};

const ACTOR_KINDS = ['resident', 'admin', 'service', 'connector', 'system'];

function qs(q: AuditSearchQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, ...extra })) if (typeof v === 'string' && v && k !== 'before') params.set(k, v);
  if (extra.before) params.set('before', extra.before);
  const s = params.toString();
  return s ? `?${s}` : '';
}

function auditPage(p: { lang: Lang; principal: AdminPrincipal; q: AuditSearchQuery; rows: AuditRow[]; next?: number; tenants: TenantRow[] }): SafeHtml {
  const { lang, principal, q } = p;
  const byId = new Map(p.tenants.map((x) => [x.id, x]));
  const select = (id: string, values: string[], label: (v: string) => string, current?: string) => html`<select id="${id}" name="${id}"><option value="">${t.any[lang]}</option>
${values.map((v) => html`<option value="${v}"${current === v ? html` selected` : ''}>${label(v)}</option>`)}</select>`;
  return adminPage({
    lang, title: t.title[lang], path: '/system/audit', principal, area: 'system', section: 'audit',
    body: html`<h1>${t.title[lang]}</h1>
<p>${t.lead[lang]}</p>
<form method="get" action="/system/audit" class="card" aria-label="${t.filters[lang]}">
<div class="charts">
<div><label for="from">${t.from[lang]}</label><input type="date" id="from" name="from" value="${q.from ?? ''}"></div>
<div><label for="to">${t.to[lang]}</label><input type="date" id="to" name="to" value="${q.to ?? ''}"></div>
<div><label for="type">${t.type[lang]}</label><input type="text" id="type" name="type" maxlength="64" value="${q.type ?? ''}" spellcheck="false"></div>
<div><label for="tenant">${t.tenant[lang]}</label>${select('tenant', p.tenants.map((x) => x.code), (c) => { const x = p.tenants.find((y) => y.code === c)!; return name(lang, x.name_ja, x.name_en); }, q.tenant)}</div>
<div><label for="actorKind">${t.actorKind[lang]}</label>${select('actorKind', ACTOR_KINDS, (v) => v, q.actorKind)}</div>
<div><label for="actorId">${t.actorId[lang]}</label><input type="text" id="actorId" name="actorId" maxlength="200" value="${q.actorId ?? ''}" spellcheck="false"></div>
<div><label for="subject">${t.subject[lang]}</label><input type="text" id="subject" name="subject" maxlength="200" value="${q.subject ?? ''}" spellcheck="false"></div>
<div><label for="outcome">${t.outcome[lang]}</label>${select('outcome', ['success', 'failure'], (v) => t[v as 'success' | 'failure'][lang], q.outcome)}</div>
</div>
<div class="actions"><button class="button" type="submit">${t.search[lang]}</button></div>
</form>
<div class="actions">
<a class="button secondary" href="/system/audit/export.ndjson${qs(q)}" download>${t.exportNdjson[lang]}</a>
<a class="button secondary" href="/system/audit/export.csv${qs(q)}" download>${t.exportCsv[lang]}</a>
</div>
${p.rows.length === 0 ? html`<p>${t.none[lang]}</p>` : html`<div class="table-wrap"><table class="data" data-testid="audit-rows">
<thead><tr><th scope="col" class="num">${t.seq[lang]}</th><th scope="col">${t.time[lang]}</th><th scope="col">${t.type[lang].replace(/[（(].*$/, '')}</th><th scope="col">${t.outcome[lang]}</th>
<th scope="col">${t.actor[lang]}</th><th scope="col">${t.tenant[lang]}</th><th scope="col">${t.subject[lang]}</th><th scope="col">${t.reason[lang]}</th><th scope="col">${t.details[lang]}</th></tr></thead>
<tbody>${p.rows.map((r) => html`<tr data-seq="${r.seq}" data-type="${r.type}">
<td class="num">${r.seq}</td><td>${formatDate(lang, r.occurred_at)}</td><td class="mono">${r.type}</td>
<td>${r.outcome === 'success' ? html`<span class="tag tag-ok">${t.success[lang]}</span>` : html`<span class="tag tag-bad">${t.failure[lang]}</span>`}</td>
<td class="mono">${r.actor_kind}${r.actor_id ? html`<br>${r.actor_id}` : ''}</td>
<td>${r.tenant_id ? (byId.get(r.tenant_id)?.code ?? r.tenant_id) : '—'}</td>
<td class="mono">${r.subject ?? '—'}</td><td class="mono">${r.reason ?? '—'}</td>
<td class="mono">${Object.keys(r.details ?? {}).length ? JSON.stringify(r.details) : '—'}</td>
</tr>`)}</tbody></table></div>`}
${p.next ? html`<p><a href="/system/audit${qs(q, { before: String(p.next) })}">${t.more[lang]}</a></p>` : ''}`,
  });
}

const CSV_COLUMNS = ['seq', 'occurred_at', 'type', 'actor_kind', 'actor_id', 'tenant_id', 'subject', 'outcome', 'reason', 'details', 'correlation_id', 'prev_hash', 'hash'] as const;

/**
 * A CSV field, quoted. A value a spreadsheet would run as a formula (=, +, -, @, tab, CR) is
 * prefixed with an apostrophe (OWASP CSV injection).
 */
function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

function ndjsonLine(r: AuditRow): string {
  return `${JSON.stringify({
    seq: Number(r.seq), occurredAt: new Date(r.occurred_at).toISOString(), type: r.type, actor: { kind: r.actor_kind, id: r.actor_id }, tenantId: r.tenant_id,
    subject: r.subject, outcome: r.outcome, reason: r.reason, details: r.details, correlationId: r.correlation_id, prevHash: r.prev_hash, hash: r.hash,
  })}\n`;
}

/** Audit search with filters, and NDJSON / CSV export of the same selection (system admins). */
@Controller('system/audit')
@UseFilters(AdminPageFilter)
export class AuditSearchController {
  constructor(private readonly search: AuditSearchService) {}

  @Get()
  async show(@Req() req: AdminRequest, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const q = assertValid<AuditSearchQuery>(auditSearchQuerySchema, query);
    const result = await this.search.search(q);
    sendPage(res, auditPage({ lang: pickLang(req), principal: principalOf(req), q, ...result }));
  }

  @Get('export.ndjson')
  async ndjson(@Req() req: AdminRequest, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    await this.stream(req, res, query, 'ndjson');
  }

  @Get('export.csv')
  async csv(@Req() req: AdminRequest, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    await this.stream(req, res, query, 'csv');
  }

  private async stream(req: AdminRequest, res: Response, query: Record<string, unknown>, format: 'ndjson' | 'csv'): Promise<void> {
    const q = assertValid<AuditSearchQuery>(auditSearchQuerySchema, query);
    const pages = this.search.export(principalOf(req), q, format);
    // The first page is read before the headers go out, so a bad filter still gets a proper error.
    const first = await pages.next();
    const stamp = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 16).replace(/[-:T]/g, '');
    res.status(200).setHeader('cache-control', 'no-store');
    res.setHeader('content-disposition', `attachment; filename="tsunagu-audit-${stamp}.${format}"`);
    res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    // A byte-order mark lets spreadsheet software read the CSV's Japanese correctly.
    if (format === 'csv') res.write(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`);
    const write = async (rows: AuditRow[]) => {
      const chunk = rows.map((r) => (format === 'csv' ? `${CSV_COLUMNS.map((c) => csvField(r[c])).join(',')}\r\n` : ndjsonLine(r))).join('');
      // Respect back-pressure: a slow download must not pile the whole chain up in memory.
      if (!res.write(chunk)) await once(res, 'drain');
    };
    if (!first.done) await write(first.value);
    for await (const rows of pages) await write(rows);
    res.end();
  }
}
