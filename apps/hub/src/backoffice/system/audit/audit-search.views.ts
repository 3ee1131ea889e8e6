import type { AuditSearchQuery } from '@tsunagu/contracts';
import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../../platform/access/admin-principal';
import type { TenantRow } from '../../../tenancy/tenants/tenants.repository';
import { adminPage, formatDate, name } from '../../web/admin.layout';
import { auditText as t } from './audit-search.messages';
import type { AuditRow } from './audit-search.repository';

const ACTOR_KINDS = ['resident', 'admin', 'service', 'connector', 'system'];

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
