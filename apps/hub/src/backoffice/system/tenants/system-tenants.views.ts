import type { DomainException } from '@tsunagu/common';
import { ADMIN_ERROR_MESSAGES_WITH_VALUE } from '@tsunagu/contracts';
import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminAccountSummary } from '../../auth/admin-accounts.repository';
import type { IssuedCredentials } from '../../auth/admin-accounts.service';
import { addAdminForm, adminsTable, credentialsCard } from '../../auth/admin-auth.views';
import type { AdminPrincipal } from '../../../platform/access/admin-principal';
import { type FormFields, formErrorView } from '../../web/admin-forms';
import { adminPage, csrfField, dataTable, formatDate, name } from '../../web/admin.layout';
import { confirmPage } from '../../web/confirm.views';
import { errorSummary, fieldAria, fieldError } from '../../web/form.views';
import type { TenantRow, TenantSummaryRow } from '../../../tenancy/tenants/tenants.repository';
import { tenantText } from './tenants.messages';

const tenantFields: FormFields = {
  code: { label: tenantText.code, hint: tenantText.codeHint }, nameJa: { label: tenantText.nameJa }, nameEn: { label: tenantText.nameEn },
  kind: { label: tenantText.kind }, allowedCidrs: { label: tenantText.networks, hint: tenantText.networksHint },
};

/** What the add-admin form of a page shows after a refused attempt. */
export interface AddAdminAttempt { error: DomainException; values: Record<string, string> }

export function tenantsPage(p: { lang: Lang; principal: AdminPrincipal; tenants: TenantSummaryRow[]; notice?: string }): SafeHtml {
  const { lang, principal } = p;
  return adminPage({
    lang, title: tenantText.title[lang], path: '/system/tenants', principal, area: 'system', section: 'tenants',
    body: html`<h1>${tenantText.title[lang]}</h1>
<p>${tenantText.lead[lang]}</p>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
<div class="actions"><a class="button" href="/system/tenants/new">${tenantText.add[lang]}</a></div>
${dataTable({
  label: tenantText.list[lang], testId: 'tenants',
  columns: [{ label: tenantText.name[lang] }, { label: tenantText.code[lang], mono: true }, { label: tenantText.status[lang] }, { label: tenantText.services[lang], num: true },
    { label: tenantText.admins[lang], num: true }, { label: tenantText.connectors[lang], num: true }, { label: tenantText.networks[lang], mono: true, full: true }],
  rows: p.tenants.map((t) => ({
    data: { tenant: t.code },
    cells: [html`<a href="/system/tenants/${t.id}">${name(lang, t.name_ja, t.name_en)}</a>`, t.code,
      t.deleted_at ? html`<span class="tag tag-off">${tenantText.deleted[lang]}</span>`
        : t.active ? html`<span class="tag tag-ok">${tenantText.active[lang]}</span>` : html`<span class="tag tag-off">${tenantText.inactive[lang]}</span>`,
      t.services, t.admins, t.connectors, t.admin_allowed_cidrs.length ? t.admin_allowed_cidrs.join(', ') : tenantText.none[lang]],
  })),
})}`,
  });
}

export function tenantFormPage(p: { lang: Lang; principal: AdminPrincipal; tenant?: TenantRow; values?: Record<string, string>; error?: DomainException }): SafeHtml {
  const { lang, principal, tenant } = p;
  const e = p.error ? formErrorView(p.error, lang, tenantFields) : undefined;
  const v = p.values ?? (tenant ? { nameJa: tenant.name_ja, nameEn: tenant.name_en, kind: tenant.kind, allowedCidrs: tenant.admin_allowed_cidrs.join('\n') } : { kind: 'municipality', allowedCidrs: '' });
  const title = tenant ? tenantText.editTitle[lang] : tenantText.newTitle[lang];
  return adminPage({
    lang, title, path: tenant ? `/system/tenants/${tenant.id}/edit` : '/system/tenants/new', principal, area: 'system', section: 'tenants',
    body: html`<h1>${title}${tenant ? html`: ${name(lang, tenant.name_ja, tenant.name_en)}` : ''}</h1>
${errorSummary(lang, e)}
<form method="post" action="${tenant ? `/system/tenants/${tenant.id}` : '/system/tenants'}" novalidate>
${csrfField(principal)}
${tenant ? '' : html`<label for="code">${tenantText.code[lang]}</label><p class="hint" id="code-hint">${tenantText.codeHint[lang]}</p>${fieldError(e, 'code')}
<input type="text" id="code" name="code" required maxlength="32" pattern="[a-z0-9]+(-[a-z0-9]+)*"${fieldAria(e, 'code', 'code-hint')} value="${v.code ?? ''}" autocapitalize="none" spellcheck="false">`}
<label for="nameJa">${tenantText.nameJa[lang]}</label>${fieldError(e, 'nameJa')}
<input type="text" id="nameJa" name="nameJa" required maxlength="100"${fieldAria(e, 'nameJa')} value="${v.nameJa ?? ''}">
<label for="nameEn">${tenantText.nameEn[lang]}</label>${fieldError(e, 'nameEn')}
<input type="text" id="nameEn" name="nameEn" required maxlength="100"${fieldAria(e, 'nameEn')} value="${v.nameEn ?? ''}" lang="en">
<label for="kind">${tenantText.kind[lang]}</label>${fieldError(e, 'kind')}
<select id="kind" name="kind"${fieldAria(e, 'kind')}>
<option value="municipality"${v.kind === 'municipality' ? html` selected` : ''}>${tenantText.municipality[lang]}</option>
<option value="prefecture"${v.kind === 'prefecture' ? html` selected` : ''}>${tenantText.prefecture[lang]}</option>
</select>
<label for="allowedCidrs">${tenantText.networks[lang]}</label>
<p class="hint" id="cidr-hint">${tenantText.networksHint[lang]}</p>${fieldError(e, 'allowedCidrs')}
<textarea id="allowedCidrs" name="allowedCidrs" rows="4" maxlength="4000"${fieldAria(e, 'allowedCidrs', 'cidr-hint')} spellcheck="false">${v.allowedCidrs ?? ''}</textarea>
<div class="actions"><button class="button" type="submit">${tenant ? tenantText.save[lang] : tenantText.create[lang]}</button>
<a class="button secondary" href="${tenant ? `/system/tenants/${tenant.id}` : '/system/tenants'}">${tenantText.cancel[lang]}</a></div>
</form>`,
  });
}

export function tenantPage(p: { lang: Lang; principal: AdminPrincipal; tenant: TenantRow; admins: AdminAccountSummary[]; notice?: string; issued?: IssuedCredentials; qrSvg?: string; attempt?: AddAdminAttempt }): SafeHtml {
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
<dt>${tenantText.status[lang]}</dt><dd>${tenant.deleted_at ? tenantText.deleted[lang] : tenant.active ? tenantText.active[lang] : tenantText.inactive[lang]}</dd>
<dt>${tenantText.networks[lang]}</dt><dd class="mono">${tenant.admin_allowed_cidrs.length ? tenant.admin_allowed_cidrs.map((c) => html`${c}<br>`) : tenantText.none[lang]}</dd>
<dt>${tenantText.createdAt[lang]}</dt><dd>${formatDate(lang, tenant.created_at, false)}</dd>
</dl>
${tenant.deleted_at ? html`<div class="alert" role="status" data-testid="tenant-deleted"><p>${tenantText.deletedNotice[lang]}</p></div>
<div class="actions"><a class="button secondary" href="${base}/exit">${tenantText.exitDone[lang]}</a></div>` : html`<div class="actions">
<a class="button secondary" href="${base}/edit">${tenantText.edit[lang]}</a>
<form method="post" action="${base}/act">${csrfField(principal)}<button class="button secondary" type="submit">${tenantText.act[lang]}</button></form>
${tenant.active ? html`<a class="button danger-secondary" href="${base}/deactivate">${tenantText.deactivate[lang]}</a>`
    : html`<form method="post" action="${base}/activate">${csrfField(principal)}<button class="button secondary" type="submit">${tenantText.activate[lang]}</button></form>`}
<a class="button danger-secondary" href="${base}/exit">${tenantText.exit[lang]}</a>
</div>`}
<h2>${tenantText.adminsTitle[lang]}</h2>
${adminsTable({ lang, principal, admins: p.admins, base: `${base}/admins` })}
${addAdminForm({ lang, principal, action: `${base}/admins`, ...p.attempt })}`,
  });
}

export function systemAdminsPage(p: { lang: Lang; principal: AdminPrincipal; admins: AdminAccountSummary[]; notice?: string; issued?: IssuedCredentials; qrSvg?: string; attempt?: AddAdminAttempt }): SafeHtml {
  const { lang, principal } = p;
  return adminPage({
    lang, title: tenantText.systemAdminsTitle[lang], path: '/system/admins', principal, area: 'system', section: 'system-admins',
    body: html`<h1>${tenantText.systemAdminsTitle[lang]}</h1>
<p>${tenantText.systemAdminsLead[lang]}</p>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
${p.issued ? credentialsCard(lang, p.issued, p.qrSvg) : ''}
${adminsTable({ lang, principal, admins: p.admins, base: '/system/admins' })}
${addAdminForm({ lang, principal, action: '/system/admins', ...p.attempt })}`,
  });
}

/** The confirmation step of deactivating a tenant: its admins are locked out until it is reactivated. */
export function deactivateConfirmPage(p: { lang: Lang; principal: AdminPrincipal; tenant: TenantRow; admins: number; services: number }): SafeHtml {
  const { lang, principal, tenant } = p;
  const base = `/system/tenants/${tenant.id}`;
  return confirmPage({
    lang, principal, area: 'system', section: 'tenants', path: `${base}/deactivate`, action: 'deactivate', irreversible: false,
    title: tenantText.deactivateTitle[lang], lead: tenantText.deactivateLead[lang],
    facts: [[tenantText.name[lang], name(lang, tenant.name_ja, tenant.name_en)], [tenantText.code[lang], html`<span class="mono">${tenant.code}</span>`],
      [tenantText.services[lang], p.services], [tenantText.admins[lang], p.admins]],
    consequences: [tenantText.deactivateAdmins[lang].replace('{count}', String(p.admins)), tenantText.deactivateKept[lang], tenantText.deactivateUndo[lang]],
    button: tenantText.deactivateButton[lang], cancel: base,
    blocked: !tenant.active ? tenantText.alreadyInactive[lang]
      : p.services > 0 ? ADMIN_ERROR_MESSAGES_WITH_VALUE.tenant_has_active_services(p.services)[lang] : undefined,
  });
}
