import type { JpkiTransferStatus } from '@tsunagu/contracts';
import { html, type Lang, raw, type SafeHtml } from '@tsunagu/web';
import { portalPage } from './portal.layout';
import { verifyText as t } from './portal.messages';

/** Why the resident's verification lapsed (their newest lapsed one, when none is current). */
export interface VerificationLapse {
  lapsedAt: Date;
  reason: 'revoked' | 'expired';
  /** The CRL's reasonCode name (affiliationChanged, keyCompromise, cessationOfOperation, …). */
  revocationReason: string | null;
}

/** A hand-over shown on the page: just created (with its QR code and link), or its state after a refresh. */
export interface TransferView {
  transferId: string;
  state: JpkiTransferStatus['state'];
  message?: { ja: string; en: string };
  /** Only right after creation: the token is not kept, so a refresh cannot show it again. */
  created?: { link: string; token: string; expiresAt: Date; qrSvg?: string };
}

function lapseNotice(lang: Lang, lapse: VerificationLapse): SafeHtml {
  const why = lapse.revocationReason && lapse.revocationReason in t.lapsedWhy ? t.lapsedWhy[lapse.revocationReason as keyof typeof t.lapsedWhy][lang] : '';
  return html`<div class="alert" role="alert" data-testid="verification-lapsed" data-reason="${lapse.reason}">
<h2>${t.lapsedTitle[lang]}</h2>
<p>${lapse.reason === 'revoked' ? t.lapsedRevoked[lang] : t.lapsedExpired[lang]}</p>
${why ? html`<p>${why}</p>` : ''}
<p>${t.lapsedPaused[lang]}</p>
</div>`;
}

function phoneSection(lang: Lang, csrf: string, returnTo: string | undefined, transfer: TransferView | undefined, fmt: Intl.DateTimeFormat): SafeHtml {
  const form = (label: string) => html`<form method="post" action="/account/verify/transfer"><input type="hidden" name="csrf" value="${csrf}">${returnTo ? html`<input type="hidden" name="return" value="${returnTo}">` : ''}
<button class="button" type="submit">${label}</button></form>`;
  let body: SafeHtml;
  if (transfer?.created) {
    const c = transfer.created;
    const check = `/account/verify?transfer=${transfer.transferId}${returnTo ? `&return=${encodeURIComponent(returnTo)}` : ''}`;
    body = html`<p>${t.phoneScan[lang]}</p>
${c.qrSvg ? html`<div class="qr" style="max-width:280px;width:100%" role="img" aria-label="${t.phoneScan[lang]}" data-testid="transfer-qr">${raw(c.qrSvg)}</div>` : ''}
<p><a href="${c.link}" data-testid="transfer-link">${t.phoneLink[lang]}</a></p>
<p>${t.phoneCode[lang]}:<br><code class="mono" style="word-break:break-all" data-testid="transfer-code">${c.token}</code></p>
<p class="hint">${t.phoneExpires[lang]}: ${fmt.format(c.expiresAt)}。${t.phoneOnce[lang]}</p>
<p role="status" data-testid="transfer-state" data-state="waiting" data-transfer="${transfer.transferId}" data-check="${check}">${t.phoneWaiting[lang]}</p>
<p><a class="button secondary" href="${check}" data-testid="transfer-check">${t.phoneCheck[lang]}</a></p>
<script src="/account/verify/transfer.js" defer></script>`;
  } else if (transfer) {
    const check = `/account/verify?transfer=${transfer.transferId}${returnTo ? `&return=${encodeURIComponent(returnTo)}` : ''}`;
    const text = transfer.state === 'verified' ? t.phoneVerified[lang] : transfer.state === 'refused' ? t.phoneRefused[lang] : transfer.state === 'expired' ? t.phoneExpired[lang] : t.phoneWaiting[lang];
    body = html`<p role="status" class="${transfer.state === 'verified' ? 'success' : transfer.state === 'waiting' ? '' : 'alert'}" data-testid="transfer-state" data-state="${transfer.state}">${text}</p>
${transfer.message ? html`<p>${transfer.message[lang]}</p>` : ''}
${transfer.state === 'waiting' ? html`<p><a class="button secondary" href="${check}" data-testid="transfer-check">${t.phoneCheck[lang]}</a></p>` : ''}
${transfer.state === 'verified' ? '' : form(t.phoneRetry[lang])}`;
  } else {
    body = html`<p>${t.phoneLead[lang]}</p>${form(t.phoneButton[lang])}`;
  }
  return html`<section class="card" aria-labelledby="phone-title" data-testid="phone-verification"><h2 id="phone-title">${t.phoneTitle[lang]}</h2>${body}</section>`;
}

/**
 * The identity-proofing page; `done` after a verification, `error` when the test card was refused,
 * `returnTo` (a service's sign-in step-up, `/interaction/:uid`) where a verification goes back to;
 * `lapse` when the last verification lapsed; `transfer` the hand-over to a card app on a phone.
 */
export function verifyPage(p: {
  lang: Lang; verifiedAt: Date | null; testCard: boolean; csrf: string; done?: boolean; error?: string; returnTo?: string;
  lapse?: VerificationLapse; transfer?: TransferView;
}): SafeHtml {
  const { lang } = p;
  const fmt = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' });
  return portalPage({
    lang, title: t.title[lang], path: '/account/verify', section: 'home',
    body: html`<h1>${t.title[lang]}</h1>
${p.done ? html`<div class="notice" role="status">${t.done[lang]}</div>` : ''}
${p.error ? html`<div class="alert" role="alert">${p.error}</div>` : ''}
${p.returnTo ? html`<div class="notice" role="status" data-testid="step-up-return">${t.stepUpReturn[lang]}</div>` : ''}
${!p.verifiedAt && p.lapse ? lapseNotice(lang, p.lapse) : ''}
<div class="card" data-testid="verification-status">
${p.verifiedAt ? html`<p><strong>${t.verified[lang]}</strong></p><p>${t.verifiedAt[lang]}: ${fmt.format(p.verifiedAt)}</p>` : html`<p><strong>${t.notVerified[lang]}</strong></p>`}
</div>
<p>${t.lead[lang]}</p>
<p class="hint">${t.kept[lang]}</p>
<p>${t.howTo[lang]}</p>
${phoneSection(lang, p.csrf, p.returnTo, p.transfer, fmt)}
${p.testCard ? html`<section class="card" style="border:3px dashed #ce0000" aria-labelledby="test-card-title">
<h2 id="test-card-title">${t.testTitle[lang]}</h2>
<p class="alert">${t.testWarning[lang]}</p>
<form method="post" action="/account/verify/test-card"><input type="hidden" name="csrf" value="${p.csrf}">${p.returnTo ? html`<input type="hidden" name="return" value="${p.returnTo}">` : ''}
<button class="button" type="submit">${t.testButton[lang]}</button></form>
</section>` : ''}
${p.returnTo ? html`<p><a href="${p.returnTo}">${t.backToSignIn[lang]}</a></p>` : html`<p><a href="/account">${t.back[lang]}</a></p>`}`,
  });
}

/** What a phone's browser shows when the hand-over link opens there instead of in a card app. */
export function cardAppLandingPage(lang: Lang): SafeHtml {
  return portalPage({
    lang, title: t.appTitle[lang], path: '/jpki/app', signedIn: false,
    body: html`<h1>${t.appTitle[lang]}</h1><p>${t.appLead[lang]}</p>`,
  });
}

/**
 * The page's only script (CSP: scripts from 'self'): polls the hand-over's state and, once the app
 * has answered, reloads the page to show the result. Without it, the "show the result" link does the same.
 */
export const TRANSFER_POLL_SCRIPT = `(function () {
  var el = document.querySelector('[data-testid="transfer-state"][data-transfer]');
  if (!el) return;
  var id = el.getAttribute('data-transfer');
  var check = el.getAttribute('data-check');
  function poll() {
    fetch('/api/v1/identity/jpki/transfers/' + encodeURIComponent(id), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s && s.state !== 'waiting') { window.location.assign(check); } else { setTimeout(poll, 2000); } })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
`;
