import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import { portalPage } from './portal.layout';
import { verifyText as t } from './portal.messages';

/**
 * The identity-proofing page; `done` after a verification, `error` when the test card was refused,
 * `returnTo` (a service's sign-in step-up, `/interaction/:uid`) where a verification goes back to.
 */
export function verifyPage(p: { lang: Lang; verifiedAt: Date | null; testCard: boolean; csrf: string; done?: boolean; error?: string; returnTo?: string }): SafeHtml {
  const { lang } = p;
  const fmt = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' });
  return portalPage({
    lang, title: t.title[lang], path: '/account/verify', section: 'home',
    body: html`<h1>${t.title[lang]}</h1>
${p.done ? html`<div class="notice" role="status">${t.done[lang]}</div>` : ''}
${p.error ? html`<div class="alert" role="alert">${p.error}</div>` : ''}
${p.returnTo ? html`<div class="notice" role="status" data-testid="step-up-return">${t.stepUpReturn[lang]}</div>` : ''}
<div class="card" data-testid="verification-status">
${p.verifiedAt ? html`<p><strong>${t.verified[lang]}</strong></p><p>${t.verifiedAt[lang]}: ${fmt.format(p.verifiedAt)}</p>` : html`<p><strong>${t.notVerified[lang]}</strong></p>`}
</div>
<p>${t.lead[lang]}</p>
<p class="hint">${t.kept[lang]}</p>
<p>${t.howTo[lang]}</p>
${p.testCard ? html`<section class="card" style="border:3px dashed #ce0000" aria-labelledby="test-card-title">
<h2 id="test-card-title">${t.testTitle[lang]}</h2>
<p class="alert">${t.testWarning[lang]}</p>
<form method="post" action="/account/verify/test-card"><input type="hidden" name="csrf" value="${p.csrf}">${p.returnTo ? html`<input type="hidden" name="return" value="${p.returnTo}">` : ''}
<button class="button" type="submit">${t.testButton[lang]}</button></form>
</section>` : ''}
${p.returnTo ? html`<p><a href="${p.returnTo}">${t.backToSignIn[lang]}</a></p>` : html`<p><a href="/account">${t.back[lang]}</a></p>`}`,
  });
}

