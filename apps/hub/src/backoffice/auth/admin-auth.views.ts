import type { DomainException } from '@tsunagu/common';
import { html, type Lang, raw, type SafeHtml } from '@tsunagu/web';
import type { AdminAccountSummary } from './admin-accounts.repository';
import type { IssuedCredentials } from './admin-accounts.service';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { type FormFields, formErrorView } from '../web/admin-forms';
import { type AdminSection, adminPage, csrfField, dataTable, formatDate } from '../web/admin.layout';
import { confirmPage } from '../web/confirm.views';
import { errorSummary, fieldAria, fieldError } from '../web/form.views';
import { authText } from './auth.messages';

const loginFields: FormFields = { loginId: { label: authText.loginId }, password: { label: authText.password }, code: { label: authText.code, hint: authText.codeHint } };
const passwordFields: FormFields = { currentPassword: { label: authText.current }, newPassword: { label: authText.next }, confirmPassword: { label: authText.confirm } };
const accountFields: FormFields = { loginId: { label: authText.loginIdLabel, hint: authText.loginIdHint }, displayName: { label: authText.displayName } };

/** What the sign-in page shows: the login-CSRF token, where to go next, and a notice or an error. */
export interface LoginPageOptions {
  lang: Lang;
  csrf: string;
  next?: string;
  loginId?: string;
  notice?: string;
  error?: DomainException;
}

export function loginPage(p: LoginPageOptions): SafeHtml {
  const { lang } = p;
  const e = p.error ? formErrorView(p.error, lang, loginFields) : undefined;
  return adminPage({
    lang, title: authText.title[lang], path: '/admin/login', area: 'public',
    body: html`<h1>${authText.title[lang]}</h1>
<p>${authText.lead[lang]}</p>
${p.notice ? html`<div class="notice" role="status">${p.notice}</div>` : ''}
${errorSummary(lang, e)}
<form method="post" action="/admin/login" class="card" novalidate>
<input type="hidden" name="csrf" value="${p.csrf}">
${p.next ? html`<input type="hidden" name="next" value="${p.next}">` : ''}
<label for="loginId">${authText.loginId[lang]}</label>${fieldError(e, 'loginId')}
<input type="text" id="loginId" name="loginId" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64"${fieldAria(e, 'loginId')} value="${p.loginId ?? ''}">
<label for="password">${authText.password[lang]}</label>${fieldError(e, 'password')}
<input type="password" id="password" name="password" autocomplete="current-password" required maxlength="128"${fieldAria(e, 'password')}>
<label for="code">${authText.code[lang]}</label>
<p class="hint" id="code-hint">${authText.codeHint[lang]}</p>${fieldError(e, 'code')}
<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required maxlength="7"${fieldAria(e, 'code', 'code-hint')}>
<div class="actions"><button class="button" type="submit">${authText.submit[lang]}</button></div>
</form>`,
  });
}

export function accountPage(p: { lang: Lang; principal: AdminPrincipal; notice?: string; error?: DomainException }): SafeHtml {
  const { lang, principal } = p;
  const e = p.error ? formErrorView(p.error, lang, passwordFields) : undefined;
  return adminPage({
    lang, title: authText.accountTitle[lang], path: '/admin/account', principal, area: principal.kind === 'system' && !principal.tenant ? 'system' : 'tenant', section: 'account',
    body: html`<h1>${authText.accountTitle[lang]}</h1>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
<dl class="props card">
<dt>${authText.loginIdLabel[lang]}</dt><dd class="mono">${principal.loginId}</dd>
<dt>${authText.name[lang]}</dt><dd>${principal.displayName}</dd>
<dt>${authText.role[lang]}</dt><dd>${principal.kind === 'system' ? authText.systemAdmin[lang] : authText.tenantAdmin[lang]}${principal.ownTenant ? html` — ${lang === 'ja' ? principal.ownTenant.nameJa : principal.ownTenant.nameEn}` : ''}</dd>
</dl>
<h2>${authText.changePassword[lang]}</h2>
${errorSummary(lang, e)}
<form method="post" action="/admin/account/password" novalidate>
${csrfField(principal)}
<label for="currentPassword">${authText.current[lang]}</label>${fieldError(e, 'currentPassword')}
<input type="password" id="currentPassword" name="currentPassword" autocomplete="current-password" required maxlength="128"${fieldAria(e, 'currentPassword')}>
<label for="newPassword">${authText.next[lang]}</label>${fieldError(e, 'newPassword')}
<input type="password" id="newPassword" name="newPassword" autocomplete="new-password" required minlength="12" maxlength="128"${fieldAria(e, 'newPassword')}>
<label for="confirmPassword">${authText.confirm[lang]}</label>${fieldError(e, 'confirmPassword')}
<input type="password" id="confirmPassword" name="confirmPassword" autocomplete="new-password" required minlength="12" maxlength="128"${fieldAria(e, 'confirmPassword')}>
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

/** The table of admin accounts with the system admin's actions (reissuing opens its confirmation page). */
export function adminsTable(p: { lang: Lang; principal: AdminPrincipal; admins: AdminAccountSummary[]; base: string }): SafeHtml {
  const { lang, principal, admins } = p;
  if (!admins.length) return html`<p>${authText.none[lang]}</p>`;
  const action = (a: AdminAccountSummary, verb: string, label: string, secondary = true) => html`<form method="post" action="${p.base}/${a.id}/${verb}" class="inline-form">${csrfField(principal)}<button class="button${secondary ? ' secondary' : ''}" type="submit" aria-label="${label}: ${a.login_id}">${label}</button></form>`;
  return dataTable({
    label: authText.adminList[lang], testId: 'admins',
    columns: [{ label: authText.loginIdLabel[lang], mono: true }, { label: authText.displayName[lang] }, { label: authText.status[lang] }, { label: authText.lastLogin[lang] }, { label: authText.actions[lang], full: true }],
    rows: admins.map((a) => ({
      data: { admin: a.login_id },
      cells: [a.login_id, a.display_name,
        html`${a.active ? html`<span class="tag tag-ok">${authText.active[lang]}</span>` : html`<span class="tag tag-off">${authText.inactive[lang]}</span>`} ${a.locked ? html`<span class="tag tag-bad">${authText.locked[lang]}</span>` : ''}`,
        formatDate(lang, a.last_login_at),
        html`<div class="row-actions">${a.locked ? action(a, 'unlock', authText.unlock[lang]) : ''}<a class="button danger-secondary" href="${p.base}/${a.id}/reset" aria-label="${authText.reset[lang]}: ${a.login_id}">${authText.reset[lang]}</a>${a.active ? action(a, 'deactivate', authText.deactivate[lang]) : action(a, 'activate', authText.activate[lang])}</div>`],
    })),
  });
}

/** The confirmation step of reissuing an admin's password and authenticator (the current ones stop working). */
export function resetConfirmPage(p: { lang: Lang; principal: AdminPrincipal; account: AdminAccountSummary; base: string; cancel: string; section: AdminSection; tenantName?: string }): SafeHtml {
  const { lang, principal, account: a } = p;
  return confirmPage({
    lang, principal, area: 'system', section: p.section, path: `${p.base}/${a.id}/reset`, action: 'reset',
    title: authText.resetTitle[lang], lead: authText.resetLead[lang],
    facts: [[authText.loginIdLabel[lang], html`<span class="mono">${a.login_id}</span>`], [authText.displayName[lang], a.display_name],
      ...(p.tenantName ? [[authText.tenant[lang], p.tenantName] as [string, string]] : []), [authText.lastLogin[lang], formatDate(lang, a.last_login_at)]],
    consequences: [authText.resetNew[lang], authText.resetOld[lang], authText.resetSessions[lang], authText.resetTell[lang]],
    button: authText.resetButton[lang], cancel: p.cancel,
  });
}

/** The form to add an admin account, with a refused attempt's messages and what was typed. */
export function addAdminForm(p: { lang: Lang; principal: AdminPrincipal; action: string; error?: DomainException; values?: Record<string, string> }): SafeHtml {
  const { lang } = p;
  const e = p.error ? formErrorView(p.error, lang, accountFields) : undefined;
  const v = p.values ?? {};
  return html`<h2 id="add-admin">${authText.addAdmin[lang]}</h2>
${errorSummary(lang, e)}
<form method="post" action="${p.action}" novalidate>
${csrfField(p.principal)}
<label for="loginId">${authText.loginIdLabel[lang]}</label>
<p class="hint" id="login-hint">${authText.loginIdHint[lang]}</p>${fieldError(e, 'loginId')}
<input type="text" id="loginId" name="loginId" required maxlength="64" pattern="[a-z0-9][a-z0-9._\\-]{2,63}"${fieldAria(e, 'loginId', 'login-hint')} autocapitalize="none" spellcheck="false" value="${v.loginId ?? ''}">
<label for="displayName">${authText.displayName[lang]}</label>${fieldError(e, 'displayName')}
<input type="text" id="displayName" name="displayName" required maxlength="100"${fieldAria(e, 'displayName')} value="${v.displayName ?? ''}">
<div class="actions"><button class="button" type="submit">${authText.add[lang]}</button></div>
</form>`;
}
