import { AGREEMENT_STATE_LABELS, type ConsentsEnforcementSummary } from '@tsunagu/contracts';
import { html, type Lang, type Msg, type SafeHtml } from '@tsunagu/web';
import type { AgreementRow } from '../../catalog/agreements.repository';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { adminPage, codeDetails, csrfField, dataTable, formatDate, name } from '../web/admin.layout';
import { confirmPage } from '../web/confirm.views';
import type { AgreementDetail } from './agreements-admin.service';
import { agreementEventText, agreementText as t } from './agreements.messages';
import type { ItemNames } from './data-uses-admin.service';
import { agreementStateTag, itemList, revisionsTable } from './data-uses.views';
import { enforcementNotice } from './enforcement.views';

const fill = (m: Msg, lang: Lang, v: Record<string, string | number>) => m[lang].replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? ''));

export function agreementsPage(p: { lang: Lang; principal: AdminPrincipal; incoming: AgreementRow[]; outgoing: AgreementRow[]; names: ItemNames }): SafeHtml {
  const { lang, principal, names } = p;
  return adminPage({
    lang, title: t.title[lang], path: '/admin/agreements', principal, area: 'tenant', section: 'agreements',
    body: html`<h1>${t.title[lang]}</h1>
<p>${t.lead[lang]}</p>
<h2>${t.incoming[lang]}</h2>
<p class="hint">${t.incomingLead[lang]}</p>
${p.incoming.length === 0 ? html`<p>${t.none[lang]}</p>` : dataTable({
  label: t.incoming[lang], testId: 'incoming',
  columns: [{ label: t.consumer[lang] }, { label: t.dataUse[lang] }, { label: t.purpose[lang], full: true }, { label: t.retention[lang] },
    { label: t.requestedItems[lang], full: true }, { label: t.state[lang] }],
  rows: p.incoming.map((a) => ({
    data: { agreement: a.id, state: a.state, use: a.data_use_code },
    cells: [html`${name(lang, a.consumer_tenant_name_ja, a.consumer_tenant_name_en)}<br>${name(lang, a.consumer_service_name_ja, a.consumer_service_name_en)}`,
      html`<a href="/admin/agreements/${a.id}">${name(lang, a.data_use_title_ja, a.data_use_title_en)}</a>`, name(lang, a.purpose_ja, a.purpose_en),
      fill(t.days, lang, { n: a.retention_days }), itemList(lang, a.requested_items, names, t.unknownItem), agreementStateTag(lang, a.state)],
  })),
})}
<h2>${t.outgoing[lang]}</h2>
${p.outgoing.length === 0 ? html`<p>${t.none[lang]}</p>` : dataTable({
  label: t.outgoing[lang], testId: 'outgoing',
  columns: [{ label: t.dataUse[lang] }, { label: t.provider[lang] }, { label: t.requestedItems[lang], full: true }, { label: t.approvedItems[lang], full: true }, { label: t.state[lang] }],
  rows: p.outgoing.map((a) => ({
    data: { agreement: a.id, state: a.state, use: a.data_use_code },
    cells: [html`<a href="/admin/agreements/${a.id}">${name(lang, a.data_use_title_ja, a.data_use_title_en)}</a>`, name(lang, a.provider_tenant_name_ja, a.provider_tenant_name_en),
      itemList(lang, a.requested_items, names, t.unknownItem), itemList(lang, a.items, names, t.unknownItem), agreementStateTag(lang, a.state)],
  })),
})}`,
  });
}

/** One decision's form: a button, with a reason field when the decision needs one. */
function decisionForm(o: { lang: Lang; principal: AdminPrincipal; base: string; action: 'approve' | 'reject' | 'suspend' | 'resume'; label: Msg; lead: Msg; reason: boolean; danger?: boolean; error?: string; reasonValue?: string }): SafeHtml {
  const { lang } = o;
  return html`<form method="post" action="${o.base}/${o.action}" class="card" data-testid="decide-${o.action}">
${csrfField(o.principal)}
<p>${o.lead[lang]}</p>
${o.error ? html`<p class="field-error" id="${o.action}-reason-error">${o.error}</p>` : ''}
${o.reason ? html`<label for="${o.action}-reason">${t.reasonLabel[lang]}</label>
<textarea id="${o.action}-reason" name="reason" rows="2" maxlength="500" required${o.error ? html` aria-invalid="true" aria-describedby="${o.action}-reason-error"` : ''}>${o.reasonValue ?? ''}</textarea>` : ''}
<div class="actions"><button class="button${o.danger ? ' danger' : ''}" type="submit">${o.label[lang]}</button></div>
</form>`;
}

export function agreementPage(p: {
  lang: Lang; principal: AdminPrincipal; detail: AgreementDetail; notice?: string; failed?: { action: string; code: string; message: string; reason?: string };
}): SafeHtml {
  const { lang, principal, detail } = p;
  const a = detail.agreement;
  const base = `/admin/agreements/${a.id}`;
  const title = `${t.detailTitle[lang]}: ${name(lang, a.data_use_title_ja, a.data_use_title_en)}`;
  const err = (action: string) => (p.failed?.action === action ? p.failed.message : undefined);
  const kept = (action: string) => (p.failed?.action === action ? p.failed.reason : undefined);
  const provider = detail.side === 'provider';
  const open = a.data_use_status !== 'retired';
  const forms = provider ? [
    a.state === 'pending' && open ? decisionForm({ lang, principal, base, action: 'approve', label: t.approve, lead: t.approveLead, reason: false, error: err('approve') }) : '',
    a.state === 'pending' && open ? decisionForm({ lang, principal, base, action: 'reject', label: t.reject, lead: t.rejectLead, reason: true, error: err('reject'), reasonValue: kept('reject') }) : '',
    a.state === 'approved' && open ? decisionForm({ lang, principal, base, action: 'suspend', label: t.suspend, lead: t.suspendLead, reason: true, danger: true, error: err('suspend'), reasonValue: kept('suspend') }) : '',
    a.state === 'suspended' && open ? decisionForm({ lang, principal, base, action: 'resume', label: t.resume, lead: t.resumeLead, reason: false, error: err('resume') }) : '',
    a.state !== 'retired' ? html`<div class="card"><p>${t.retireLead[lang]}</p><div class="actions"><a class="button danger-secondary" href="${base}/retire" data-testid="retire-link">${t.retire[lang]}</a></div></div>` : '',
  ] : [];
  return adminPage({
    lang, title, path: base, principal, area: 'tenant', section: 'agreements',
    body: html`<h1>${title}</h1>
${p.notice ? html`<div class="success" role="status" data-testid="notice">${p.notice}</div>` : ''}
${p.failed ? html`<div class="alert" role="alert" data-error-code="${p.failed.code}"><p>${p.failed.message}</p>${codeDetails(lang, p.failed.code)}</div>` : ''}
<dl class="props card" data-testid="agreement-summary">
<dt>${t.state[lang]}</dt><dd data-testid="agreement-state">${agreementStateTag(lang, a.state)}</dd>
<dt>${t.provider[lang]}</dt><dd>${name(lang, a.provider_tenant_name_ja, a.provider_tenant_name_en)}</dd>
<dt>${t.consumer[lang]}</dt><dd>${name(lang, a.consumer_tenant_name_ja, a.consumer_tenant_name_en)} — ${name(lang, a.consumer_service_name_ja, a.consumer_service_name_en)}</dd>
<dt>${t.dataUse[lang]}</dt><dd>${name(lang, a.data_use_title_ja, a.data_use_title_en)}${codeDetails(lang, a.data_use_code)}</dd>
<dt>${t.purpose[lang]}</dt><dd>${name(lang, a.purpose_ja, a.purpose_en)}</dd>
<dt>${t.retention[lang]}</dt><dd>${fill(t.days, lang, { n: a.retention_days })}</dd>
<dt>${t.requestedItems[lang]}</dt><dd>${itemList(lang, a.requested_items, detail.names, t.unknownItem)}</dd>
<dt>${t.approvedItems[lang]}</dt><dd>${itemList(lang, a.items, detail.names, t.unknownItem)}</dd>
<dt>${t.revision[lang]}</dt><dd>${a.requested_revision}</dd>
<dt>${t.reason[lang]}</dt><dd>${a.reason ?? '—'}</dd>
<dt>${t.decidedBy[lang]}</dt><dd>${a.decided_by_login ?? '—'}</dd>
<dt>${t.decidedAt[lang]}</dt><dd>${formatDate(lang, a.decided_at)}</dd>
</dl>
${open ? '' : html`<p class="notice">${t.dataUseRetired[lang]}</p>`}
${provider ? html`<h2>${t.decide[lang]}</h2>${forms}` : html`<p class="notice" data-testid="consumer-view">${t.consumerView[lang]}</p>`}
<h2>${t.termsHistory[lang]}</h2>
${revisionsTable(lang, detail.revisions, detail.names)}
<h2>${t.history[lang]}</h2>
${dataTable({
  label: t.history[lang], testId: 'agreement-history',
  columns: [{ label: t.when[lang] }, { label: t.action[lang] }, { label: t.items[lang], full: true }, { label: t.revision[lang], num: true }, { label: t.reason[lang] }, { label: t.who[lang] }, { label: t.tenant[lang] }],
  rows: detail.history.map((e) => ({
    data: { action: e.action },
    cells: [formatDate(lang, e.created_at), agreementEventText[e.action]?.[lang] ?? e.action, itemList(lang, e.items, detail.names, t.unknownItem), e.revision, e.reason ?? '—',
      e.actor_login ?? '—', e.actor_tenant_name_ja ? name(lang, e.actor_tenant_name_ja, e.actor_tenant_name_en) : '—'],
  })),
})}`,
  });
}

/** The confirmation step before retiring an agreement (the provider's; a reason is required). */
export function retireAgreementPage(p: { lang: Lang; principal: AdminPrincipal; detail: AgreementDetail; error?: string; reason?: string }): SafeHtml {
  const { lang, principal, detail } = p;
  const a = detail.agreement;
  const base = `/admin/agreements/${a.id}`;
  return confirmPage({
    lang, principal, area: 'tenant', section: 'agreements', path: `${base}/retire`, action: 'retire',
    title: t.retireTitle[lang], lead: t.retireConfirmLead[lang],
    facts: [[t.dataUse[lang], name(lang, a.data_use_title_ja, a.data_use_title_en)], [t.consumer[lang], `${name(lang, a.consumer_tenant_name_ja, a.consumer_tenant_name_en)} — ${name(lang, a.consumer_service_name_ja, a.consumer_service_name_en)}`],
      [t.approvedItems[lang], itemList(lang, a.items, detail.names, t.unknownItem)], [t.state[lang], agreementStateTag(lang, a.state)]],
    consequences: [t.retireStops[lang], t.retireConsents[lang], t.retireConsumer[lang]],
    button: t.retireButton[lang], cancel: base, reason: t.reasonLabel[lang], reasonRequired: true, error: p.error, reasonValue: p.reason,
    blocked: detail.side !== 'provider' ? t.consumerView[lang] : a.state === 'retired' ? `${t.state[lang]}: ${AGREEMENT_STATE_LABELS.retired[lang]}` : undefined,
  });
}

/** The notice after a decision: a suspension or retirement also says how the consents it changed were enforced. */
export function decidedNotice(lang: Lang, decision: string, consentsChanged: number, enforcement?: ConsentsEnforcementSummary | null): string {
  switch (decision) {
    case 'approve': return t.approved[lang];
    case 'reject': return t.rejected[lang];
    case 'resume': return t.resumed[lang];
    case 'suspend': return `${fill(t.suspended, lang, { n: consentsChanged })}${enforcementNotice(lang, enforcement)}`;
    default: return `${fill(t.retired, lang, { n: consentsChanged })}${enforcementNotice(lang, enforcement)}`;
  }
}
