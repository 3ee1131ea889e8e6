import type { DomainException } from '@tsunagu/common';
import type { PpcLeakReport } from '@tsunagu/contracts';
import { html, type Lang, raw, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { type DeadlineState, type ReportDeadline, remainingWords } from '../../compliance/incidents/incident-deadlines';
import { type IncidentView, STAGE_NAMES } from '../../compliance/incidents/incidents.service';
import { type FormFields, formErrorView } from '../web/admin-forms';
import { adminPage, csrfField, dataTable, formatDate } from '../web/admin.layout';
import { confirmPage } from '../web/confirm.views';
import { errorSummary, fieldAria, fieldError } from '../web/form.views';
import type { ComplianceArea } from './compliance-scope';
import { incidentText as t } from './incidents.messages';

const fields: FormFields = {
  title: { label: t.fTitle },
  ...Object.fromEntries((['discoveredAt', 'occurredAt', 'summary', 'items', 'affectedCount', 'cause', 'secondaryHarm', 'residentResponse', 'publication', 'prevention',
    'otherNotes', 'reporter', 'quickDays', 'finalDays', 'dataUse', 'affectedFrom', 'affectedTo', 'sentAt', 'sentTo'] as const).map((f) => [f, { label: t[f] }])),
};

const STATE_TAG: Record<DeadlineState, string> = { sent: 'tag-ok', overdue: 'tag-bad', urgent: 'tag-bad', approaching: 'tag-warn', pending: 'tag-off' };
const incidentCss = raw(`<style>.deadline-urgent,.deadline-overdue{color:var(--color-primitive-red-900);font-weight:700}
.deadline-approaching{color:var(--color-primitive-yellow-900);font-weight:700}
.ppc dt{font-weight:700;margin-top:.75rem}.ppc dd{margin:0;white-space:pre-wrap}
@media print{.ppc{font-size:10.5pt}}</style>`);

/** A deadline's state as words, in the colour of its urgency (red when due within 6 hours or overdue). */
export function deadlineCell(lang: Lang, d: ReportDeadline): SafeHtml {
  const words = d.state === 'sent' ? t.sent[lang] : `${t[d.state][lang]}（${remainingWords(lang, d.remainingMs)}）`;
  return html`<span class="tag ${STATE_TAG[d.state]} deadline-${d.state}" data-stage="${d.stage}" data-state="${d.state}">${words}</span>`;
}

function tenantName(lang: Lang, v: IncidentView): string {
  return v.row.tenant_name_ja ?? t.platform[lang];
}

export function incidentsPage(p: { lang: Lang; principal: AdminPrincipal; where: ComplianceArea; incidents: IncidentView[]; notice?: string; error?: DomainException; values?: Record<string, string> }): SafeHtml {
  const { lang, principal, where } = p;
  const e = p.error ? formErrorView(p.error, lang, fields) : undefined;
  const v = p.values ?? {};
  const warnings = p.incidents.flatMap((i) => i.deadlines.filter((d) => d.state === 'urgent' || d.state === 'overdue' || d.state === 'approaching').map((d) => ({ i, d })));
  const input = (name: string, type: string, extra = '', label = t[name as keyof typeof t]) => html`<label for="${name}">${label[lang]}</label>${fieldError(e, name)}<input type="${type}" id="${name}" name="${name}"${raw(extra)}${fieldAria(e, name)} value="${v[name] ?? ''}">`;
  const area = (name: keyof typeof t, required = false) => html`<label for="${name}">${t[name][lang]}</label>${fieldError(e, name)}<textarea id="${name}" name="${name}" rows="3" maxlength="4000"${required ? html` required` : ''}${fieldAria(e, name)}>${v[name] ?? ''}</textarea>`;
  return adminPage({
    lang, title: t.title[lang], path: `${where.base}/incidents`, principal, area: where.area, section: 'incidents', head: incidentCss,
    body: html`<h1>${t.title[lang]}</h1>
<p>${t.lead[lang]}</p>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
<h2>${t.warnings[lang]}</h2>
${warnings.length ? html`<ul data-testid="incident-warnings">${warnings.map(({ i, d }) => html`<li><a href="${where.base}/incidents/${i.row.id}">${i.row.title}</a>: ${STAGE_NAMES[d.stage][lang]} ${deadlineCell(lang, d)} — ${formatDate(lang, d.dueAt)}</li>`)}</ul>` : html`<p>${t.noWarnings[lang]}</p>`}
<h2>${t.list[lang]}</h2>
${p.incidents.length ? dataTable({
  label: t.list[lang], testId: 'incidents',
  columns: [{ label: t.fTitle[lang] }, { label: t.discoveredAt[lang] }, ...(where.area === 'system' ? [{ label: t.tenant[lang] }] : []), { label: STAGE_NAMES.initial[lang] }, { label: STAGE_NAMES.quick[lang] }, { label: STAGE_NAMES.final[lang] }],
  rows: p.incidents.map((i) => ({
    data: { incident: i.row.id },
    cells: [html`<a href="${where.base}/incidents/${i.row.id}">${i.row.title}</a>`, formatDate(lang, i.row.discovered_at), ...(where.area === 'system' ? [tenantName(lang, i)] : []),
      ...i.deadlines.map((d) => html`${deadlineCell(lang, d)}<br><span class="hint">${formatDate(lang, d.dueAt)}</span>`)],
  })),
}) : html`<p>${t.none[lang]}</p>`}
<h2>${t.add[lang]}</h2>
${errorSummary(lang, e)}
<form method="post" action="${where.base}/incidents" novalidate data-testid="incident-form">
${csrfField(principal)}
${input('title', 'text', ' maxlength="100" required', t.fTitle)}
${input('discoveredAt', 'datetime-local', ' required')}
${input('occurredAt', 'datetime-local')}
${area('summary', true)}
${area('items', true)}
${input('affectedCount', 'number', ' min="0" required inputmode="numeric"')}
${area('cause')}${area('secondaryHarm')}${area('residentResponse')}${area('publication')}${area('prevention')}${area('otherNotes')}
${input('reporter', 'text', ' maxlength="200" required')}
${input('quickDays', 'number', ' min="1" max="60" placeholder="3"')}
${input('finalDays', 'number', ' min="1" max="365" placeholder="21"')}
${input('dataUse', 'text', ' maxlength="100"')}
${input('affectedFrom', 'date')}
${input('affectedTo', 'date')}
<div class="actions"><button class="button" type="submit">${t.save[lang]}</button></div>
</form>`,
  });
}

export function incidentPage(p: { lang: Lang; principal: AdminPrincipal; where: ComplianceArea; incident: IncidentView; notice?: string; error?: DomainException; values?: Record<string, string> }): SafeHtml {
  const { lang, principal, where, incident: { row, deadlines } } = p;
  const e = p.error ? formErrorView(p.error, lang, fields) : undefined;
  const base = `${where.base}/incidents/${row.id}`;
  return adminPage({
    lang, title: row.title, path: base, principal, area: where.area, section: 'incidents', head: incidentCss,
    body: html`<h1>${row.title}</h1>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
${errorSummary(lang, e)}
<dl class="props">
<dt>${t.tenant[lang]}</dt><dd>${row.tenant_name_ja ?? t.platform[lang]}</dd>
<dt>${t.discoveredAt[lang]}</dt><dd>${formatDate(lang, row.discovered_at)}</dd>
<dt>${t.occurredAt[lang]}</dt><dd>${formatDate(lang, row.occurred_at)}</dd>
<dt>${t.affectedCount[lang]}</dt><dd>${row.affected_count} ${t.count[lang]}</dd>
<dt>${t.reporter[lang]}</dt><dd>${row.reporter}</dd>
${row.residents_notified_at ? html`<dt>${t.notifiedAt[lang]}</dt><dd>${formatDate(lang, row.residents_notified_at)}</dd>` : ''}
</dl>
<h2>${t.deadlines[lang]}</h2>
${dataTable({
  label: t.deadlines[lang], testId: 'deadlines',
  columns: [{ label: t.stage[lang] }, { label: t.due[lang] }, { label: t.state[lang] }, { label: t.sentAt[lang] }, { label: t.sentTo[lang] }, { label: t.sentBy[lang], mono: true }],
  rows: deadlines.map((d) => {
    const sent = row.reports.find((r) => r.stage === d.stage);
    return { data: { stage: d.stage }, cells: [STAGE_NAMES[d.stage][lang], formatDate(lang, d.dueAt), deadlineCell(lang, d), sent ? formatDate(lang, sent.sent_at) : '—', sent?.sent_to ?? '—', sent?.sent_by_login ?? '—'] };
  }),
})}
${deadlines.filter((d) => d.state !== 'sent').slice(0, 1).map((d) => html`<form method="post" action="${base}/reports" novalidate class="card" data-testid="mark-sent">
<h3>${STAGE_NAMES[d.stage][lang]}: ${t.markSent[lang]}</h3>
${csrfField(principal)}<input type="hidden" name="stage" value="${d.stage}">
<label for="sentAt">${t.sentAt[lang]}</label>${fieldError(e, 'sentAt')}<input type="datetime-local" id="sentAt" name="sentAt" required${fieldAria(e, 'sentAt')} value="${p.values?.sentAt ?? ''}">
<label for="sentTo">${t.sentTo[lang]}</label>${fieldError(e, 'sentTo')}<input type="text" id="sentTo" name="sentTo" maxlength="200" required${fieldAria(e, 'sentTo')} value="${p.values?.sentTo ?? ''}">
<div class="actions"><button class="button" type="submit">${t.markSent[lang]}</button></div>
</form>`)}
<div class="actions">
<a class="button secondary" href="${base}/ppc" data-testid="ppc-page">${t.ppc[lang]}</a>
<a class="button secondary" href="${base}/ppc.json" data-testid="ppc-json">${t.ppcJson[lang]}</a>
<a class="button secondary" href="${base}/residents">${t.residents[lang]}</a>
</div>
<dl class="ppc">
<dt>${t.summary[lang]}</dt><dd>${row.summary}</dd>
<dt>${t.items[lang]}</dt><dd>${row.items}</dd>
<dt>${t.cause[lang]}</dt><dd>${row.cause || '—'}</dd>
<dt>${t.prevention[lang]}</dt><dd>${row.prevention || '—'}</dd>
</dl>`,
  });
}

/** The PPC leak-report form's fields, one after another, for printing. */
export function ppcPage(p: { lang: Lang; principal: AdminPrincipal; where: ComplianceArea; id: string; report: PpcLeakReport }): SafeHtml {
  const { lang, principal, where, report } = p;
  const entries = Object.entries(report).filter(([k]) => k !== '報告の状況');
  return adminPage({
    lang, title: t.ppcTitle[lang], path: `${where.base}/incidents/${p.id}/ppc`, principal, area: where.area, section: 'incidents', head: incidentCss,
    body: html`<h1>${t.ppcTitle[lang]}</h1>
<dl class="ppc" data-testid="ppc-fields">${entries.map(([k, value]) => html`<dt>${k}</dt><dd data-field="${k}">${value === null || value === '' ? '—' : String(value)}</dd>`)}</dl>
<h2>${t.deadlines[lang]}</h2>
<ul>${report.報告の状況.map((r) => html`<li>${r.区分}: ${t.due[lang]} ${r.期限} / ${t.sentAt[lang]} ${r.送付日時 ?? '—'} / ${t.sentTo[lang]} ${r.送付先 ?? '—'}</li>`)}</ul>
<div class="actions no-print"><button class="button secondary" type="button" onclick="window.print()">${t.print[lang]}</button></div>`,
  });
}

export function residentsPage(p: { lang: Lang; principal: AdminPrincipal; where: ComplianceArea; incident: IncidentView; residents: { common_id: string; provisions: number; last_at: Date }[] }): SafeHtml {
  const { lang, principal, where, incident: { row } } = p;
  const base = `${where.base}/incidents/${row.id}`;
  return adminPage({
    lang, title: t.residents[lang], path: `${base}/residents`, principal, area: where.area, section: 'incidents',
    body: html`<h1>${t.residents[lang]}</h1><p>${row.title}</p><p class="hint">${t.residentsLead[lang]}</p>
${p.residents.length ? dataTable({
  label: t.residents[lang], testId: 'affected-residents',
  columns: [{ label: t.commonId[lang], mono: true }, { label: t.provisions[lang] }, { label: t.lastAt[lang] }],
  rows: p.residents.map((r) => ({ cells: [r.common_id, String(r.provisions), formatDate(lang, r.last_at)] })),
}) : html`<p>${t.noResidents[lang]}</p>`}
${p.residents.length && !row.residents_notified_at ? html`<div class="actions"><a class="button" href="${base}/notify">${t.notify[lang]}</a></div>` : ''}`,
  });
}

export function notifyConfirmPage(p: { lang: Lang; principal: AdminPrincipal; where: ComplianceArea; incident: IncidentView; residents: number }): SafeHtml {
  const { lang, principal, where, incident: { row } } = p;
  return confirmPage({
    lang, principal, area: where.area, section: 'incidents', path: `${where.base}/incidents/${row.id}/notify`, action: 'notify',
    title: t.notifyTitle[lang], lead: t.notifyLead[lang],
    facts: [[t.fTitle[lang], row.title], [t.residents[lang], `${p.residents} ${t.count[lang]}`]],
    consequences: [t.notifyOnce[lang]], button: t.notifyButton[lang], cancel: `${where.base}/incidents/${row.id}/residents`,
    blocked: row.residents_notified_at ? t.notifiedAt[lang] : undefined,
  });
}
