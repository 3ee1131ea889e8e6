import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { adminPage, csrfField, formatDate, name } from '../web/admin.layout';
import { healthTag, healthText } from '../../exchange/connectors/connector-health';
import type { ConnectorRow } from '../../exchange/connectors/connectors.repository';
import { type ConnectorAction, type ConnectorView, TRANSITIONS } from '../../exchange/connectors/connectors.service';
import { connectorText, statusText } from './connectors.messages';

function actions(lang: Lang, principal: AdminPrincipal, c: ConnectorRow, withReason: boolean): SafeHtml {
  const available = (Object.keys(TRANSITIONS) as ConnectorAction[]).filter((a) => TRANSITIONS[a].from.includes(c.status));
  if (!available.length) return html``;
  return html`<div class="row-actions">${available.map((a) => html`<form method="post" action="/admin/connectors/${c.id}/${a}" class="inline-form">${csrfField(principal)}
${withReason && a !== 'approve' && a !== 'resume' ? html`<label for="reason-${a}">${connectorText.reason[lang]}</label><input type="text" id="reason-${a}" name="reason" maxlength="500">` : ''}
<button class="button${a === 'approve' || a === 'resume' ? '' : ' secondary'}" type="submit" aria-label="${connectorText[a][lang]}: ${c.name}">${connectorText[a][lang]}</button></form>`)}</div>`;
}

function lag(lang: Lang, c: ConnectorView): string {
  return c.syncLagSeconds === null ? connectorText.never[lang] : `${c.syncLagSeconds.toLocaleString()}${connectorText.seconds[lang]}`;
}

export function connectorsPage(p: { lang: Lang; principal: AdminPrincipal; connectors: ConnectorView[]; notice?: string }): SafeHtml {
  const { lang, principal } = p;
  return adminPage({
    lang, title: connectorText.title[lang], path: '/admin/connectors', principal, area: 'tenant', section: 'connectors',
    body: html`<h1>${connectorText.title[lang]}</h1>
<p>${connectorText.lead[lang]}</p>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
${p.connectors.length === 0 ? html`<p>${connectorText.none[lang]}</p>` : html`<div class="table-wrap"><table class="data" data-testid="connectors">
<thead><tr><th scope="col">${connectorText.name[lang]}</th><th scope="col">${connectorText.service[lang]}</th><th scope="col">${connectorText.status[lang]}</th>
<th scope="col">${connectorText.health[lang]}</th><th scope="col">${connectorText.lastSeen[lang]}</th><th scope="col">${connectorText.version[lang]}</th>
<th scope="col" class="num">${connectorText.syncLag[lang]}</th><th scope="col" class="num">${connectorText.acks[lang]}</th><th scope="col"><span class="hint">${connectorText.status[lang]}</span></th></tr></thead>
<tbody>${p.connectors.map((c) => html`<tr data-connector="${c.name}">
<td><a href="/admin/connectors/${c.id}">${c.name}</a></td><td>${name(lang, c.service_name_ja, c.service_name_en)}</td>
<td>${statusText[c.status][lang]}</td><td><span class="tag ${healthTag(c.health)}">${healthText[c.health][lang]}</span></td>
<td>${formatDate(lang, c.last_seen_at)}</td><td class="mono">${c.version ?? '—'}</td>
<td class="num">${lag(lang, c)}</td><td class="num">${c.unacked_revocations}${c.acksOverdue ? html` <span class="tag tag-bad">${connectorText.overdue[lang]}</span>` : ''}</td>
<td>${actions(lang, principal, c, false)}</td>
</tr>`)}</tbody></table></div>`}`,
  });
}

export function connectorPage(p: { lang: Lang; principal: AdminPrincipal; connector: ConnectorView & { thumbprint?: string }; notice?: string }): SafeHtml {
  const { lang, principal, connector: c } = p;
  return adminPage({
    lang, title: c.name, path: `/admin/connectors/${c.id}`, principal, area: 'tenant', section: 'connectors',
    body: html`<h1>${c.name}</h1>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
<dl class="props card">
<dt>${connectorText.service[lang]}</dt><dd>${name(lang, c.service_name_ja, c.service_name_en)} <span class="mono">(${c.service_client_id})</span></dd>
<dt>${connectorText.status[lang]}</dt><dd data-testid="connector-status">${statusText[c.status][lang]}</dd>
<dt>${connectorText.health[lang]}</dt><dd><span class="tag ${healthTag(c.health)}">${healthText[c.health][lang]}</span></dd>
<dt>${connectorText.baseUrl[lang]}</dt><dd class="mono">${c.base_url}</dd>
<dt>${connectorText.version[lang]}</dt><dd class="mono">${c.version ?? '—'}</dd>
<dt>${connectorText.lastSeen[lang]}</dt><dd>${formatDate(lang, c.last_seen_at)}</dd>
<dt>${connectorText.syncLag[lang]}</dt><dd>${lag(lang, c)}</dd>
<dt>${connectorText.acks[lang]}</dt><dd>${c.unacked_revocations}${c.oldest_unacked_revocation_at ? ` (${formatDate(lang, c.oldest_unacked_revocation_at)})` : ''}${c.acksOverdue ? html` <span class="tag tag-bad">${connectorText.overdue[lang]}</span>` : ''}</dd>
<dt>${connectorText.thumbprint[lang]}</dt><dd class="mono">${c.thumbprint ?? '—'}</dd>
<dt>${connectorText.registered[lang]}</dt><dd>${formatDate(lang, c.created_at)}</dd>
<dt>${connectorText.changedAt[lang]}</dt><dd>${formatDate(lang, c.status_changed_at)}${c.status_changed_by_login ? ` (${c.status_changed_by_login})` : ''}</dd>
</dl>
${actions(lang, principal, c, true)}
<p><a href="/admin/connectors">${connectorText.back[lang]}</a></p>`,
  });
}
