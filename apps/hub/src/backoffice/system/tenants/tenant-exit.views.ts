import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { TenantExitStatus } from '../../../lifecycle/tenant-exit/tenant-exit.service';
import type { AdminPrincipal } from '../../../platform/access/admin-principal';
import { adminPage, csrfField, formatDate, name } from '../../web/admin.layout';
import { confirmText } from '../../web/web.messages';
import { exitText } from './tenant-exit.messages';

const item = (lang: Lang, text: { ja: string; en: string }) => text[lang];

/**
 * The system admin's page of a tenant leaving the platform (docs/manuals/system-admin.md): its
 * exports (who, when, recipient, digest), the export form (the download is the signed archive),
 * and the deletion — its link before, its erasure status and certificate after.
 */
export function tenantExitPage(p: { lang: Lang; principal: AdminPrincipal; status: TenantExitStatus; notice?: string; error?: string; values?: Record<string, string> }): SafeHtml {
  const { lang, principal, status } = p;
  const { tenant, exit } = status;
  const base = `/system/tenants/${tenant.id}`;
  const title = `${exitText.title[lang]}: ${name(lang, tenant.name_ja, tenant.name_en)}`;
  return adminPage({
    lang, title, path: `${base}/exit`, principal, area: 'system', section: 'tenants',
    body: html`<h1>${title}</h1>
<p>${exitText.lead[lang]}</p>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
${p.error ? html`<div class="alert" role="alert" data-testid="exit-error"><p>${p.error}</p></div>` : ''}
<h2>${exitText.exportsTitle[lang]}</h2>
${status.exports.length ? html`<table class="data"><thead><tr><th>${exitText.exportedAt[lang]}</th><th>${exitText.exportedBy[lang]}</th><th>${exitText.recipient[lang]}</th><th>${exitText.contract[lang]}</th><th>${exitText.items[lang]}</th><th>${exitText.digest[lang]}</th></tr></thead>
<tbody>${status.exports.map((e) => html`<tr><td>${formatDate(lang, e.exported_at)}</td><td class="mono">${e.exported_by_login}</td><td>${e.recipient}</td><td>${e.contract_name}</td>
<td>${e.items.map((i) => html`${item(lang, i.name)}: ${String(i.count)}<br>`)}</td><td class="mono">${e.digest.slice(0, 16)}…</td></tr>`)}</tbody></table>`
    : html`<p>${exitText.noExports[lang]}</p>`}
${tenant.deleted_at ? '' : html`<form method="post" action="${base}/export" class="card">
${csrfField(principal)}
<h3>${exitText.exportTitle[lang]}</h3>
<p>${exitText.exportLead[lang]}</p>
<label for="recipient">${exitText.recipient[lang]}</label>
<input type="text" id="recipient" name="recipient" maxlength="200" required value="${p.values?.recipient ?? ''}">
<label for="contractName">${exitText.contract[lang]}</label>
<input type="text" id="contractName" name="contractName" maxlength="300" required value="${p.values?.contractName ?? ''}">
<div class="actions"><button class="button" type="submit">${exitText.exportButton[lang]}</button></div>
</form>`}
<h2>${exitText.deleteTitle[lang]}</h2>
${exit ? html`<dl class="props card" data-testid="exit-status">
<dt>${exitText.deletedAt[lang]}</dt><dd>${formatDate(lang, exit.committedAt)}</dd>
<dt>${exitText.certificate[lang]}</dt><dd>${exit.certificateId
    ? html`<span class="mono">${exit.certificateId}</span><br><a href="${base}/certificate">${exitText.printable[lang]}</a> ／ <a href="${base}/certificate.json">JSON</a>`
    : html`${exitText.certificatePending[lang]} (${formatDate(lang, exit.certifyAfter)})`}</dd>
</dl>
<table class="data"><thead><tr><th>${exitText.connector[lang]}</th><th>${exitText.responsible[lang]}</th><th>${exitText.state[lang]}</th></tr></thead>
<tbody>${exit.connectors.map((c) => html`<tr><td>${c.name}</td><td>${c.responsible}</td><td>${c.state === 'erased' ? `${exitText.erased[lang]} ${formatDate(lang, c.at)}` : exitText.pending[lang]}</td></tr>`)}</tbody></table>`
    : html`<p>${exitText.deleteLead[lang]}</p><div class="actions"><a class="button danger-secondary" href="${base}/delete">${exitText.deleteButton[lang]}</a></div>`}
<div class="actions"><a class="button secondary" href="${base}">${confirmText.back[lang]}</a></div>`,
  });
}

/**
 * The confirmation step of deleting a tenant: what will happen, the tenant's name to type, and —
 * when it was never exported — the reason no export is wanted.
 */
export function tenantDeletePage(p: { lang: Lang; principal: AdminPrincipal; status: TenantExitStatus; error?: string; values?: Record<string, string> }): SafeHtml {
  const { lang, principal, status } = p;
  const { tenant } = status;
  const base = `/system/tenants/${tenant.id}`;
  const blocked = tenant.deleted_at ? exitText.alreadyDeleted[lang] : undefined;
  return adminPage({
    lang, title: exitText.deleteTitle[lang], path: `${base}/delete`, principal, area: 'system', section: 'tenants',
    body: html`<h1>${exitText.deleteTitle[lang]}: ${name(lang, tenant.name_ja, tenant.name_en)}</h1>
<section class="confirm" data-testid="confirm-consequences"><h2>${confirmText.what[lang]}</h2>
<ul>${exitText.consequences[lang].map((c) => html`<li>${c}</li>`)}</ul>
<p><strong>${confirmText.irreversible[lang]}</strong></p></section>
${p.error ? html`<div class="alert" role="alert" data-testid="confirm-error"><p>${p.error}</p></div>` : ''}
${blocked ? html`<div class="alert" role="alert"><p>${blocked}</p></div>` : html`<form method="post" action="${base}/delete">
${csrfField(principal)}
<label for="confirmName">${exitText.typeName[lang].replace('{name}', tenant.name_ja)}</label>
<input type="text" id="confirmName" name="confirmName" maxlength="200" required autocomplete="off" value="${p.values?.confirmName ?? ''}">
${status.exports.length ? html`<p>${exitText.lastExport[lang]}: ${formatDate(lang, status.exports[0].exported_at)} (${status.exports[0].recipient})</p>`
    : html`<label for="noExportReason">${exitText.noExportReason[lang]}</label><input type="text" id="noExportReason" name="noExportReason" maxlength="500" value="${p.values?.noExportReason ?? ''}">`}
<div class="actions"><button class="button danger" type="submit">${exitText.deleteButton[lang]}</button> <a class="button secondary" href="${base}/exit">${confirmText.back[lang]}</a></div>
</form>`}`,
  });
}
