import { formatMoment, html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { adminPage, csrfField, dataTable, formatDate, name } from '../web/admin.layout';
import { confirmPage } from '../web/confirm.views';
import { healthTag, healthText } from '../../exchange/connectors/connector-health';
import type { ConnectorRow } from '../../exchange/connectors/connectors.repository';
import { type ConnectorAction, type ConnectorDetail, type ConnectorView, TRANSITIONS } from '../../exchange/connectors/connectors.service';
import type { ConnectorRevocationEnforcementView } from '../../exchange/enforcement/connector-revocation-enforcement.service';
import { connectorText, revocationText, statusText } from './connectors.messages';

const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

/**
 * The actions open to a connector in its status. Approve, suspend and resume post at once (each
 * can be undone); revoking cannot, so its button opens the confirmation page.
 */
function actions(lang: Lang, principal: AdminPrincipal, c: ConnectorRow, withReason: boolean): SafeHtml {
  const available = (Object.keys(TRANSITIONS) as ConnectorAction[]).filter((a) => TRANSITIONS[a].from.includes(c.status));
  if (!available.length) return html``;
  return html`<div class="row-actions">${available.map((a) => a === 'revoke'
    ? html`<a class="button danger-secondary" href="/admin/connectors/${c.id}/revoke" aria-label="${connectorText.revoke[lang]}: ${c.name}">${connectorText.revoke[lang]}</a>`
    : html`<form method="post" action="/admin/connectors/${c.id}/${a}" class="inline-form">${csrfField(principal)}
${withReason && a === 'suspend' ? html`<label for="reason-${a}">${connectorText.reason[lang]}</label><input type="text" id="reason-${a}" name="reason" maxlength="500">` : ''}
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
${p.connectors.length === 0 ? html`<p>${connectorText.none[lang]}</p>` : dataTable({
  label: connectorText.list[lang], testId: 'connectors',
  columns: [{ label: connectorText.name[lang] }, { label: connectorText.service[lang] }, { label: connectorText.status[lang] }, { label: connectorText.health[lang] },
    { label: connectorText.lastSeen[lang] }, { label: connectorText.version[lang], mono: true }, { label: connectorText.syncLag[lang], num: true },
    { label: connectorText.acks[lang], num: true }, { label: connectorText.actions[lang], full: true }],
  rows: p.connectors.map((c) => ({
    data: { connector: c.name },
    cells: [html`<a href="/admin/connectors/${c.id}">${c.name}</a>`, name(lang, c.service_name_ja, c.service_name_en), statusText[c.status][lang],
      html`<span class="tag ${healthTag(c.health)}">${healthText[c.health][lang]}</span>`, formatDate(lang, c.last_seen_at), c.version ?? '—', lag(lang, c),
      html`${c.unacked_revocations}${c.acksOverdue ? html` <span class="tag tag-bad">${connectorText.overdue[lang]}</span>` : ''}`, actions(lang, principal, c, false)],
  })),
})}`,
  });
}

/**
 * A revoked connector's grants at the providers: refused everywhere (and since when), or by when
 * at the latest, with each provider's state — what the revoke answer waited for.
 */
function revocationBox(lang: Lang, r: ConnectorRevocationEnforcementView): SafeHtml {
  const x = revocationText;
  const summary = r.complete
    ? (r.connectors.length ? fill(x.complete[lang], { at: formatMoment(lang, r.enforcedAt!) }) : x.nothingHeld[lang])
    : fill((Date.parse(r.enforcedBy) > Date.now() ? x.pending : x.lapsed)[lang], { by: formatMoment(lang, r.enforcedBy) });
  return html`<section class="card" data-testid="revocation-enforcement" data-complete="${String(r.complete)}" data-enforced-by="${r.enforcedBy}" aria-labelledby="revocation-title">
<h2 id="revocation-title">${x.title[lang]}</h2>
<p role="status" data-testid="revocation-summary">${summary}</p>
<dl class="props">
<dt>${x.revokedAt[lang]}</dt><dd>${formatMoment(lang, r.revokedAt)}</dd>
${r.enforcedAt ? html`<dt>${x.enforcedAt[lang]}</dt><dd>${formatMoment(lang, r.enforcedAt)}</dd>` : html`<dt>${x.enforcedBy[lang]}</dt><dd>${formatMoment(lang, r.enforcedBy)}</dd>`}
</dl>
${r.connectors.length ? dataTable({
    label: x.title[lang], testId: 'revocation-providers',
    columns: [{ label: x.provider[lang], full: true }, { label: x.state[lang] }],
    rows: r.connectors.map((c) => ({ data: { state: c.state, connector: c.connectorId }, cells: [c.service[lang], fill(x.states[c.state][lang], { at: formatMoment(lang, c.at) })] })),
  }) : ''}
</section>`;
}

export function connectorPage(p: { lang: Lang; principal: AdminPrincipal; connector: ConnectorDetail; notice?: string }): SafeHtml {
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
${c.revocation ? revocationBox(lang, c.revocation) : ''}
${actions(lang, principal, c, true)}
<p><a href="/admin/connectors">${connectorText.back[lang]}</a></p>`,
  });
}

/** The confirmation step of revoking a connector (final): what stops, and a reason for the audit log. */
export function revokeConfirmPage(p: { lang: Lang; principal: AdminPrincipal; connector: ConnectorDetail }): SafeHtml {
  const { lang, principal, connector: c } = p;
  return confirmPage({
    lang, principal, area: 'tenant', section: 'connectors', path: `/admin/connectors/${c.id}/revoke`, action: 'revoke',
    title: connectorText.revokeTitle[lang], lead: connectorText.revokeLead[lang],
    facts: [
      [connectorText.name[lang], c.name], [connectorText.service[lang], name(lang, c.service_name_ja, c.service_name_en)],
      [connectorText.status[lang], statusText[c.status][lang]], [connectorText.baseUrl[lang], html`<span class="mono">${c.base_url}</span>`],
      [connectorText.thumbprint[lang], html`<span class="mono">${c.thumbprint ?? '—'}</span>`],
    ],
    consequences: [
      connectorText.revokeRequests[lang], connectorText.revokeHeld[lang], connectorText.revokeProvide[lang], connectorText.revokeKey[lang],
      ...(c.status === 'approved' ? [connectorText.revokeSuspend[lang]] : []),
    ],
    button: connectorText.revokeButton[lang], cancel: `/admin/connectors/${c.id}`, reason: connectorText.reason[lang],
    blocked: c.status === 'revoked' ? connectorText.alreadyRevoked[lang] : undefined,
  });
}
