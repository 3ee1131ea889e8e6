import { INQUIRY_CATEGORIES } from '@tsunagu/contracts';
import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { InquiryView } from '../compliance/inquiries/inquiries.service';
import { SITE_LINKS, sitePage } from '../platform/site/site-page';
import { formatDate, portalPage } from './portal.layout';
import { INQUIRY_CATEGORY_LABELS, INQUIRY_STATUS_LABELS, inquiryText as t } from './inquiry.messages';

/** The inquiry form (no sign-in needed; signed in, the account is attached). */
export function inquiryFormPage(p: { lang: Lang; desks: { code: string; name_ja: string; name_en: string }[]; csrf?: string; error?: string; values?: Record<string, string> }): SafeHtml {
  const { lang } = p;
  const v = p.values ?? {};
  return sitePage({
    lang, title: t.title[lang], path: SITE_LINKS.inquiry,
    body: html`<h1>${t.title[lang]}</h1>
<p>${t.lead[lang]}</p>
${p.csrf ? html`<p class="notice" data-testid="inquiry-signed-in">${t.signedIn[lang]}</p>` : html`<p>${t.signIn[lang]} <a href="/account/login?next=${encodeURIComponent(SITE_LINKS.inquiry)}">${t.signInLink[lang]}</a></p>`}
${p.error ? html`<div class="alert" role="alert" data-testid="inquiry-error">${p.error}</div>` : ''}
<form method="post" action="${SITE_LINKS.inquiry}" data-testid="inquiry-form">
${p.csrf ? html`<input type="hidden" name="csrf" value="${p.csrf}">` : ''}
<label for="category">${t.category[lang]}</label>
<select id="category" name="category" required>${INQUIRY_CATEGORIES.map((c) => html`<option value="${c}"${v.category === c ? html` selected` : ''}>${INQUIRY_CATEGORY_LABELS[c][lang]}</option>`)}</select>
<label for="tenant">${t.desk[lang]}</label>
<select id="tenant" name="tenant"><option value="">${t.platformDesk[lang]}</option>${p.desks.map((d) => html`<option value="${d.code}"${v.tenant === d.code ? html` selected` : ''}>${lang === 'ja' ? d.name_ja : d.name_en}</option>`)}</select>
<label for="message">${t.message[lang]}</label>
<textarea id="message" name="message" rows="6" maxlength="2000" required>${v.message ?? ''}</textarea>
<label for="name">${t.name[lang]}</label><input type="text" id="name" name="name" maxlength="100" autocomplete="name" value="${v.name ?? ''}">
<label for="contact">${t.contact[lang]}</label><input type="text" id="contact" name="contact" maxlength="200" autocomplete="email" value="${v.contact ?? ''}">
<div class="actions"><button class="button" type="submit">${t.send[lang]}</button></div>
</form>
<p><a href="${SITE_LINKS.inquiry}/status">${t.checkOther[lang]}</a></p>`,
  });
}

/** After sending: the receipt number and the key (shown once). */
export function inquiryReceivedPage(p: { lang: Lang; receiptNo: string; key: string; signedIn: boolean }): SafeHtml {
  const { lang } = p;
  return sitePage({
    lang, title: t.receivedTitle[lang], path: SITE_LINKS.inquiry,
    body: html`<h1>${t.receivedTitle[lang]}</h1>
<div class="card"><dl class="terms">
<dt>${t.receiptNo[lang]}</dt><dd class="mono" style="font-size:1.5rem" data-testid="receipt-no">${p.receiptNo}</dd>
<dt>${t.key[lang]}</dt><dd class="mono" data-testid="inquiry-key">${p.key}</dd>
</dl></div>
<p>${t.keep[lang]}</p>
<div class="actions">${p.signedIn ? html`<a class="button" href="/portal/inquiries">${t.mine[lang]}</a>` : ''}<a class="button secondary" href="${SITE_LINKS.inquiry}/status">${t.checkOther[lang]}</a></div>`,
  });
}

function inquiryCard(lang: Lang, i: InquiryView): SafeHtml {
  const r = i.row;
  return html`<div class="card" data-inquiry="${r.receipt_no}">
<p><span class="tag" data-status="${r.status}">${INQUIRY_STATUS_LABELS[r.status][lang]}</span> <span class="mono">${r.receipt_no}</span></p>
<p class="hint">${t.sentAt[lang]}: ${formatDate(lang, r.created_at)} / ${INQUIRY_CATEGORY_LABELS[r.category][lang]}</p>
<p style="white-space:pre-wrap">${r.message}</p>
<h3>${t.replies[lang]}</h3>
${r.replies.length ? html`<ul class="cards" data-testid="inquiry-replies">${r.replies.map((x) => html`<li class="card"><p class="hint">${formatDate(lang, x.created_at)}</p><p style="white-space:pre-wrap">${x.body}</p></li>`)}</ul>` : html`<p>${t.noReplies[lang]}</p>`}
</div>`;
}

/** Looking an inquiry up with its receipt number and key, and the answer when found. */
export function inquiryStatusPage(p: { lang: Lang; inquiry?: InquiryView; error?: string }): SafeHtml {
  const { lang } = p;
  return sitePage({
    lang, title: t.statusTitle[lang], path: `${SITE_LINKS.inquiry}/status`,
    body: html`<h1>${t.statusTitle[lang]}</h1>
${p.error ? html`<div class="alert" role="alert">${p.error}</div>` : ''}
${p.inquiry ? inquiryCard(lang, p.inquiry) : html`<form method="post" action="${SITE_LINKS.inquiry}/status">
<label for="receipt">${t.receiptNo[lang]}</label><input type="text" id="receipt" name="receipt" required maxlength="17" autocomplete="off" placeholder="Q-20261202-ABC123">
<label for="key">${t.key[lang]}</label><input type="text" id="key" name="key" required maxlength="32" autocomplete="off">
<div class="actions"><button class="button" type="submit">${t.check[lang]}</button></div>
</form>`}`,
  });
}

/** The signed-in resident's inquiries with the admins' answers. */
export function myInquiriesPage(p: { lang: Lang; inquiries: InquiryView[] }): SafeHtml {
  const { lang } = p;
  return portalPage({
    lang, title: t.mine[lang], path: '/portal/inquiries', section: 'inquiries',
    body: html`<h1>${t.mine[lang]}</h1>
${p.inquiries.length ? html`<div data-testid="my-inquiries">${p.inquiries.map((i) => inquiryCard(lang, i))}</div>` : html`<p>${t.none[lang]}</p>`}
<div class="actions"><a class="button secondary" href="${SITE_LINKS.inquiry}">${t.newOne[lang]}</a></div>`,
  });
}
