import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminAccountSummary } from '../../auth/admin-accounts.repository';
import type { IssuedCredentials } from '../../auth/admin-accounts.service';
import { addAdminForm, adminsTable, credentialsCard } from '../../auth/admin-auth.views';
import type { AdminPrincipal } from '../../../platform/access/admin-principal';
import { adminPage, csrfField, formatDate, name } from '../../web/admin.layout';
import type { TenantRow, TenantSummaryRow } from '../../../tenancy/tenants/tenants.repository';
import { tenantText } from './tenants.messages';

export function tenantsPage(p: { lang: Lang; principal: AdminPrincipal; tenants: TenantSummaryRow[]; notice?: string }): SafeHtml {
  const { lang, principal } = p;
  return adminPage({
    lang, title: tenantText.title[lang], path: '/system/tenants', principal, area: 'system', section: 'tenants',
    body: html`<h1>${tenantText.title[lang]}</h1>
<p>${tenantText.lead[lang]}</p>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
<div class="actions"><a class="button" href="/system/tenants/new">${tenantText.add[lang]}</a></div>
<div class="table-wrap"><table class="data" data-testid="tenants">
<thead><tr><th scope="col">${tenantText.name[lang]}</th><th scope="col">${tenantText.code[lang]}</th><th scope="col">${tenantText.status[lang]}</th>
<th scope="col" class="num">${tenantText.services[lang]}</th><th scope="col" class="num">${tenantText.admins[lang]}</th><th scope="col" class="num">${tenantText.connectors[lang]}</th><th scope="col">${tenantText.networks[lang]}</th></tr></thead>
<tbody>${p.tenants.map((t) => html`<tr data-tenant="${t.code}">
<td><a href="/system/tenants/${t.id}">${name(lang, t.name_ja, t.name_en)}</a></td><td class="mono">${t.code}</td>
<td>${t.active ? html`<span class="tag tag-ok">${tenantText.active[lang]}</span>` : html`<span class="tag tag-off">${tenantText.inactive[lang]}</span>`}</td>
<td class="num">${t.services}</td><td class="num">${t.admins}</td><td class="num">${t.connectors}</td>
<td class="mono">${t.admin_allowed_cidrs.length ? t.admin_allowed_cidrs.join(', ') : tenantText.none[lang]}</td>
</tr>`)}</tbody></table></div>`,
  });
}

export function tenantFormPage(p: { lang: Lang; principal: AdminPrincipal; tenant?: TenantRow; values?: Record<string, string>; error?: { code: string; message: string; details?: { field: string; problem: string }[] } }): SafeHtml {
  const { lang, principal, tenant } = p;
  const v = p.values ?? (tenant ? { nameJa: tenant.name_ja, nameEn: tenant.name_en, kind: tenant.kind, allowedCidrs: tenant.admin_allowed_cidrs.join('\n') } : { kind: 'municipality', allowedCidrs: '' });
  const title = tenant ? tenantText.editTitle[lang] : tenantText.newTitle[lang];
  return adminPage({
    lang, title, path: tenant ? `/system/tenants/${tenant.id}/edit` : '/system/tenants/new', principal, area: 'system', section: 'tenants',
    body: html`<h1>${title}${tenant ? html`: ${name(lang, tenant.name_ja, tenant.name_en)}` : ''}</h1>
${p.error ? html`<div class="alert" role="alert" data-error-code="${p.error.code}"><p>${p.error.message}</p>${p.error.details?.length ? html`<ul>${p.error.details.map((d) => html`<li>${d.problem}</li>`)}</ul>` : ''}</div>` : ''}
<form method="post" action="${tenant ? `/system/tenants/${tenant.id}` : '/system/tenants'}">
${csrfField(principal)}
${tenant ? '' : html`<label for="code">${tenantText.code[lang]}</label><p class="hint" id="code-hint">${tenantText.codeHint[lang]}</p>
<input type="text" id="code" name="code" required maxlength="32" pattern="[a-z0-9]+(-[a-z0-9]+)*" aria-describedby="code-hint" value="${v.code ?? ''}" autocapitalize="none" spellcheck="false">`}
<label for="nameJa">${tenantText.nameJa[lang]}</label>
<input type="text" id="nameJa" name="nameJa" required maxlength="100" value="${v.nameJa ?? ''}">
<label for="nameEn">${tenantText.nameEn[lang]}</label>
<input type="text" id="nameEn" name="nameEn" required maxlength="100" value="${v.nameEn ?? ''}" lang="en">
<label for="kind">${tenantText.kind[lang]}</label>
<select id="kind" name="kind">
<option value="municipality"${v.kind === 'municipality' ? html` selected` : ''}>${tenantText.municipality[lang]}</option>
<option value="prefecture"${v.kind === 'prefecture' ? html` selected` : ''}>${tenantText.prefecture[lang]}</option>
</select>
<label for="allowedCidrs">${tenantText.networks[lang]}</label>
<p class="hint" id="cidr-hint">${tenantText.networksHint[lang]}</p>
<textarea id="allowedCidrs" name="allowedCidrs" rows="4" maxlength="4000" aria-describedby="cidr-hint" spellcheck="false">${v.allowedCidrs ?? ''}</textarea>
<div class="actions"><button class="button" type="submit">${tenant ? tenantText.save[lang] : tenantText.create[lang]}</button>
<a class="button secondary" href="${tenant ? `/system/tenants/${tenant.id}` : '/system/tenants'}">${tenantText.cancel[lang]}</a></div>
</form>`,
  });
}

export function tenantPage(p: { lang: Lang; principal: AdminPrincipal; tenant: TenantRow; admins: AdminAccountSummary[]; notice?: string; issued?: IssuedCredentials; qrSvg?: string }): SafeHtml {
  const { lang, principal, tenant } = p;
  const base = `/system/tenants/${tenant.id}`;
  return adminPage({
    lang, title: name(lang, tenant.name_ja, tenant.name_en), path: base, principal, area: 'system', section: 'tenants',
    body: html`<h1>${name(lang, tenant.name_ja, tenant.name_en)}</h1>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
${p.issued ? credentialsCard(lang, p.issued, p.qrSvg) : ''}
<dl class="props card">
<dt>${tenantText.code[lang]}</dt><dd class="mono">${tenant.code}</dd>
<dt>${tenantText.nameJa[lang]}</dt><dd>${tenant.name_ja}</dd>
<dt>${tenantText.nameEn[lang]}</dt><dd lang="en">${tenant.name_en}</dd>
<dt>${tenantText.kind[lang]}</dt><dd>${tenant.kind === 'prefecture' ? tenantText.prefecture[lang] : tenantText.municipality[lang]}</dd>
<dt>${tenantText.status[lang]}</dt><dd>${tenant.active ? tenantText.active[lang] : tenantText.inactive[lang]}</dd>
<dt>${tenantText.networks[lang]}</dt><dd class="mono">${tenant.admin_allowed_cidrs.length ? tenant.admin_allowed_cidrs.map((c) => html`${c}<br>`) : tenantText.none[lang]}</dd>
<dt>${tenantText.createdAt[lang]}</dt><dd>${formatDate(lang, tenant.created_at, false)}</dd>
</dl>
<div class="actions">
<a class="button secondary" href="${base}/edit">${tenantText.edit[lang]}</a>
<form method="post" action="${base}/act">${csrfField(principal)}<button class="button secondary" type="submit">${tenantText.act[lang]}</button></form>
<form method="post" action="${base}/${tenant.active ? 'deactivate' : 'activate'}">${csrfField(principal)}<button class="button secondary" type="submit">${tenant.active ? tenantText.deactivate[lang] : tenantText.activate[lang]}</button></form>
</div>
<h2>${tenantText.adminsTitle[lang]}</h2>
${adminsTable({ lang, principal, admins: p.admins, base: `${base}/admins` })}
${addAdminForm({ lang, principal, action: `${base}/admins` })}`,
  });
}

export function systemAdminsPage(p: { lang: Lang; principal: AdminPrincipal; admins: AdminAccountSummary[]; notice?: string; issued?: IssuedCredentials; qrSvg?: string }): SafeHtml {
  const { lang, principal } = p;
  return adminPage({
    lang, title: tenantText.systemAdminsTitle[lang], path: '/system/admins', principal, area: 'system', section: 'system-admins',
    body: html`<h1>${tenantText.systemAdminsTitle[lang]}</h1>
<p>${tenantText.systemAdminsLead[lang]}</p>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
${p.issued ? credentialsCard(lang, p.issued, p.qrSvg) : ''}
${adminsTable({ lang, principal, admins: p.admins, base: '/system/admins' })}
${addAdminForm({ lang, principal, action: '/system/admins' })}`,
  });
}
