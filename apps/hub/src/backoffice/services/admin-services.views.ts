import type { DomainException } from '@tsunagu/common';
import { ADMIN_ERROR_MESSAGES, ADMIN_ERROR_MESSAGES_WITH_VALUE, SERVICE_AUTH_METHODS } from '@tsunagu/contracts';
import { html, type Lang, type Msg, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { type FormFields, formErrorView } from '../web/admin-forms';
import { adminPage, codeDetails, csrfField, dataTable, formatDate, name } from '../web/admin.layout';
import { confirmPage } from '../web/confirm.views';
import { errorSummary, fieldAria, fieldError } from '../web/form.views';
import type { AdminServiceListRow, AdminServiceRow, UseLine } from './admin-services.repository';
import type { ServiceDetail } from './admin-services.service';
import { usesSecret } from './service-settings';
import { authMethodText, serviceText } from './services.messages';

/** A stored auth method as staff read it (the raw value if the table does not know it). */
function authMethodLabel(lang: Lang, method: string): string {
  return (authMethodText as Record<string, Msg | undefined>)[method]?.[lang] ?? method;
}

function notice(p: { notice?: string }): SafeHtml | '' {
  return p.notice ? html`<div class="success" role="status">${p.notice}</div>` : '';
}

export function servicesPage(p: { lang: Lang; principal: AdminPrincipal; services: AdminServiceListRow[]; notice?: string }): SafeHtml {
  const { lang, principal } = p;
  return adminPage({
    lang, title: serviceText.title[lang], path: '/admin/services', principal, area: 'tenant', section: 'services',
    body: html`<h1>${serviceText.title[lang]}</h1>
<p>${serviceText.lead[lang]}</p>
${notice(p)}
<div class="actions"><a class="button" href="/admin/services/new">${serviceText.add[lang]}</a></div>
${p.services.length === 0 ? html`<p>${serviceText.none[lang]}</p>` : dataTable({
  label: serviceText.list[lang], testId: 'services',
  columns: [{ label: serviceText.name[lang] }, { label: serviceText.clientId[lang], mono: true }, { label: serviceText.authMethod[lang] },
    { label: serviceText.offers[lang], num: true }, { label: serviceText.uses[lang], num: true }, { label: serviceText.connectors[lang], num: true }],
  rows: p.services.map((s) => ({
    data: { service: s.client_id },
    cells: [html`<a href="/admin/services/${s.id}">${name(lang, s.name_ja, s.name_en)}</a>${s.first_party ? html` <span class="tag tag-off">${serviceText.platform[lang]}</span>` : ''}`,
      s.client_id, authMethodLabel(lang, s.token_endpoint_auth_method), s.offers, s.uses, s.connectors],
  })),
})}`,
  });
}

export interface ServiceFormValues {
  clientId?: string;
  nameJa?: string;
  nameEn?: string;
  redirectUris?: string;
  postLogoutRedirectUris?: string;
  backchannelLogoutUri?: string;
  authMethod?: string;
  jwks?: string;
}

/** The service form's fields as the admin reads them (for the messages of a refused form). */
const serviceFields: FormFields = {
  clientId: { label: serviceText.clientId, hint: serviceText.clientIdHint }, nameJa: { label: serviceText.nameJa }, nameEn: { label: serviceText.nameEn },
  redirectUris: { label: serviceText.redirectUris, hint: serviceText.redirectHint }, postLogoutRedirectUris: { label: serviceText.logoutUris, hint: serviceText.redirectHint },
  backchannelLogoutUri: { label: serviceText.backchannelLogoutUri, hint: serviceText.backchannelHint },
  authMethod: { label: serviceText.authMethod }, jwks: { label: serviceText.jwks, hint: serviceText.jwksHint },
};

export function serviceFormPage(p: { lang: Lang; principal: AdminPrincipal; service?: AdminServiceRow; values?: ServiceFormValues; error?: DomainException }): SafeHtml {
  const { lang, principal, service } = p;
  const e = p.error ? formErrorView(p.error, lang, serviceFields) : undefined;
  const v: ServiceFormValues = p.values ?? (service ? {
    nameJa: service.name_ja, nameEn: service.name_en, redirectUris: service.redirect_uris.join('\n'), postLogoutRedirectUris: service.post_logout_redirect_uris.join('\n'),
    backchannelLogoutUri: service.backchannel_logout_uri ?? '',
    authMethod: service.token_endpoint_auth_method, jwks: service.jwks ? JSON.stringify(service.jwks, null, 2) : '',
  } : { authMethod: 'client_secret_basic' });
  const title = service ? serviceText.editTitle[lang] : serviceText.newTitle[lang];
  const action = service ? `/admin/services/${service.id}` : '/admin/services';
  return adminPage({
    lang, title, path: service ? `/admin/services/${service.id}/edit` : '/admin/services/new', principal, area: 'tenant', section: 'services',
    body: html`<h1>${title}</h1>
${errorSummary(lang, e)}
<form method="post" action="${action}" novalidate>
${csrfField(principal)}
${service ? html`<p><strong>${serviceText.clientId[lang]}:</strong> <span class="mono">${service.client_id}</span></p>` : html`<label for="clientId">${serviceText.clientId[lang]}</label>
<p class="hint" id="client-hint">${serviceText.clientIdHint[lang]}</p>${fieldError(e, 'clientId')}
<input type="text" id="clientId" name="clientId" required minlength="3" maxlength="64" pattern="[a-z0-9][a-z0-9._\\-]{2,63}"${fieldAria(e, 'clientId', 'client-hint')} value="${v.clientId ?? ''}" autocapitalize="none" spellcheck="false">`}
<label for="nameJa">${serviceText.nameJa[lang]}</label>${fieldError(e, 'nameJa')}
<input type="text" id="nameJa" name="nameJa" required maxlength="100"${fieldAria(e, 'nameJa')} value="${v.nameJa ?? ''}">
<label for="nameEn">${serviceText.nameEn[lang]}</label>${fieldError(e, 'nameEn')}
<input type="text" id="nameEn" name="nameEn" required maxlength="100"${fieldAria(e, 'nameEn')} value="${v.nameEn ?? ''}" lang="en">
<label for="redirectUris">${serviceText.redirectUris[lang]}</label>
<p class="hint" id="redirect-hint">${serviceText.redirectHint[lang]}</p>${fieldError(e, 'redirectUris')}
<textarea id="redirectUris" name="redirectUris" rows="3" required maxlength="20000"${fieldAria(e, 'redirectUris', 'redirect-hint')} spellcheck="false">${v.redirectUris ?? ''}</textarea>
<label for="postLogoutRedirectUris">${serviceText.logoutUris[lang]}</label>${fieldError(e, 'postLogoutRedirectUris')}
<textarea id="postLogoutRedirectUris" name="postLogoutRedirectUris" rows="2" maxlength="20000"${fieldAria(e, 'postLogoutRedirectUris')} spellcheck="false">${v.postLogoutRedirectUris ?? ''}</textarea>
<label for="backchannelLogoutUri">${serviceText.backchannelLogoutUri[lang]}</label>
<p class="hint" id="backchannel-hint">${serviceText.backchannelHint[lang]}</p>${fieldError(e, 'backchannelLogoutUri')}
<input type="url" id="backchannelLogoutUri" name="backchannelLogoutUri" maxlength="2000"${fieldAria(e, 'backchannelLogoutUri', 'backchannel-hint')} value="${v.backchannelLogoutUri ?? ''}" autocapitalize="none" spellcheck="false">
<fieldset id="authMethod"><legend>${serviceText.authMethod[lang]}</legend>${fieldError(e, 'authMethod')}
${SERVICE_AUTH_METHODS.map((m) => html`<label class="check"><input type="radio" name="authMethod" value="${m}"${v.authMethod === m ? html` checked` : ''}> ${authMethodText[m][lang]}</label>`)}
</fieldset>
<label for="jwks">${serviceText.jwks[lang]}</label>
<p class="hint" id="jwks-hint">${serviceText.jwksHint[lang]}</p>${fieldError(e, 'jwks')}
<textarea id="jwks" name="jwks" rows="4" maxlength="16000"${fieldAria(e, 'jwks', 'jwks-hint')} spellcheck="false">${v.jwks ?? ''}</textarea>
<div class="actions"><button class="button" type="submit">${service ? serviceText.save[lang] : serviceText.register[lang]}</button>
<a class="button secondary" href="${service ? `/admin/services/${service.id}` : '/admin/services'}">${serviceText.cancel[lang]}</a></div>
</form>`,
  });
}

export function servicePage(p: { lang: Lang; principal: AdminPrincipal; detail: ServiceDetail; secret?: string; rotated?: boolean; notice?: string }): SafeHtml {
  const { lang, principal, detail } = p;
  const s = detail.service;
  const base = `/admin/services/${s.id}`;
  return adminPage({
    lang, title: name(lang, s.name_ja, s.name_en), path: base, principal, area: 'tenant', section: 'services',
    body: html`<h1>${name(lang, s.name_ja, s.name_en)}</h1>
${notice(p)}
${p.secret ? html`<section class="card" aria-labelledby="secret-title" data-testid="client-secret"><h2 id="secret-title">${serviceText.secretTitle[lang]}</h2>
<div class="notice" role="note">${serviceText.secretLead[lang]}${p.rotated ? html` ${serviceText.secretRotated[lang]}` : ''}</div><p class="secret" data-testid="secret-value">${p.secret}</p></section>` : ''}
<h2>${serviceText.settings[lang]}</h2>
<dl class="props card">
<dt>${serviceText.clientId[lang]}</dt><dd class="mono">${s.client_id}</dd>
<dt>${serviceText.nameJa[lang]}</dt><dd>${s.name_ja}</dd>
<dt>${serviceText.nameEn[lang]}</dt><dd lang="en">${s.name_en}</dd>
<dt>${serviceText.redirectUris[lang]}</dt><dd class="mono">${s.redirect_uris.map((u) => html`${u}<br>`)}</dd>
<dt>${serviceText.logoutUris[lang]}</dt><dd class="mono">${s.post_logout_redirect_uris.length ? s.post_logout_redirect_uris.map((u) => html`${u}<br>`) : '—'}</dd>
<dt>${serviceText.backchannelLogoutUri[lang]}</dt><dd class="mono">${s.backchannel_logout_uri ?? '—'}</dd>
<dt>${serviceText.authMethod[lang]}</dt><dd>${authMethodLabel(lang, s.token_endpoint_auth_method)}</dd>
<dt>${serviceText.secret[lang]}</dt><dd>${s.has_secret ? serviceText.secretSet[lang] : serviceText.secretNone[lang]}</dd>
${s.jwks ? html`<dt>${serviceText.keys[lang]}</dt><dd class="mono">${s.jwks.keys.map((k) => html`${String(k.kty)} ${k.kid ? `kid=${String(k.kid)}` : ''}<br>`)}</dd>` : ''}
<dt>${serviceText.sector[lang]}</dt><dd class="mono">${s.sector_identifier} (${s.subject_type})</dd>
<dt>${serviceText.grants[lang]}</dt><dd class="mono">${s.grant_types.join(', ')}</dd>
<dt>${serviceText.scopes[lang]}</dt><dd class="mono">${s.scopes.join(' ')}</dd>
<dt>${serviceText.activeConsents[lang]}</dt><dd data-testid="active-consents">${detail.activeConsents}</dd>
<dt>${serviceText.createdAt[lang]}</dt><dd>${formatDate(lang, s.created_at, false)}</dd>
</dl>
${s.first_party ? html`<p class="notice">${serviceText.platformManaged[lang]}</p>` : html`<div class="actions">
<a class="button secondary" href="${base}/edit">${serviceText.edit[lang]}</a>
${usesSecret(s.token_endpoint_auth_method) ? html`<a class="button secondary" href="${base}/secret">${serviceText.rotate[lang]}</a>` : ''}
</div>`}
<h2>${serviceText.offers[lang]}</h2>
<p class="hint">${serviceText.catalogNote[lang]}</p>
${detail.offers.length === 0 ? html`<p>${serviceText.none[lang]}</p>` : dataTable({
  label: serviceText.offers[lang], testId: 'service-offers',
  columns: [{ label: serviceText.name[lang] }, { label: serviceText.specialCare[lang] }, { label: serviceText.status[lang] }],
  rows: detail.offers.map((o) => ({ data: { offer: o.code }, cells: [html`${name(lang, o.name_ja, o.name_en)}${codeDetails(lang, o.code)}`, o.special_care ? serviceText.yes[lang] : serviceText.no[lang], o.active ? serviceText.active[lang] : serviceText.ended[lang]] })),
})}
<h2>${serviceText.uses[lang]}</h2>
${detail.uses.length === 0 ? html`<p>${serviceText.none[lang]}</p>` : dataTable({
  label: serviceText.uses[lang], testId: 'service-uses',
  columns: [{ label: serviceText.name[lang] }, { label: serviceText.purpose[lang] }, { label: serviceText.items[lang], full: true }, { label: serviceText.revision[lang], num: true }],
  rows: detail.uses.map((u) => ({
    data: { use: u.code },
    cells: [html`${name(lang, u.title_ja, u.title_en)}${codeDetails(lang, u.code)}`, name(lang, u.purpose_ja, u.purpose_en),
      html`${itemNames(lang, u)}${codeDetails(lang, u.items.join(', '))}`, u.revision],
  })),
})}
${s.first_party ? '' : html`<h2>${serviceText.deleteTitle[lang]}</h2>
<p>${serviceText.deleteHint[lang]}</p>
<p><a class="button danger-secondary" href="${base}/delete">${serviceText.delete[lang]}</a></p>`}`,
  });
}

/** A data use's items by their offers' names (the codes stay under 「詳細」). */
function itemNames(lang: Lang, u: UseLine): string {
  const names = new Map(u.item_names.map((i) => [i.code, name(lang, i.name_ja, i.name_en)]));
  return u.items.map((code) => names.get(code) ?? serviceText.unknownItem[lang]).join('、');
}

/** The confirmation step before deleting: what will happen, and whether it is possible now. */
export function deleteConfirmPage(p: { lang: Lang; principal: AdminPrincipal; detail: ServiceDetail & { connectors: number; permissions: number } }): SafeHtml {
  const { lang, principal, detail } = p;
  const s = detail.service;
  const base = `/admin/services/${s.id}`;
  const fill = (m: Msg, v: Record<string, string | number>) => m[lang].replace(/\{(\w+)\}/g, (_, k: string) => String(v[k]));
  return confirmPage({
    lang, principal, area: 'tenant', section: 'services', path: `${base}/delete`, action: 'delete',
    title: serviceText.confirmTitle[lang], lead: serviceText.confirmLead[lang],
    facts: [[serviceText.name[lang], name(lang, s.name_ja, s.name_en)], [serviceText.clientId[lang], html`<span class="mono">${s.client_id}</span>`], [serviceText.activeConsents[lang], detail.activeConsents]],
    consequences: [
      serviceText.deleteSignIn[lang], serviceText.deleteExchange[lang], fill(serviceText.deleteConnectors, { count: detail.connectors }),
      fill(serviceText.deletePermissions, { count: detail.permissions }), fill(serviceText.deleteClientId, { clientId: s.client_id }), serviceText.deleteHistory[lang],
    ],
    button: serviceText.confirmDelete[lang], cancel: base,
    blocked: s.first_party ? serviceText.platformManaged[lang]
      : detail.activeConsents > 0 ? ADMIN_ERROR_MESSAGES_WITH_VALUE.service_has_active_consents(detail.activeConsents)[lang] : undefined,
  });
}

/** The confirmation step before a new client secret: the current one stops working at once. */
export function rotateConfirmPage(p: { lang: Lang; principal: AdminPrincipal; detail: ServiceDetail }): SafeHtml {
  const { lang, principal } = p;
  const s = p.detail.service;
  const base = `/admin/services/${s.id}`;
  return confirmPage({
    lang, principal, area: 'tenant', section: 'services', path: `${base}/secret`, action: 'rotate',
    title: serviceText.rotateTitle[lang], lead: serviceText.rotateLead[lang],
    facts: [[serviceText.name[lang], name(lang, s.name_ja, s.name_en)], [serviceText.clientId[lang], html`<span class="mono">${s.client_id}</span>`], [serviceText.authMethod[lang], authMethodLabel(lang, s.token_endpoint_auth_method)]],
    consequences: [serviceText.rotateNew[lang], serviceText.rotateOld[lang], serviceText.rotateVendor[lang]],
    button: serviceText.rotateButton[lang], cancel: base,
    blocked: s.first_party ? serviceText.platformManaged[lang] : !usesSecret(s.token_endpoint_auth_method) ? ADMIN_ERROR_MESSAGES.secret_not_used[lang] : undefined,
  });
}
