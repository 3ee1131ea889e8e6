import type { DomainException } from '@tsunagu/common';
import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { type FormFields, formErrorView } from '../web/admin-forms';
import { adminPage, codeDetails, csrfField, dataTable, formatDate, name } from '../web/admin.layout';
import { errorSummary, fieldAria, fieldError } from '../web/form.views';
import type { ConsumerChoice, OfferChoice, PermissionRow } from '../../tenancy/permissions/api-permissions.repository';
import { permissionText } from './permissions.messages';

const grantFields: FormFields = { consumerServiceId: { label: permissionText.consumer }, offerId: { label: permissionText.offer } };

export function permissionsPage(p: {
  lang: Lang; principal: AdminPrincipal; permissions: PermissionRow[]; consumers: ConsumerChoice[]; offers: OfferChoice[]; notice?: string;
  error?: DomainException; values?: Record<string, string>;
}): SafeHtml {
  const { lang, principal } = p;
  const e = p.error ? formErrorView(p.error, lang, grantFields) : undefined;
  const v = p.values ?? {};
  return adminPage({
    lang, title: permissionText.title[lang], path: '/admin/permissions', principal, area: 'tenant', section: 'permissions',
    body: html`<h1>${permissionText.title[lang]}</h1>
<p>${permissionText.lead[lang]}</p>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
${p.permissions.length === 0 ? html`<p>${permissionText.none[lang]}</p>` : dataTable({
  label: permissionText.list[lang], testId: 'permissions',
  columns: [{ label: permissionText.consumer[lang] }, { label: permissionText.offer[lang] }, { label: permissionText.provider[lang] },
    { label: permissionText.grantedBy[lang], mono: true }, { label: permissionText.since[lang] }, { label: permissionText.actions[lang] }],
  rows: p.permissions.map((x) => ({
    data: { permission: `${x.consumer_client_id}:${x.offer_code}` },
    cells: [name(lang, x.consumer_name_ja, x.consumer_name_en),
      html`${name(lang, x.offer_name_ja, x.offer_name_en)}${x.offer_active ? '' : html` <span class="tag tag-off">${permissionText.inactive[lang]}</span>`}${codeDetails(lang, x.offer_code)}`,
      `${name(lang, x.provider_name_ja, x.provider_name_en)} (${name(lang, x.provider_tenant_name_ja, x.provider_tenant_name_en)})`,
      x.granted_by_login ?? '—', formatDate(lang, x.created_at),
      html`<form method="post" action="/admin/permissions/${x.id}/delete" class="inline-form">${csrfField(principal)}<button class="button secondary" type="submit" aria-label="${permissionText.revoke[lang]}: ${name(lang, x.consumer_name_ja, x.consumer_name_en)} / ${name(lang, x.offer_name_ja, x.offer_name_en)}">${permissionText.revoke[lang]}</button></form>`],
  })),
})}
<h2>${permissionText.addTitle[lang]}</h2>
${errorSummary(lang, e)}
${p.consumers.length === 0 ? html`<p>${permissionText.noConsumers[lang]}</p>` : p.offers.length === 0 ? html`<p>${permissionText.noOffers[lang]}</p>` : html`<form method="post" action="/admin/permissions" novalidate>
${csrfField(principal)}
<label for="consumerServiceId">${permissionText.consumer[lang]}</label>${fieldError(e, 'consumerServiceId')}
<select id="consumerServiceId" name="consumerServiceId" required${fieldAria(e, 'consumerServiceId')}><option value="">${permissionText.choose[lang]}</option>
${p.consumers.map((c) => html`<option value="${c.id}"${v.consumerServiceId === c.id ? html` selected` : ''}>${name(lang, c.name_ja, c.name_en)} (${c.client_id})</option>`)}</select>
<label for="offerId">${permissionText.offer[lang]}</label>${fieldError(e, 'offerId')}
<select id="offerId" name="offerId" required${fieldAria(e, 'offerId')}><option value="">${permissionText.choose[lang]}</option>
${p.offers.map((o) => html`<option value="${o.id}"${v.offerId === o.id ? html` selected` : ''}>${name(lang, o.name_ja, o.name_en)} — ${name(lang, o.provider_name_ja, o.provider_name_en)} / ${name(lang, o.tenant_name_ja, o.tenant_name_en)} [${o.code}]${o.special_care ? ` (${permissionText.specialCare[lang]})` : ''}</option>`)}</select>
<div class="actions"><button class="button" type="submit">${permissionText.grant[lang]}</button></div>
</form>`}`,
  });
}
