import type { DomainException } from '@tsunagu/common';
import { CSRF_FIELD, html, type Lang, type SafeHtml } from '@tsunagu/web';
import { sitePage } from '../../platform/site/site-page';
import { claimLabels, fieldProblemText, interactionErrorText, interactionText as t, scopeLabels, stepUpText } from './interaction.messages';
import { IDENTITY_VERIFICATION_PROMPT } from '../oidc/step-up.policy';
import type { InteractionView } from './interaction.service';

/** A scope as the resident reads it (the scope itself when it has no label). */
function scopeLabel(lang: Lang, scope: string): string {
  return Object.hasOwn(scopeLabels, scope) ? scopeLabels[scope as keyof typeof scopeLabels][lang] : scope;
}

/** A claim asked for by name as the resident reads it (the claim itself when it has no label). */
function claimLabel(lang: Lang, claim: string): string {
  return Object.hasOwn(claimLabels, claim) ? claimLabels[claim as keyof typeof claimLabels][lang] : claim;
}

/** The interaction's anti-forgery token, in every form of the screens (InteractionGuard checks it). */
function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
}

function errorBox(message?: string, code?: string): SafeHtml | '' {
  return message ? html`<div class="alert" role="alert" id="form-error"${code ? html` data-error-code="${code}"` : ''}>${message}</div>` : '';
}

export function loginPage(p: { lang: Lang; uid: string; csrf: string; clientName: string; error?: string; errorCode?: string; loginId?: string }): SafeHtml {
  const { lang } = p;
  return sitePage({
    lang, title: t.loginTitle[lang], path: `/interaction/${p.uid}`,
    body: html`<h1>${t.loginTitle[lang]}</h1>
<p><strong>${p.clientName}</strong>${t.loginLead[lang]}</p>
${errorBox(p.error, p.errorCode)}
<form method="post" action="/interaction/${p.uid}/login" novalidate>
${csrfField(p.csrf)}
<label for="loginId">${t.loginId[lang]}</label>
<input type="text" id="loginId" name="loginId" autocomplete="username" autocapitalize="none" required value="${p.loginId ?? ''}" ${p.error ? html`aria-describedby="form-error"` : ''} autofocus>
<label for="password">${t.password[lang]}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="actions"><button class="button" type="submit">${t.signIn[lang]}</button></div>
</form>
<form method="post" action="/interaction/${p.uid}/abort">${csrfField(p.csrf)}<button class="button secondary" type="submit">${t.cancel[lang]}</button></form>
<h2>${t.noAccount[lang]}</h2>
<p><a href="/interaction/${p.uid}/register">${t.register[lang]}</a></p>
<p><a href="/account/recovery" data-testid="forgot-password">${t.forgotPassword[lang]}</a></p>`,
  });
}

/** The consent screen: every scope and every claim asked for by name that the service would receive, each said once. */
export function consentPage(p: { lang: Lang; uid: string; csrf: string; clientName: string; scopes: string[]; claims?: string[] }): SafeHtml {
  const { lang } = p;
  const items = [...new Set([...p.scopes.map((s) => scopeLabel(lang, s)), ...(p.claims ?? []).map((c) => claimLabel(lang, c))])];
  return sitePage({
    lang, title: t.consentTitle[lang], path: `/interaction/${p.uid}`,
    body: html`<h1>${t.consentTitle[lang]}</h1>
<p><strong>${p.clientName}</strong>${t.consentLead[lang]}</p>
<ul class="scopes">${items.map((item) => html`<li>${item}</li>`)}</ul>
<p class="hint">${t.consentNote[lang]}</p>
<div class="actions">
<form method="post" action="/interaction/${p.uid}/confirm">${csrfField(p.csrf)}<button class="button" type="submit" autofocus>${t.allow[lang]}</button></form>
<form method="post" action="/interaction/${p.uid}/abort">${csrfField(p.csrf)}<button class="button secondary" type="submit">${t.deny[lang]}</button></form>
</div>`,
  });
}

export function registerPage(p: { lang: Lang; uid: string; csrf: string; error?: string; errorCode?: string; values?: { loginId?: string; displayName?: string } }): SafeHtml {
  const { lang } = p;
  return sitePage({
    lang, title: t.registerTitle[lang], path: `/interaction/${p.uid}/register`,
    body: html`<h1>${t.registerTitle[lang]}</h1>
${errorBox(p.error, p.errorCode)}
<form method="post" action="/interaction/${p.uid}/register" novalidate>
${csrfField(p.csrf)}
<label for="displayName">${t.displayName[lang]}</label>
<input type="text" id="displayName" name="displayName" autocomplete="name" required maxlength="64" value="${p.values?.displayName ?? ''}">
<label for="loginId">${t.loginId[lang]}</label>
<p class="hint" id="loginId-hint">${t.loginIdHint[lang]}</p>
<input type="text" id="loginId" name="loginId" autocomplete="username" autocapitalize="none" required aria-describedby="loginId-hint" value="${p.values?.loginId ?? ''}">
<label for="password">${t.password[lang]}</label>
<p class="hint" id="password-hint">${t.passwordHint[lang]}</p>
<input type="password" id="password" name="password" autocomplete="new-password" required minlength="10" aria-describedby="password-hint">
<div class="actions"><button class="button" type="submit">${t.create[lang]}</button></div>
</form>
<p><a href="/interaction/${p.uid}">${t.back[lang]}</a></p>`,
  });
}

/**
 * The step-up screen: why the service asks for the card verification, the way to it (the portal's
 * identity-proofing page, which comes back to this interaction), and cancelling; a voluntary
 * request (`acr_values`) may also go on at the session's level.
 */
export function stepUpPage(p: { lang: Lang; uid: string; csrf: string; clientName: string; essential: boolean }): SafeHtml {
  const { lang } = p;
  const s = stepUpText;
  const verifyHref = `/account/verify?return=${encodeURIComponent(`/interaction/${p.uid}`)}`;
  return sitePage({
    lang, title: s.title[lang], path: `/interaction/${p.uid}`,
    body: html`<h1>${s.title[lang]}</h1>
<p><strong>${p.clientName}</strong>${s.lead[lang]}</p>
<p>${s.why[lang]}</p>
<p class="hint">${s.howTo[lang]}</p>
<div class="actions"><a class="button" id="verify-identity" href="${verifyHref}">${s.verify[lang]}</a></div>
<p class="hint">${p.essential ? s.essential[lang] : s.voluntary[lang]}</p>
${p.essential ? '' : html`<form method="post" action="/interaction/${p.uid}/continue-unverified">${csrfField(p.csrf)}<button class="button secondary" type="submit">${s.continueUnverified[lang]}</button></form>`}
<form method="post" action="/interaction/${p.uid}/abort">${csrfField(p.csrf)}<button class="button secondary" type="submit">${s.cancel[lang]}</button></form>`,
  });
}

/** The screen of an interaction: sign-in, the step-up to card verification, or the consent to the scopes the service asks for. */
export function interactionPage(lang: Lang, view: InteractionView): SafeHtml {
  if (view.prompt === 'login') return loginPage({ lang, uid: view.uid, csrf: view.csrf, clientName: view.clientName });
  if (view.prompt === IDENTITY_VERIFICATION_PROMPT) return stepUpPage({ lang, uid: view.uid, csrf: view.csrf, clientName: view.clientName, essential: view.requestedAcr?.essential ?? true });
  return consentPage({ lang, uid: view.uid, csrf: view.csrf, clientName: view.clientName, scopes: view.missingScopes.length ? view.missingScopes : ['openid'], claims: view.missingClaims });
}

/** Why a sign-in was refused, in words: an empty form, or the refusal's own message. */
export function signInProblem(lang: Lang, error: DomainException): string {
  return error.code === 'invalid_request' ? t.loginMissing[lang] : error.bilingual[lang];
}

/** Why a registration was refused: each field's problem, or the refusal's own message. */
export function registrationProblem(lang: Lang, error: DomainException): string {
  if (error.code !== 'invalid_request') return error.bilingual[lang];
  return (error.details ?? []).map((d) => (Object.hasOwn(fieldProblemText, d.field) ? fieldProblemText[d.field as keyof typeof fieldProblemText][lang] : `${d.field}: ${d.problem}`)).join(' ');
}

/** What a failed sign-in screen becomes: `expired` when its interaction is gone (start again at the service). */
export function interactionErrorPage(lang: Lang, expired: boolean): SafeHtml {
  const e = interactionErrorText;
  const title = expired ? e.title[lang] : e.errorTitle[lang];
  return sitePage({ lang, title, body: html`<h1>${title}</h1><div class="alert" role="alert"><p>${expired ? e.lead[lang] : e.errorLead[lang]}</p></div>` });
}

/** What a refused form of the screens becomes (a missing or foreign anti-forgery token): the refusal's words. */
export function interactionRefusedPage(lang: Lang, error: DomainException): SafeHtml {
  const title = interactionErrorText.refusedTitle[lang];
  return sitePage({ lang, title, body: html`<h1>${title}</h1><div class="alert" role="alert"><p>${error.bilingual[lang]}</p></div>` });
}
