import { html, type Lang, raw, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { healthTag, healthText } from '../../exchange/connectors/connector-health';
import { reasonWords } from '../web/codes';
import { adminPage, codeDetails, dataTable, formatDate, name } from '../web/admin.layout';
import type { ChartSpec, DashboardData } from './dashboard-data';
import { dashboardText as t } from './dashboard.messages';
import type { ReasonCount } from './dashboard.repository';
import type { DashboardFigures } from './dashboard.service';

/** JSON inside a script element: `<` escaped so that no value can close the element. */
function jsonBlock(id: string, value: unknown): SafeHtml {
  return raw(`<script type="application/json" id="${id}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`);
}

/** A refusal reason in words: a hub refusal's code from the contracts' table, or the provider's refusal. */
function reasonLabel(lang: Lang, r: ReasonCount): string {
  if (r.reason === null) return t.providerRefused[lang];
  return (reasonWords(r.reason) ?? t.unknownReason)[lang];
}

function chartFigure(lang: Lang, id: string, title: string, description: string, table: SafeHtml, empty: boolean, lead?: string): SafeHtml {
  return html`<section class="chart" aria-labelledby="${id}-title" data-figure="${id}">
<h2 id="${id}-title">${title}</h2>
${lead ? html`<p class="hint">${lead}</p>` : ''}
${empty ? html`<p>${t.none[lang]}</p>` : html`<div class="canvas" hidden><canvas id="${id}" role="img" aria-label="${description}"></canvas></div>
<details open data-table-for="${id}"><summary>${t.table[lang]}</summary>${table}</details>`}
</section>`;
}

export function dashboardPage(p: { lang: Lang; principal: AdminPrincipal; figures: DashboardFigures }): SafeHtml {
  const { lang, principal, figures: f } = p;
  const num = (n: number) => n.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB');
  const charts: ChartSpec[] = [
    { id: 'chart-active-consents', type: 'line', labels: f.activeConsents.map((d) => d.day), datasets: [{ label: t.consents[lang], data: f.activeConsents.map((d) => d.count) }] },
    {
      id: 'chart-decisions', type: 'bar', labels: f.decisions.map((d) => name(lang, d.title_ja, d.title_en)),
      datasets: [{ label: t.optIns[lang], data: f.decisions.map((d) => d.opt_ins) }, { label: t.optOuts[lang], data: f.decisions.map((d) => d.opt_outs) }],
    },
    {
      id: 'chart-exchanges', type: 'bar', stacked: true, labels: f.exchanges.map((d) => d.day),
      datasets: [{ label: t.provided[lang], data: f.exchanges.map((d) => d.provided) }, { label: t.refused[lang], data: f.exchanges.map((d) => d.refused) }],
    },
    { id: 'chart-refusals', type: 'bar', horizontal: true, labels: f.refusals.map((r) => reasonLabel(lang, r)), datasets: [{ label: t.count[lang], data: f.refusals.map((r) => r.count) }] },
    { id: 'chart-health', type: 'doughnut', labels: f.health.map((h) => healthText[h.health][lang]), datasets: [{ label: t.connectors[lang], data: f.health.map((h) => h.count) }] },
  ];
  const s = f.summary;
  // The figures under each chart: short tables that fit a phone as they are.
  const figureTable = (label: string, columns: { label: string; num?: boolean }[], rows: (SafeHtml | string)[][], data?: Record<string, string>[]) =>
    dataTable({ label, columns, rows: rows.map((cells, i) => ({ cells, data: data?.[i] })), cards: false });
  return adminPage({
    lang, title: t.title[lang], path: '/admin', principal, area: 'tenant', section: 'dashboard',
    head: html`<script src="/admin/assets/chart.umd.js" defer></script><script src="/admin/assets/dashboard.js" defer></script>`,
    body: html`<h1>${t.title[lang]}</h1>
<p>${t.lead[lang].replace('{days}', String(f.days))}</p>
<ul class="tiles" data-testid="summary">
<li data-tile="services"><span class="figure">${num(s.services)}</span>${t.services[lang]}</li>
<li data-tile="connectors"><span class="figure">${num(s.connectors)}</span>${t.connectors[lang]}${s.connectorsPending ? html` <span class="tag tag-warn">${t.pending[lang]} ${num(s.connectorsPending)}</span>` : ''}</li>
<li data-tile="agreements-pending"><span class="figure">${num(s.agreementsPending)}</span><a href="/admin/agreements">${t.agreementsPending[lang]}</a></li>
<li data-tile="permissions"><span class="figure">${num(s.permissions)}</span>${t.permissions[lang]}</li>
<li data-tile="offers"><span class="figure">${num(s.offers)}</span>${t.offers[lang]}</li>
<li data-tile="uses"><span class="figure">${num(s.dataUses)}</span>${t.uses[lang]}</li>
<li data-tile="consents"><span class="figure">${num(s.activeConsents)}</span>${t.consents[lang]}</li>
</ul>
<div class="charts">
${chartFigure(lang, 'chart-active-consents', t.activeConsents[lang], t.activeConsents[lang], figureTable(t.activeConsents[lang],
  [{ label: t.day[lang] }, { label: t.consents[lang], num: true }], f.activeConsents.map((d) => [d.day, num(d.count)])), false)}
${chartFigure(lang, 'chart-decisions', t.decisions[lang], t.decisions[lang], figureTable(t.decisions[lang],
  [{ label: t.dataUse[lang] }, { label: t.optIns[lang], num: true }, { label: t.optOuts[lang], num: true }],
  f.decisions.map((d) => [html`${name(lang, d.title_ja, d.title_en)}${codeDetails(lang, d.code)}`, num(d.opt_ins), num(d.opt_outs)])), f.decisions.length === 0)}
${chartFigure(lang, 'chart-exchanges', t.exchanges[lang], t.exchanges[lang], figureTable(t.exchanges[lang],
  [{ label: t.day[lang] }, { label: t.provided[lang], num: true }, { label: t.refused[lang], num: true }],
  f.exchanges.map((d) => [d.day, num(d.provided), num(d.refused)]), f.exchanges.map((d) => ({ day: d.day }))), false, t.exchangesLead[lang])}
${chartFigure(lang, 'chart-refusals', t.refusals[lang], t.refusals[lang], figureTable(t.refusals[lang],
  [{ label: t.reason[lang] }, { label: t.count[lang], num: true }],
  f.refusals.map((r) => [html`${reasonLabel(lang, r)}${r.reason === null ? '' : codeDetails(lang, r.reason)}`, num(r.count)]),
  f.refusals.map((r) => ({ reason: r.reason ?? 'provider' }))), f.refusals.length === 0, t.refusalsLead[lang])}
${chartFigure(lang, 'chart-health', t.health[lang], t.health[lang], figureTable(t.health[lang],
  [{ label: t.state[lang] }, { label: t.count[lang], num: true }],
  f.health.map((h) => [html`<span class="tag ${healthTag(h.health)}">${healthText[h.health][lang]}</span>`, num(h.count)])), f.health.every((h) => h.count === 0))}
</div>
<h2>${t.permissionList[lang]}</h2>
${f.permissions.length === 0 ? html`<p>${t.none[lang]}</p>` : dataTable({
  label: t.permissionList[lang], testId: 'dashboard-permissions',
  columns: [{ label: t.consumer[lang] }, { label: t.offer[lang] }, { label: t.since[lang] }],
  rows: f.permissions.map((x) => ({ cells: [name(lang, x.consumer_name_ja, x.consumer_name_en), html`${name(lang, x.offer_name_ja, x.offer_name_en)}${codeDetails(lang, x.offer_code)}`, formatDate(lang, x.created_at, false)] })),
})}
${jsonBlock('dashboard-data', { charts } satisfies DashboardData)}`,
  });
}
