import type { AuditSearchQuery } from '@tsunagu/contracts';
import { html, type Lang, type Msg, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../../platform/access/admin-principal';
import type { TenantRow } from '../../../tenancy/tenants/tenants.repository';
import { reasonWords } from '../../web/codes';
import { adminPage, dataTable, formatDate, name, supportDetails } from '../../web/admin.layout';
import { supportText } from '../../web/web.messages';
import { statusText } from '../../connectors/connectors.messages';
import { authMethodText } from '../../services/services.messages';
import { settingsText } from '../settings/settings.messages';
import {
  actorKindText, auditActionText, auditAreaText, auditKeyText, auditKindText, auditMethodText, auditTypeText, auditValueText as v, auditText as t,
} from './audit-search.messages';
import type { AuditRow } from './audit-search.repository';

const ACTOR_KINDS = ['resident', 'admin', 'service', 'connector', 'system'];

/** A code's words from one of the audit tables (own keys only), or undefined. */
function wordsOf(table: Readonly<Record<string, Msg>>, code: string | null | undefined): Msg | undefined {
  return code && Object.hasOwn(table, code) ? table[code] : undefined;
}

/** The words of the values some facts hold (an action, an authentication method, a connector's status). */
const VALUE_WORDS: Readonly<Record<string, Readonly<Record<string, Msg>>>> = {
  action: auditActionText, authMethod: authMethodText, from: statusText, to: statusText, area: auditAreaText, kind: auditKindText, method: auditMethodText,
};

/** One recorded value as a person reads it: yes/no, lists, before → after, nested facts. */
function formatValue(lang: Lang, key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return v.none[lang];
  if (typeof value === 'boolean') return value ? v.yes[lang] : v.no[lang];
  if (typeof value === 'string' && Object.hasOwn(VALUE_WORDS, key)) return wordsOf(VALUE_WORDS[key], value)?.[lang] ?? value;
  if (Array.isArray(value)) return value.length ? value.map((x) => formatValue(lang, '', x)).join(', ') : v.none[lang];
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('from' in o && 'to' in o && Object.keys(o).length === 2) return `${formatValue(lang, key, o.from)} → ${formatValue(lang, key, o.to)}`;
    return Object.entries(o).map(([k, x]) => `${keyLabel(lang, k)}: ${formatValue(lang, k, x)}`).join(' / ');
  }
  return String(value);
}

/** A fact's name: the audit table's, a platform setting's (what `changed` lists), or the key as recorded. */
function keyLabel(lang: Lang, key: string): string {
  return (wordsOf(auditKeyText, key) ?? wordsOf(settingsText, key))?.[lang] ?? key;
}

/**
 * An event's recorded facts as a label/value list, with the codes (type, reason, action) and the
 * row's details exactly as recorded (JSON) under 「詳細」 for support.
 */
export function auditDetails(lang: Lang, r: Pick<AuditRow, 'type' | 'reason' | 'details'>): SafeHtml {
  const entries = Object.entries(r.details ?? {});
  const action = typeof r.details?.action === 'string' ? r.details.action : undefined;
  return html`${entries.length ? html`<dl class="facts">${entries.map(([k, x]) => html`<dt>${keyLabel(lang, k)}</dt><dd>${formatValue(lang, k, x)}</dd>`)}</dl>` : html`<p>${v.noDetails[lang]}</p>`}
${supportDetails(lang, html`<dl class="facts"><dt>${v.eventCode[lang]}</dt><dd class="mono">${r.type}</dd>
${r.reason ? html`<dt>${v.reasonCode[lang]}</dt><dd class="mono">${r.reason}</dd>` : ''}${action ? html`<dt>${v.actionCode[lang]}</dt><dd class="mono">${action}</dd>` : ''}</dl>
${entries.length ? html`<p>${supportText.raw[lang]}</p><pre>${JSON.stringify(r.details, null, 2)}</pre>` : ''}`)}`;
}

function qs(q: AuditSearchQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, ...extra })) if (typeof v === 'string' && v && k !== 'before') params.set(k, v);
  if (extra.before) params.set('before', extra.before);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The audit search: the filters, the export links for the same selection, one page of rows. */
export function auditPage(p: { lang: Lang; principal: AdminPrincipal; q: AuditSearchQuery; rows: AuditRow[]; next?: number; tenants: TenantRow[] }): SafeHtml {
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
<div><label for="actorKind">${t.actorKind[lang]}</label>${select('actorKind', ACTOR_KINDS, (k) => (wordsOf(actorKindText, k) ?? { ja: k, en: k })[lang], q.actorKind)}</div>
<div><label for="actorId">${t.actorId[lang]}</label><input type="text" id="actorId" name="actorId" maxlength="200" value="${q.actorId ?? ''}" spellcheck="false"></div>
<div><label for="subject">${t.subject[lang]}</label><input type="text" id="subject" name="subject" maxlength="200" value="${q.subject ?? ''}" spellcheck="false"></div>
<div><label for="outcome">${t.outcome[lang]}</label>${select('outcome', ['success', 'failure'], (o) => t[o as 'success' | 'failure'][lang], q.outcome)}</div>
</div>
<div class="actions"><button class="button" type="submit">${t.search[lang]}</button></div>
</form>
<div class="actions">
<a class="button secondary" href="/system/audit/export.ndjson${qs(q)}" download>${t.exportNdjson[lang]}</a>
<a class="button secondary" href="/system/audit/export.csv${qs(q)}" download>${t.exportCsv[lang]}</a>
</div>
${p.rows.length === 0 ? html`<p>${t.none[lang]}</p>` : dataTable({
  label: v.list[lang], testId: 'audit-rows',
  columns: [{ label: t.seq[lang], num: true }, { label: t.time[lang] }, { label: v.type[lang] }, { label: t.outcome[lang] }, { label: t.actor[lang] },
    { label: t.tenant[lang] }, { label: t.subject[lang], mono: true }, { label: t.reason[lang] }, { label: t.details[lang], full: true }],
  rows: p.rows.map((r) => {
    const tenant = r.tenant_id ? byId.get(r.tenant_id) : undefined;
    return {
      data: { seq: String(r.seq), type: r.type },
      cells: [r.seq, formatDate(lang, r.occurred_at), (wordsOf(auditTypeText, r.type) ?? v.otherType)[lang],
        r.outcome === 'success' ? html`<span class="tag tag-ok">${t.success[lang]}</span>` : html`<span class="tag tag-bad">${t.failure[lang]}</span>`,
        html`${(wordsOf(actorKindText, r.actor_kind) ?? { ja: r.actor_kind, en: r.actor_kind })[lang]}${r.actor_id ? html`<br><span class="mono">${r.actor_id}</span>` : ''}`,
        r.tenant_id ? (tenant ? name(lang, tenant.name_ja, tenant.name_en) : html`<span class="mono">${r.tenant_id}</span>`) : '—',
        r.subject ?? '—', r.reason ? (reasonWords(r.reason) ?? v.otherReason)[lang] : '—', auditDetails(lang, r)],
    };
  }),
})}
${p.next ? html`<p><a href="/system/audit${qs(q, { before: String(p.next) })}">${t.more[lang]}</a></p>` : ''}`,
  });
}
