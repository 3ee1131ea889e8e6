import { html, type Lang, raw, type SafeHtml } from '@tsunagu/web';
import type { ContactConfig } from '../platform/config/hub.config';
import { SITE_LINKS, sitePage } from '../platform/site/site-page';
import { noticesPageBody, type PlatformNoticeView } from '../platform/site/site-notices';
import type { RenderedDocument } from './site-documents';
import { siteDocumentText as t } from './portal.messages';

/** A policy document (privacy policy, terms) as a page, or a notice when the deployment lacks it. */
export function documentPage(p: { lang: Lang; path: string; title: string; document: RenderedDocument | undefined }): SafeHtml {
  return sitePage({
    lang: p.lang, title: p.title, path: p.path,
    body: p.document ? raw(p.document.html) : html`<h1>${p.title}</h1><p class="alert">${t.missing[p.lang]}</p>`,
  });
}

/** The inquiry desk the operator configured (CONTACT_*), or where to ask until there is one. */
export function contactPage(p: { lang: Lang; contact: ContactConfig }): SafeHtml {
  const { lang, contact: c } = p;
  const desk = lang === 'ja' ? c.CONTACT_DESK_JA : c.CONTACT_DESK_EN ?? c.CONTACT_DESK_JA;
  const hours = lang === 'ja' ? c.CONTACT_HOURS_JA : c.CONTACT_HOURS_EN ?? c.CONTACT_HOURS_JA;
  return sitePage({
    lang, title: t.contactTitle[lang], path: SITE_LINKS.contact,
    body: html`<h1>${t.contactTitle[lang]}</h1>
<p>${t.contactLead[lang]}</p>
${desk ? html`<div class="card" data-testid="contact-desk"><dl class="terms">
<dt>${t.desk[lang]}</dt><dd>${desk}</dd>
${c.CONTACT_PHONE ? html`<dt>${t.phone[lang]}</dt><dd><a href="tel:${c.CONTACT_PHONE.replace(/[^0-9+]/g, '')}">${c.CONTACT_PHONE}</a></dd>` : ''}
${c.CONTACT_EMAIL ? html`<dt>${t.email[lang]}</dt><dd><a href="mailto:${c.CONTACT_EMAIL}">${c.CONTACT_EMAIL}</a></dd>` : ''}
${hours ? html`<dt>${t.hours[lang]}</dt><dd>${hours}</dd>` : ''}
</dl></div>` : html`<p class="notice" data-testid="contact-desk-unset">${t.deskUnset[lang]}</p>`}
<p class="hint">${t.beforeAsking[lang]}</p>
<p>${t.manualHint[lang]} <a href="${SITE_LINKS.manual}">${t.openManual[lang]}</a></p>`,
  });
}


/** The public notices page (planned stops and the domain end). */
export function noticesPage(p: { lang: Lang; notices: PlatformNoticeView[] }): SafeHtml {
  return sitePage({ lang: p.lang, path: SITE_LINKS.notices, title: p.lang === 'ja' ? 'お知らせ' : 'Notices', body: noticesPageBody(p.lang, p.notices) });
}
