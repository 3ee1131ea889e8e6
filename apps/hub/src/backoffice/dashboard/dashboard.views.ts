import { html, type Lang, raw, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { healthTag, healthText } from '../../exchange/connectors/connector-health';
import { adminPage, formatDate, name } from '../web/admin.layout';
import type { ChartSpec, DashboardData } from './dashboard-data';
import { dashboardText as t } from './dashboard.messages';
import type { DashboardFigures } from './dashboard.service';

/** JSON inside a script element: `<` escaped so that no value can close the element. */
function jsonBlock(id: string, value: unknown): SafeHtml {
  return raw(`<script type="application/json" id="${id}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`);
}

function chartFigure(lang: Lang, id: string, title: string, description: string, table: SafeHtml, empty: boolean): SafeHtml {
  return html`<section class="chart" aria-labelledby="${id}-title" data-figure="${id}">
<h2 id="${id}-title">${title}</h2>
${empty ? html`<p>${t.none[lang]}</p>` : html`<div class="canvas" hidden><canvas id="${id}" role="img" aria-label="${description}"></canvas></div>
<details open data-table-for="${id}"><summary>${t.table[lang]}</summary><div class="table-wrap">${table}</div></details>`}
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
    { id: 'chart-refusals', type: 'bar', horizontal: true, labels: f.refusals.map((r) => r.reason), datasets: [{ label: t.count[lang], data: f.refusals.map((r) => r.count) }] },
    { id: 'chart-health', type: 'doughnut', labels: f.health.map((h) => healthText[h.health][lang]), datasets: [{ label: t.connectors[lang], data: f.health.map((h) => h.count) }] },
  ];
  const s = f.summary;
  const dayTable = (rows: SafeHtml[], head: SafeHtml) => html`<table class="data"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
  return adminPage({
    lang, title: t.title[lang], path: '/admin', principal, area: 'tenant', section: 'dashboard',
    head: html`<script src="/admin/assets/chart.umd.js" defer></script><script src="/admin/assets/dashboard.js" defer></script>`,
    body: html`<h1>${t.title[lang]}</h1>
<p>${t.lead[lang].replace('{days}', String(f.days))}</p>
<ul class="tiles" data-testid="summary">
<li data-tile="services"><span class="figure">${num(s.services)}</span>${t.services[lang]}</li>
<li data-tile="connectors"><span class="figure">${num(s.connectors)}</span>${t.connectors[lang]}${s.connectorsPending ? html` <span class="tag tag-warn">${t.pending[lang]} ${num(s.connectorsPending)}</span>` : ''}</li>
<li data-tile="permissions"><span class="figure">${num(s.permissions)}</span>${t.permissions[lang]}</li>
<li data-tile="offers"><span class="figure">${num(s.offers)}</span>${t.offers[lang]}</li>
<li data-tile="uses"><span class="figure">${num(s.dataUses)}</span>${t.uses[lang]}</li>
<li data-tile="consents"><span class="figure">${num(s.activeConsents)}</span>${t.consents[lang]}</li>
</ul>
<div class="charts">
${chartFigure(lang, 'chart-active-consents', t.activeConsents[lang], t.activeConsents[lang], dayTable(
  f.activeConsents.map((d) => html`<tr><td>${d.day}</td><td class="num">${num(d.count)}</td></tr>`),
  html`<th scope="col">${t.day[lang]}</th><th scope="col" class="num">${t.consents[lang]}</th>`), false)}
${chartFigure(lang, 'chart-decisions', t.decisions[lang], t.decisions[lang], dayTable(
  f.decisions.map((d) => html`<tr><td>${name(lang, d.title_ja, d.title_en)} <span class="mono hint">${d.code}</span></td><td class="num">${num(d.opt_ins)}</td><td class="num">${num(d.opt_outs)}</td></tr>`),
  html`<th scope="col">${t.dataUse[lang]}</th><th scope="col" class="num">${t.optIns[lang]}</th><th scope="col" class="num">${t.optOuts[lang]}</th>`), f.decisions.length === 0)}
${chartFigure(lang, 'chart-exchanges', t.exchanges[lang], t.exchanges[lang], dayTable(
  f.exchanges.map((d) => html`<tr><td>${d.day}</td><td class="num">${num(d.provided)}</td><td class="num">${num(d.refused)}</td></tr>`),
  html`<th scope="col">${t.day[lang]}</th><th scope="col" class="num">${t.provided[lang]}</th><th scope="col" class="num">${t.refused[lang]}</th>`), false)}
${chartFigure(lang, 'chart-refusals', t.refusals[lang], t.refusals[lang], dayTable(
  f.refusals.map((r) => html`<tr><td class="mono">${r.reason}</td><td class="num">${num(r.count)}</td></tr>`),
  html`<th scope="col">${t.reason[lang]}</th><th scope="col" class="num">${t.count[lang]}</th>`), f.refusals.length === 0)}
${chartFigure(lang, 'chart-health', t.health[lang], t.health[lang], dayTable(
  f.health.map((h) => html`<tr><td><span class="tag ${healthTag(h.health)}">${healthText[h.health][lang]}</span></td><td class="num">${num(h.count)}</td></tr>`),
  html`<th scope="col">${t.state[lang]}</th><th scope="col" class="num">${t.count[lang]}</th>`), f.health.every((h) => h.count === 0))}
</div>
<h2>${t.permissionList[lang]}</h2>
${f.permissions.length === 0 ? html`<p>${t.none[lang]}</p>` : html`<div class="table-wrap"><table class="data" data-testid="dashboard-permissions">
<thead><tr><th scope="col">${t.consumer[lang]}</th><th scope="col">${t.offer[lang]}</th><th scope="col">${t.since[lang]}</th></tr></thead>
<tbody>${f.permissions.map((x) => html`<tr><td>${name(lang, x.consumer_name_ja, x.consumer_name_en)}</td><td>${name(lang, x.offer_name_ja, x.offer_name_en)} <span class="mono hint">${x.offer_code}</span></td><td>${formatDate(lang, x.created_at, false)}</td></tr>`)}</tbody>
</table></div>`}
${jsonBlock('dashboard-data', { charts } satisfies DashboardData)}`,
  });
}
