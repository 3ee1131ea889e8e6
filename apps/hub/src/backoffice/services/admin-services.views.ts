import { SERVICE_AUTH_METHODS } from '@tsunagu/contracts';
import { html, type Lang, type Msg, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { adminPage, csrfField, formatDate, name } from '../web/admin.layout';
import type { AdminServiceListRow, AdminServiceRow } from './admin-services.repository';
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
${p.services.length === 0 ? html`<p>${serviceText.none[lang]}</p>` : html`<div class="table-wrap"><table class="data" data-testid="services">
<thead><tr><th scope="col">${serviceText.name[lang]}</th><th scope="col">${serviceText.clientId[lang]}</th><th scope="col">${serviceText.authMethod[lang]}</th>
<th scope="col" class="num">${serviceText.offers[lang]}</th><th scope="col" class="num">${serviceText.uses[lang]}</th><th scope="col" class="num">${serviceText.connectors[lang]}</th></tr></thead>
<tbody>${p.services.map((s) => html`<tr data-service="${s.client_id}">
<td><a href="/admin/services/${s.id}">${name(lang, s.name_ja, s.name_en)}</a>${s.first_party ? html` <span class="tag tag-off">${serviceText.platform[lang]}</span>` : ''}</td>
<td class="mono">${s.client_id}</td><td>${authMethodLabel(lang, s.token_endpoint_auth_method)}</td>
<td class="num">${s.offers}</td><td class="num">${s.uses}</td><td class="num">${s.connectors}</td>
</tr>`)}</tbody></table></div>`}`,
  });
}

export interface ServiceFormValues {
  clientId?: string;
  nameJa?: string;
  nameEn?: string;
  redirectUris?: string;
  postLogoutRedirectUris?: string;
  authMethod?: string;
  jwks?: string;
}

export function serviceFormPage(p: { lang: Lang; principal: AdminPrincipal; service?: AdminServiceRow; values?: ServiceFormValues; error?: { code: string; message: string; details?: { field: string; problem: string }[] } }): SafeHtml {
  const { lang, principal, service } = p;
  const v: ServiceFormValues = p.values ?? (service ? {
    nameJa: service.name_ja, nameEn: service.name_en, redirectUris: service.redirect_uris.join('\n'), postLogoutRedirectUris: service.post_logout_redirect_uris.join('\n'),
    authMethod: service.token_endpoint_auth_method, jwks: service.jwks ? JSON.stringify(service.jwks, null, 2) : '',
  } : { authMethod: 'client_secret_basic' });
  const title = service ? serviceText.editTitle[lang] : serviceText.newTitle[lang];
  const action = service ? `/admin/services/${service.id}` : '/admin/services';
  return adminPage({
    lang, title, path: service ? `/admin/services/${service.id}/edit` : '/admin/services/new', principal, area: 'tenant', section: 'services',
    body: html`<h1>${title}</h1>
${p.error ? html`<div class="alert" role="alert" data-error-code="${p.error.code}"><p>${p.error.message}</p>${p.error.details?.length ? html`<ul>${p.error.details.map((d) => html`<li>${d.problem}</li>`)}</ul>` : ''}</div>` : ''}
<form method="post" action="${action}">
${csrfField(principal)}
${service ? html`<p><strong>${serviceText.clientId[lang]}:</strong> <span class="mono">${service.client_id}</span></p>` : html`<label for="clientId">${serviceText.clientId[lang]}</label>
<p class="hint" id="client-hint">${serviceText.clientIdHint[lang]}</p>
<input type="text" id="clientId" name="clientId" required minlength="3" maxlength="64" pattern="[a-z0-9][a-z0-9._\\-]{2,63}" aria-describedby="client-hint" value="${v.clientId ?? ''}" autocapitalize="none" spellcheck="false">`}
<label for="nameJa">${serviceText.nameJa[lang]}</label>
<input type="text" id="nameJa" name="nameJa" required maxlength="100" value="${v.nameJa ?? ''}">
<label for="nameEn">${serviceText.nameEn[lang]}</label>
<input type="text" id="nameEn" name="nameEn" required maxlength="100" value="${v.nameEn ?? ''}" lang="en">
<label for="redirectUris">${serviceText.redirectUris[lang]}</label>
<p class="hint" id="redirect-hint">${serviceText.redirectHint[lang]}</p>
<textarea id="redirectUris" name="redirectUris" rows="3" required maxlength="20000" aria-describedby="redirect-hint" spellcheck="false">${v.redirectUris ?? ''}</textarea>
<label for="postLogoutRedirectUris">${serviceText.logoutUris[lang]}</label>
<textarea id="postLogoutRedirectUris" name="postLogoutRedirectUris" rows="2" maxlength="20000" spellcheck="false">${v.postLogoutRedirectUris ?? ''}</textarea>
<fieldset><legend>${serviceText.authMethod[lang]}</legend>
${SERVICE_AUTH_METHODS.map((m) => html`<label class="check"><input type="radio" name="authMethod" value="${m}"${v.authMethod === m ? html` checked` : ''}> ${authMethodText[m][lang]}</label>`)}
</fieldset>
<label for="jwks">${serviceText.jwks[lang]}</label>
<p class="hint" id="jwks-hint">${serviceText.jwksHint[lang]}</p>
<textarea id="jwks" name="jwks" rows="4" maxlength="16000" aria-describedby="jwks-hint" spellcheck="false">${v.jwks ?? ''}</textarea>
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
<dt>${serviceText.authMethod[lang]}</dt><dd>${authMethodLabel(lang, s.token_endpoint_auth_method)}</dd>
<dt>${serviceText.secret[lang]}</dt><dd>${s.has_secret ? serviceText.secretSet[lang] : serviceText.secretNone[lang]}</dd>
${s.jwks ? html`<dt>${serviceText.keys[lang]}</dt><dd class="mono">${s.jwks.keys.map((k) => html`${String(k.kty)} ${k.kid ? `kid=${String(k.kid)}` : ''}<br>`)}</dd>` : ''}
<dt>${serviceText.sector[lang]}</dt><dd class="mono">${s.sector_identifier} (${s.subject_type})</dd>
<dt>${serviceText.grants[lang]}</dt><dd class="mono">${s.grant_types.join(', ')}</dd>
<dt>${serviceText.scopes[lang]}</dt><dd class="mono">${s.scopes.join(' ')}</dd>
<dt>${serviceText.activeConsents[lang]}</dt><dd data-testid="active-consents">${detail.activeConsents}</dd>
<dt>${serviceText.createdAt[lang]}</dt><dd>${formatDate(lang, s.created_at, false)}</dd>
</dl>
${s.first_party ? html`<p class="notice">${serviceText.platform[lang]}</p>` : html`<div class="actions">
<a class="button secondary" href="${base}/edit">${serviceText.edit[lang]}</a>
${usesSecret(s.token_endpoint_auth_method) ? html`<form method="post" action="${base}/secret">${csrfField(principal)}<button class="button secondary" type="submit">${serviceText.rotate[lang]}</button></form>` : ''}
</div>`}
<h2>${serviceText.offers[lang]}</h2>
<p class="hint">${serviceText.catalogNote[lang]}</p>
${detail.offers.length === 0 ? html`<p>${serviceText.none[lang]}</p>` : html`<div class="table-wrap"><table class="data">
<thead><tr><th scope="col">${serviceText.code[lang]}</th><th scope="col">${serviceText.name[lang]}</th><th scope="col">${serviceText.specialCare[lang]}</th><th scope="col">${serviceText.status[lang]}</th></tr></thead>
<tbody>${detail.offers.map((o) => html`<tr><td class="mono">${o.code}</td><td>${name(lang, o.name_ja, o.name_en)}</td><td>${o.special_care ? '✓' : ''}</td><td>${o.active ? serviceText.active[lang] : '—'}</td></tr>`)}</tbody></table></div>`}
<h2>${serviceText.uses[lang]}</h2>
${detail.uses.length === 0 ? html`<p>${serviceText.none[lang]}</p>` : html`<div class="table-wrap"><table class="data">
<thead><tr><th scope="col">${serviceText.code[lang]}</th><th scope="col">${serviceText.name[lang]}</th><th scope="col">${serviceText.purpose[lang]}</th><th scope="col">${serviceText.items[lang]}</th><th scope="col" class="num">${serviceText.revision[lang]}</th></tr></thead>
<tbody>${detail.uses.map((u) => html`<tr><td class="mono">${u.code}</td><td>${name(lang, u.title_ja, u.title_en)}</td><td>${name(lang, u.purpose_ja, u.purpose_en)}</td><td class="mono">${u.items.join(', ')}</td><td class="num">${u.revision}</td></tr>`)}</tbody></table></div>`}
${s.first_party ? '' : html`<h2>${serviceText.delete[lang]}</h2>
<p>${serviceText.deleteHint[lang]}</p>
<p><a class="button secondary" href="${base}/delete">${serviceText.delete[lang]}</a></p>`}`,
  });
}

/** The confirmation step before deleting: what will happen, and whether it is possible now. */
export function deleteConfirmPage(p: { lang: Lang; principal: AdminPrincipal; detail: ServiceDetail }): SafeHtml {
  const { lang, principal, detail } = p;
  const s = detail.service;
  const base = `/admin/services/${s.id}`;
  return adminPage({
    lang, title: serviceText.confirmTitle[lang], path: `${base}/delete`, principal, area: 'tenant', section: 'services',
    body: html`<h1>${serviceText.confirmTitle[lang]}</h1>
<p>${serviceText.confirmLead[lang]}</p>
<dl class="props card">
<dt>${serviceText.name[lang]}</dt><dd>${name(lang, s.name_ja, s.name_en)}</dd>
<dt>${serviceText.clientId[lang]}</dt><dd class="mono">${s.client_id}</dd>
<dt>${serviceText.activeConsents[lang]}</dt><dd>${detail.activeConsents}</dd>
</dl>
<p>${serviceText.deleteHint[lang]}</p>
${detail.activeConsents > 0 ? html`<div class="alert" role="alert">${serviceText.blocked[lang]}</div>` : ''}
<div class="actions">
<form method="post" action="${base}/delete">${csrfField(principal)}<button class="button" type="submit"${detail.activeConsents > 0 ? html` disabled` : ''}>${serviceText.confirmDelete[lang]}</button></form>
<a class="button secondary" href="${base}">${serviceText.cancel[lang]}</a>
</div>`,
  });
}
