import { HANDLING_KINDS, type HandlingLedgerQuery } from '@tsunagu/contracts';
import { html, type Lang, type Msg, type SafeHtml } from '@tsunagu/web';
import type { HandlingEntryRow } from '../../compliance/handling-ledger/handling-ledger.repository';
import { HANDLING_KIND_NAMES } from '../../compliance/handling-ledger/handling-ledger.service';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { adminPage, dataTable, formatDate } from '../web/admin.layout';
import type { ComplianceArea } from './compliance-scope';

const t = {
  title: { ja: '個人情報取扱台帳', en: 'Handling ledger' },
  lead: {
    ja: '個人情報の受け渡し・利用・複写・保管・廃棄を、システムの記録（提供記録・監査ログ・保存期間の設定）から自動で記載します。手入力はありません。',
    en: 'Handover, use, copying, storage and disposal of personal information, filled from what the system records (provision ledger, audit log, retention settings). Nothing is typed by hand.',
  },
  from: { ja: '期間（開始日）', en: 'From' },
  to: { ja: '期間（終了日）', en: 'To' },
  kind: { ja: '種類', en: 'Kind' },
  all: { ja: 'すべて', en: 'All' },
  search: { ja: '検索する', en: 'Search' },
  csv: { ja: 'CSVで書き出す', en: 'Export CSV' },
  ndjson: { ja: 'NDJSONで書き出す', en: 'Export NDJSON' },
  at: { ja: '日時', en: 'Date' },
  process: { ja: '処理', en: 'Process' },
  responsible: { ja: '責任者・処理主体', en: 'Responsible' },
  items: { ja: '個人情報の項目', en: 'Personal data' },
  detail: { ja: '詳細（相手先・保管場所・期間）', en: 'Details' },
  none: { ja: '該当する記録はありません。', en: 'No entry.' },
  limit: { ja: '画面には新しい順に500件まで表示します。すべては書き出してください。', en: 'The screen shows the newest 500; export for all.' },
  exportNote: { ja: '書き出しは「複写・複製」として台帳と監査ログに記録されます。', en: 'Exports are recorded as copies, in this ledger and the audit log.' },
} satisfies Record<string, Msg>;

export function handlingLedgerPage(p: { lang: Lang; principal: AdminPrincipal; where: ComplianceArea; rows: HandlingEntryRow[]; query: HandlingLedgerQuery }): SafeHtml {
  const { lang, principal, where, query: q } = p;
  const path = `${where.base}/handling-ledger`;
  const params = new URLSearchParams(Object.entries({ from: q.from ?? '', to: q.to ?? '', kind: q.kind ?? '' }).filter(([, v]) => v)).toString();
  return adminPage({
    lang, title: t.title[lang], path, principal, area: where.area, section: 'handling-ledger',
    body: html`<h1>${t.title[lang]}</h1><p>${t.lead[lang]}</p>
<form method="get" action="${path}" class="card">
<label for="from">${t.from[lang]}</label><input type="date" id="from" name="from" value="${q.from ?? ''}">
<label for="to">${t.to[lang]}</label><input type="date" id="to" name="to" value="${q.to ?? ''}">
<label for="kind">${t.kind[lang]}</label><select id="kind" name="kind"><option value="">${t.all[lang]}</option>${HANDLING_KINDS.map((k) => html`<option value="${k}"${q.kind === k ? html` selected` : ''}>${HANDLING_KIND_NAMES[k][lang]}</option>`)}</select>
<div class="actions"><button class="button" type="submit">${t.search[lang]}</button></div>
</form>
<div class="actions"><a class="button secondary" href="${path}/export.csv${params ? `?${params}` : ''}" download>${t.csv[lang]}</a><a class="button secondary" href="${path}/export.ndjson${params ? `?${params}` : ''}" download>${t.ndjson[lang]}</a></div>
<p class="hint">${t.exportNote[lang]} ${t.limit[lang]}</p>
${p.rows.length ? dataTable({
  label: t.title[lang], testId: 'handling-ledger',
  columns: [{ label: t.kind[lang] }, { label: t.at[lang] }, { label: t.process[lang] }, { label: t.responsible[lang] }, { label: t.items[lang] }, { label: t.detail[lang] }],
  rows: p.rows.map((r) => ({ data: { kind: r.kind, ref: r.ref }, cells: [HANDLING_KIND_NAMES[r.kind][lang], formatDate(lang, r.at), r.process, r.responsible, r.items, r.detail] })),
}) : html`<p>${t.none[lang]}</p>`}`,
  });
}
