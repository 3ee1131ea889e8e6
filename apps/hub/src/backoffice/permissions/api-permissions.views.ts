import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { adminPage, csrfField, formatDate, name } from '../web/admin.layout';
import type { ConsumerChoice, OfferChoice, PermissionRow } from '../../tenancy/permissions/api-permissions.repository';
import { permissionText } from './permissions.messages';

export function permissionsPage(p: { lang: Lang; principal: AdminPrincipal; permissions: PermissionRow[]; consumers: ConsumerChoice[]; offers: OfferChoice[]; notice?: string }): SafeHtml {
  const { lang, principal } = p;
  return adminPage({
    lang, title: permissionText.title[lang], path: '/admin/permissions', principal, area: 'tenant', section: 'permissions',
    body: html`<h1>${permissionText.title[lang]}</h1>
<p>${permissionText.lead[lang]}</p>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
${p.permissions.length === 0 ? html`<p>${permissionText.none[lang]}</p>` : html`<div class="table-wrap"><table class="data" data-testid="permissions">
<thead><tr><th scope="col">${permissionText.consumer[lang]}</th><th scope="col">${permissionText.offer[lang]}</th><th scope="col">${permissionText.provider[lang]}</th>
<th scope="col">${permissionText.grantedBy[lang]}</th><th scope="col">${permissionText.since[lang]}</th><th scope="col"><span class="hint">${permissionText.revoke[lang]}</span></th></tr></thead>
<tbody>${p.permissions.map((x) => html`<tr data-permission="${x.consumer_client_id}:${x.offer_code}">
<td>${name(lang, x.consumer_name_ja, x.consumer_name_en)}</td>
<td>${name(lang, x.offer_name_ja, x.offer_name_en)} <span class="mono hint">${x.offer_code}</span>${x.offer_active ? '' : html` <span class="tag tag-off">${permissionText.inactive[lang]}</span>`}</td>
<td>${name(lang, x.provider_name_ja, x.provider_name_en)} (${name(lang, x.provider_tenant_name_ja, x.provider_tenant_name_en)})</td>
<td class="mono">${x.granted_by_login ?? '—'}</td><td>${formatDate(lang, x.created_at)}</td>
<td><form method="post" action="/admin/permissions/${x.id}/delete" class="inline-form">${csrfField(principal)}<button class="button secondary" type="submit" aria-label="${permissionText.revoke[lang]}: ${name(lang, x.consumer_name_ja, x.consumer_name_en)} / ${x.offer_code}">${permissionText.revoke[lang]}</button></form></td>
</tr>`)}</tbody></table></div>`}
<h2>${permissionText.addTitle[lang]}</h2>
${p.consumers.length === 0 ? html`<p>${permissionText.noConsumers[lang]}</p>` : p.offers.length === 0 ? html`<p>${permissionText.noOffers[lang]}</p>` : html`<form method="post" action="/admin/permissions">
${csrfField(principal)}
<label for="consumerServiceId">${permissionText.consumer[lang]}</label>
<select id="consumerServiceId" name="consumerServiceId" required><option value="">${permissionText.choose[lang]}</option>
${p.consumers.map((c) => html`<option value="${c.id}">${name(lang, c.name_ja, c.name_en)} (${c.client_id})</option>`)}</select>
<label for="offerId">${permissionText.offer[lang]}</label>
<select id="offerId" name="offerId" required><option value="">${permissionText.choose[lang]}</option>
${p.offers.map((o) => html`<option value="${o.id}">${name(lang, o.name_ja, o.name_en)} — ${name(lang, o.provider_name_ja, o.provider_name_en)} / ${name(lang, o.tenant_name_ja, o.tenant_name_en)} [${o.code}]${o.special_care ? ` (${permissionText.specialCare[lang]})` : ''}</option>`)}</select>
<div class="actions"><button class="button" type="submit">${permissionText.grant[lang]}</button></div>
</form>`}`,
  });
}
