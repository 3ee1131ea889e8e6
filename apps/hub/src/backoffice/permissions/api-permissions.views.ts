import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { adminPage, csrfField, formatDate, name } from '../web/admin.layout';
import type { ConsumerChoice, OfferChoice, PermissionRow } from '../../tenancy/permissions/api-permissions.repository';

export const permissionText = {
  title: { ja: 'API利用許可', en: 'API permissions' },
  lead: { ja: 'このテナントのどのサービスが、どの提供データを要求できるかを決めます。許可のない組み合わせはすべて拒否されます（既定で拒否）。変更は次のデータ要求から有効になり、監査ログに記録されます。', en: 'Decide which of this tenant\'s services may request which data offers. Anything not allowed here is refused (default deny). Changes hold from the next request and are kept in the audit log.' },
  consumer: { ja: '利用するサービス', en: 'Consumer service' },
  offer: { ja: '提供データ', en: 'Data offer' },
  provider: { ja: '提供元', en: 'Provider' },
  grantedBy: { ja: '許可した管理者', en: 'Granted by' },
  since: { ja: '許可日時', en: 'Granted at' },
  revoke: { ja: '取り消す', en: 'Revoke' },
  grant: { ja: '利用を許可する', en: 'Grant' },
  addTitle: { ja: '許可を追加', en: 'Add a permission' },
  none: { ja: '許可はまだありません（すべて拒否されます）。', en: 'No permissions yet (everything is refused).' },
  noConsumers: { ja: '許可を追加するには、先にサービスを登録してください。', en: 'Register a service first to grant it permissions.' },
  noOffers: { ja: '公開されている提供データがありません。', en: 'No data offers are published.' },
  inactive: { ja: '提供終了', en: 'ended' },
  specialCare: { ja: '要配慮', en: 'special care' },
  granted: { ja: '利用を許可しました。', en: 'The permission was granted.' },
  revoked: { ja: '許可を取り消しました。', en: 'The permission was revoked.' },
  choose: { ja: '選択してください', en: 'Choose' },
};

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
