import { html, type Lang, raw, type SafeHtml } from '@tsunagu/web';
import type { AdminAccountSummary } from './admin-accounts.repository';
import type { IssuedCredentials } from './admin-accounts.service';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { adminPage, csrfField, formatDate } from '../web/admin.layout';
import { authText } from './auth.messages';

/** What the sign-in page shows: the login-CSRF token, where to go next, and a notice or an error. */
export interface LoginPageOptions {
  lang: Lang;
  csrf: string;
  next?: string;
  loginId?: string;
  notice?: string;
  error?: { code: string; message: string };
}

export function loginPage(p: LoginPageOptions): SafeHtml {
  const { lang } = p;
  return adminPage({
    lang, title: authText.title[lang], path: '/admin/login', area: 'public',
    body: html`<h1>${authText.title[lang]}</h1>
<p>${authText.lead[lang]}</p>
${p.notice ? html`<div class="notice" role="status">${p.notice}</div>` : ''}
${p.error ? html`<div class="alert" role="alert" data-error-code="${p.error.code}"><p>${p.error.message}</p></div>` : ''}
<form method="post" action="/admin/login" class="card">
<input type="hidden" name="csrf" value="${p.csrf}">
${p.next ? html`<input type="hidden" name="next" value="${p.next}">` : ''}
<label for="loginId">${authText.loginId[lang]}</label>
<input type="text" id="loginId" name="loginId" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64" value="${p.loginId ?? ''}">
<label for="password">${authText.password[lang]}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required maxlength="128">
<label for="code">${authText.code[lang]}</label>
<p class="hint" id="code-hint">${authText.codeHint[lang]}</p>
<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required maxlength="7" aria-describedby="code-hint">
<div class="actions"><button class="button" type="submit">${authText.submit[lang]}</button></div>
</form>`,
  });
}

export function accountPage(p: { lang: Lang; principal: AdminPrincipal; notice?: string; error?: string }): SafeHtml {
  const { lang, principal } = p;
  return adminPage({
    lang, title: authText.accountTitle[lang], path: '/admin/account', principal, area: principal.kind === 'system' && !principal.tenant ? 'system' : 'tenant', section: 'account',
    body: html`<h1>${authText.accountTitle[lang]}</h1>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
${p.error ? html`<div class="alert" role="alert"><p>${p.error}</p></div>` : ''}
<dl class="props card">
<dt>${authText.loginIdLabel[lang]}</dt><dd class="mono">${principal.loginId}</dd>
<dt>${authText.name[lang]}</dt><dd>${principal.displayName}</dd>
<dt>${authText.role[lang]}</dt><dd>${principal.kind === 'system' ? authText.systemAdmin[lang] : authText.tenantAdmin[lang]}${principal.ownTenant ? html` — ${lang === 'ja' ? principal.ownTenant.nameJa : principal.ownTenant.nameEn}` : ''}</dd>
</dl>
<h2>${authText.changePassword[lang]}</h2>
<form method="post" action="/admin/account/password">
${csrfField(principal)}
<label for="currentPassword">${authText.current[lang]}</label>
<input type="password" id="currentPassword" name="currentPassword" autocomplete="current-password" required maxlength="128">
<label for="newPassword">${authText.next[lang]}</label>
<input type="password" id="newPassword" name="newPassword" autocomplete="new-password" required minlength="12" maxlength="128">
<label for="confirmPassword">${authText.confirm[lang]}</label>
<input type="password" id="confirmPassword" name="confirmPassword" autocomplete="new-password" required minlength="12" maxlength="128">
<div class="actions"><button class="button" type="submit">${authText.change[lang]}</button></div>
</form>`,
  });
}

/** The one-time display of a new account's (or a reset account's) credentials. */
/** `qrSvg` is markup the qrcode library made from our own URI (not user input), so it is inserted raw. */
export function credentialsCard(lang: Lang, issued: IssuedCredentials, qrSvg: string | undefined): SafeHtml {
  return html`<section class="card" aria-labelledby="creds-title" data-testid="issued-credentials">
<h2 id="creds-title">${authText.credsTitle[lang]}</h2>
<div class="notice" role="note">${authText.credsLead[lang]}</div>
<dl class="props">
<dt>${authText.loginIdLabel[lang]}</dt><dd class="mono">${issued.account.login_id}</dd>
${issued.password ? html`<dt>${authText.initialPassword[lang]}</dt><dd class="secret" data-testid="initial-password">${issued.password}</dd>` : ''}
<dt>${authText.totpSecret[lang]}</dt><dd class="secret" data-testid="totp-secret">${issued.totpSecret}</dd>
<dt>${authText.otpauth[lang]}</dt><dd class="mono">${issued.otpauthUri}</dd>
</dl>
${qrSvg ? html`<figure class="qr"><div role="img" aria-label="${authText.qr[lang]}">${raw(qrSvg)}</div><figcaption>${authText.qr[lang]}</figcaption></figure>` : ''}
</section>`;
}

/** The table of admin accounts with the system admin's actions. */
export function adminsTable(p: { lang: Lang; principal: AdminPrincipal; admins: AdminAccountSummary[]; base: string }): SafeHtml {
  const { lang, principal, admins } = p;
  if (!admins.length) return html`<p>${authText.none[lang]}</p>`;
  const action = (a: AdminAccountSummary, verb: string, label: string, secondary = true) => html`<form method="post" action="${p.base}/${a.id}/${verb}" class="inline-form">${csrfField(principal)}<button class="button${secondary ? ' secondary' : ''}" type="submit" aria-label="${label}: ${a.login_id}">${label}</button></form>`;
  return html`<div class="table-wrap"><table class="data">
<thead><tr><th scope="col">${authText.loginIdLabel[lang]}</th><th scope="col">${authText.displayName[lang]}</th><th scope="col">${authText.status[lang]}</th><th scope="col">${authText.lastLogin[lang]}</th><th scope="col">${authText.actions[lang]}</th></tr></thead>
<tbody>${admins.map((a) => html`<tr data-admin="${a.login_id}">
<td class="mono">${a.login_id}</td><td>${a.display_name}</td>
<td>${a.active ? html`<span class="tag tag-ok">${authText.active[lang]}</span>` : html`<span class="tag tag-off">${authText.inactive[lang]}</span>`} ${a.locked ? html`<span class="tag tag-bad">${authText.locked[lang]}</span>` : ''}</td>
<td>${formatDate(lang, a.last_login_at)}</td>
<td><div class="row-actions">${a.locked ? action(a, 'unlock', authText.unlock[lang]) : ''}${action(a, 'reset', authText.reset[lang])}${a.active ? action(a, 'deactivate', authText.deactivate[lang]) : action(a, 'activate', authText.activate[lang])}</div></td>
</tr>`)}</tbody></table></div>`;
}

/** The form to add an admin account. */
export function addAdminForm(p: { lang: Lang; principal: AdminPrincipal; action: string }): SafeHtml {
  const { lang } = p;
  return html`<h2>${authText.addAdmin[lang]}</h2>
<form method="post" action="${p.action}">
${csrfField(p.principal)}
<label for="loginId">${authText.loginIdLabel[lang]}</label>
<p class="hint" id="login-hint">${authText.loginIdHint[lang]}</p>
<input type="text" id="loginId" name="loginId" required maxlength="64" pattern="[a-z0-9][a-z0-9._\\-]{2,63}" aria-describedby="login-hint" autocapitalize="none" spellcheck="false">
<label for="displayName">${authText.displayName[lang]}</label>
<input type="text" id="displayName" name="displayName" required maxlength="100">
<div class="actions"><button class="button" type="submit">${authText.add[lang]}</button></div>
</form>`;
}
