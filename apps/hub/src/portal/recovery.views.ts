import type { CardRecoveryChallengeResponse } from '@tsunagu/contracts';
import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { EmailStatus } from '../identity/recovery/recovery.service';
import type { ResidentSessionView } from '../identity/session/resident-sessions.service';
import { formatDate, portalPage } from './portal.layout';
import { emailText as e, recoveryText as t, sessionsText as s } from './recovery.messages';

const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k]));

function alert(error: string | undefined): SafeHtml | string {
  return error ? html`<div class="alert" role="alert" data-testid="recovery-error">${error}</div>` : '';
}

/** Signed-out pages of the reset flow: the portal shell without the menu. */
function recoveryPage(lang: Lang, title: string, path: string, body: SafeHtml): SafeHtml {
  return portalPage({ lang, title, path, body, signedIn: false });
}

/** The choice: by card, or by e-mail (said plainly when this hub cannot send e-mail). */
export function recoveryStartPage(p: { lang: Lang; emailAvailable: boolean }): SafeHtml {
  const { lang } = p;
  return recoveryPage(lang, t.title[lang], '/account/recovery', html`<h1>${t.title[lang]}</h1>
<p>${t.lead[lang]}</p>
<div class="card"><h2>${t.byCard[lang]}</h2><p>${t.byCardHint[lang]}</p><a class="button" href="/account/recovery/card" data-testid="reset-by-card">${t.byCard[lang]}</a></div>
<div class="card"><h2>${t.byEmail[lang]}</h2>
${p.emailAvailable
    ? html`<p>${t.byEmailHint[lang]}</p><a class="button" href="/account/recovery/email" data-testid="reset-by-email">${t.byEmail[lang]}</a>`
    : html`<p class="notice" data-testid="email-unavailable">${t.emailUnavailable[lang]}</p>`}
</div>
<p class="hint">${t.neither[lang]} <a href="/inquiry">/inquiry</a></p>`);
}

export function emailResetPage(p: { lang: Lang; emailAvailable: boolean; error?: string; loginId?: string }): SafeHtml {
  const { lang } = p;
  return recoveryPage(lang, t.byEmail[lang], '/account/recovery/email', html`<h1>${t.byEmail[lang]}</h1>
${alert(p.error)}
${p.emailAvailable ? html`<p>${t.byEmailHint[lang]}</p>
<form method="post" action="/account/recovery/email" data-testid="email-reset-form">
<label for="loginId">${t.loginId[lang]}</label><input type="text" id="loginId" name="loginId" maxlength="64" autocomplete="username" autocapitalize="none" required value="${p.loginId ?? ''}">
<label for="email">${t.email[lang]}</label><input type="email" id="email" name="email" maxlength="254" autocomplete="email" inputmode="email" required>
<div class="actions"><button class="button" type="submit">${t.send[lang]}</button></div>
</form>` : html`<p class="notice" data-testid="email-unavailable">${t.emailUnavailable[lang]}</p><p><a class="button" href="/account/recovery/card">${t.byCard[lang]}</a></p>`}
<p><a href="/account/recovery">${t.back[lang]}</a></p>`);
}

/** The uniform answer of a reset request by e-mail. */
export function emailResetSentPage(p: { lang: Lang; minutes: number }): SafeHtml {
  const { lang } = p;
  return recoveryPage(lang, t.sentTitle[lang], '/account/recovery/email', html`<h1>${t.sentTitle[lang]}</h1>
<div class="success" role="status" data-testid="reset-sent"><p>${fill(t.sent[lang], { minutes: p.minutes })}</p></div>
<p><a href="/account/recovery">${t.back[lang]}</a></p>`);
}

export function cardResetPage(p: { lang: Lang; error?: string }): SafeHtml {
  const { lang } = p;
  return recoveryPage(lang, t.cardTitle[lang], '/account/recovery/card', html`<h1>${t.cardTitle[lang]}</h1>
${alert(p.error)}
<p>${t.cardLead[lang]}</p>
<form method="post" action="/account/recovery/card" data-testid="card-reset-form">
<label for="loginId">${t.loginId[lang]}</label><input type="text" id="loginId" name="loginId" maxlength="64" autocomplete="username" autocapitalize="none" required>
<div class="actions"><button class="button" type="submit">${t.next[lang]}</button></div>
</form>
<p><a href="/account/recovery">${t.back[lang]}</a></p>`);
}

/** The challenge for the card app; in development, the test card can answer it. */
export function cardChallengePage(p: { lang: Lang; challenge: CardRecoveryChallengeResponse; testCard: boolean }): SafeHtml {
  const { lang, challenge } = p;
  return recoveryPage(lang, t.cardChallengeTitle[lang], '/account/recovery/card', html`<h1>${t.cardChallengeTitle[lang]}</h1>
<p>${fill(t.cardChallengeLead[lang], { time: formatDate(lang, challenge.expiresAt) })}</p>
<div class="card"><dl class="terms">
<dt>${t.challengeId[lang]}</dt><dd class="mono" data-testid="challenge-id">${challenge.challengeId}</dd>
<dt>${t.challenge[lang]}</dt><dd class="mono" data-testid="challenge">${challenge.challenge}</dd>
</dl></div>
${p.testCard ? html`<form method="post" action="/account/recovery/card/test-card" data-testid="test-card-form">
<input type="hidden" name="challengeId" value="${challenge.challengeId}">
<div class="actions"><button class="button secondary" type="submit">${t.testCard[lang]}</button></div></form>` : ''}
<p><a href="/account/recovery">${t.back[lang]}</a></p>`);
}

export function newPasswordPage(p: { lang: Lang; token: string; error?: string }): SafeHtml {
  const { lang } = p;
  return recoveryPage(lang, t.newTitle[lang], '/account/recovery/reset', html`<h1>${t.newTitle[lang]}</h1>
${alert(p.error)}
<p>${t.newLead[lang]}</p>
<form method="post" action="/account/recovery/reset" data-testid="new-password-form">
<input type="hidden" name="token" value="${p.token}">
<label for="loginId">${t.loginId[lang]}</label><input type="text" id="loginId" name="loginId" maxlength="64" autocomplete="username" autocapitalize="none" required>
<label for="password">${t.password[lang]}</label><input type="password" id="password" name="password" minlength="10" maxlength="256" autocomplete="new-password" required>
<label for="passwordConfirm">${t.passwordConfirm[lang]}</label><input type="password" id="passwordConfirm" name="passwordConfirm" minlength="10" maxlength="256" autocomplete="new-password" required>
<div class="actions"><button class="button" type="submit">${t.save[lang]}</button></div>
</form>`);
}

export function resetDonePage(p: { lang: Lang; sessions: number; grants: number }): SafeHtml {
  const { lang } = p;
  return recoveryPage(lang, t.doneTitle[lang], '/account/recovery/reset', html`<h1>${t.doneTitle[lang]}</h1>
<div class="success" role="status" data-testid="reset-done"><p>${fill(t.done[lang], { sessions: p.sessions, grants: p.grants })}</p></div>
<div class="actions"><a class="button" href="/account/login">${t.signIn[lang]}</a></div>`);
}

/** The account's e-mail address: status, add or change (by a link to it), remove. */
export function emailSettingsPage(p: { lang: Lang; status: EmailStatus; csrf: string; done?: 'sent' | 'removed'; error?: string }): SafeHtml {
  const { lang, status } = p;
  return portalPage({
    lang, title: e.title[lang], path: '/account/email', section: 'home',
    body: html`<h1>${e.title[lang]}</h1>
${p.done ? html`<div class="success" role="status" data-testid="email-done">${p.done === 'sent' ? e.sent[lang] : e.removed[lang]}</div>` : ''}
${alert(p.error)}
<p>${e.lead[lang]}</p>
<div class="card"><h2>${e.current[lang]}</h2>
${status.address ? html`<p><span class="mono" data-testid="email-address">${status.address}</span> ${status.verifiedAt ? html`<span class="tag tag-active">${e.verified[lang]}</span>` : ''}</p>
<form method="post" action="/account/email/delete"><input type="hidden" name="csrf" value="${p.csrf}"><button class="button secondary" type="submit">${e.remove[lang]}</button></form>` : html`<p>${e.none[lang]}</p>`}
${status.pending ? html`<p class="notice" data-testid="email-pending">${fill(e.pending[lang], { address: status.pending })}</p>` : ''}
</div>
${status.available ? html`<form method="post" action="/account/email" data-testid="email-form">
<input type="hidden" name="csrf" value="${p.csrf}">
<label for="email">${e.newAddress[lang]}</label><input type="email" id="email" name="email" maxlength="254" autocomplete="email" inputmode="email" required>
<div class="actions"><button class="button" type="submit">${e.send[lang]}</button></div>
</form>` : html`<p class="notice" data-testid="email-unavailable">${e.unavailable[lang]}</p>`}
<p><a href="/account">${e.toAccount[lang]}</a></p>`,
  });
}

/** The landing page of a verification link: one button, so that a mail scanner opening the link changes nothing. */
export function emailConfirmPage(p: { lang: Lang; token: string; error?: string }): SafeHtml {
  const { lang } = p;
  return recoveryPage(lang, e.confirmTitle[lang], '/account/email/verify', html`<h1>${e.confirmTitle[lang]}</h1>
${alert(p.error)}
${p.error ? '' : html`<p>${e.confirmLead[lang]}</p>
<form method="post" action="/account/email/verify" data-testid="email-confirm-form"><input type="hidden" name="token" value="${p.token}">
<div class="actions"><button class="button" type="submit">${e.confirm[lang]}</button></div></form>`}`);
}

export function emailConfirmedPage(lang: Lang): SafeHtml {
  return recoveryPage(lang, e.confirmedTitle[lang], '/account/email/verify', html`<h1>${e.confirmedTitle[lang]}</h1>
<div class="success" role="status" data-testid="email-confirmed"><p>${e.confirmed[lang]}</p></div>
<div class="actions"><a class="button" href="/account">${e.toAccount[lang]}</a></div>`);
}

/** The resident's sessions: cards (they read well on a phone), the current one marked, each with its sign-out. */
export function sessionsPage(p: { lang: Lang; sessions: ResidentSessionView[]; done?: boolean }): SafeHtml {
  const { lang } = p;
  return portalPage({
    lang, title: s.title[lang], path: '/account/sessions', section: 'home',
    body: html`<h1>${s.title[lang]}</h1>
${p.done ? html`<div class="success" role="status" data-testid="sessions-done">${s.ended[lang]}</div>` : ''}
<p>${s.lead[lang]}</p>
${p.sessions.length === 0 ? html`<p>${s.none[lang]}</p>` : html`<ul class="cards" data-testid="sessions">${p.sessions.map((v) => html`<li class="card" data-uid="${v.uid}" data-current="${v.current ? 'true' : 'false'}">
<h2>${v.device[lang]} ${v.current ? html`<span class="tag tag-active" data-testid="current-session">${s.current[lang]}</span>` : ''}</h2>
<dl class="terms">
<dt>${s.signedInAt[lang]}</dt><dd>${formatDate(lang, v.signedInAt)}</dd>
<dt>${s.lastSeen[lang]}</dt><dd>${v.lastSeenAt ? formatDate(lang, v.lastSeenAt) : s.unknown[lang]}</dd>
<dt>${s.address[lang]}</dt><dd class="mono">${v.clientIp ?? s.unknown[lang]}</dd>
</dl>
<p class="hint">${fill(s.services[lang], { n: v.services })}</p>
<a class="button secondary" href="/account/sessions/${encodeURIComponent(v.uid)}/end">${s.end[lang]}<span class="visually-hidden">: ${v.device[lang]}</span></a>
</li>`)}</ul>
<div class="actions"><a class="button secondary" href="/account/sessions/end-all" data-testid="end-all">${s.endAll[lang]}</a></div>`}
<p><a href="/account">${e.toAccount[lang]}</a></p>`,
  });
}

/** The confirmation before a sign-out: of one session (named by its device) or of all. */
export function endSessionConfirmPage(p: { lang: Lang; csrf: string; session?: ResidentSessionView }): SafeHtml {
  const { lang, session } = p;
  const action = session ? `/account/sessions/${encodeURIComponent(session.uid)}/end` : '/account/sessions/end-all';
  return portalPage({
    lang, title: s.confirmTitle[lang], path: '/account/sessions', section: 'home',
    body: html`<h1>${s.confirmTitle[lang]}</h1>
${session ? html`<p>${s.confirmOne[lang]}</p><div class="card"><p><strong>${session.device[lang]}</strong> — ${formatDate(lang, session.signedInAt)}${session.clientIp ? ` — ${session.clientIp}` : ''}</p></div>
${session.current ? html`<p class="notice">${s.confirmCurrent[lang]}</p>` : ''}` : html`<p>${s.confirmAll[lang]}</p>`}
<div class="choice">
<form method="post" action="${action}" data-testid="end-session-form"><input type="hidden" name="csrf" value="${p.csrf}"><button class="button" type="submit">${s.yes[lang]}</button></form>
<a class="button secondary" href="/account/sessions">${s.cancel[lang]}</a>
</div>`,
  });
}
