import { html, type Lang, page, type PageOptions, raw, type SafeHtml } from '@tsunagu/web';
import { siteText as t } from './site.messages';
import { platformNoticeBanners } from './site-notices';

/** Where the footer's links go: public pages of the hub (portal/site.controller.ts, the manual). */
export const SITE_LINKS = { manual: '/portal/manual', contact: '/contact', privacy: '/privacy', terms: '/terms', notices: '/notices', inquiry: '/inquiry' } as const;

/** The footer of every resident-facing hub page: manual, inquiries, privacy policy, terms, who runs it. */
export function siteFooter(lang: Lang): SafeHtml {
  return html`<nav aria-label="${t.footerLabel[lang]}"><ul class="links">
<li><a href="${SITE_LINKS.manual}">${t.manual[lang]}</a></li>
<li><a href="${SITE_LINKS.contact}">${t.contact[lang]}</a></li>
<li><a href="${SITE_LINKS.inquiry}">${t.inquiry[lang]}</a></li>
<li><a href="${SITE_LINKS.notices}">${t.notices[lang]}</a></li>
<li><a href="${SITE_LINKS.privacy}">${t.privacy[lang]}</a></li>
<li><a href="${SITE_LINKS.terms}">${t.terms[lang]}</a></li>
</ul></nav>
<p>${t.owner[lang]}</p>`;
}

/** On a PC, the header's brand and the menu start where the page's text does (main is 40rem, 2rem padding). */
const siteHead = raw(`<style>@media (min-width:48rem){header.site{padding-left:max(2rem,calc(50% - 18rem));padding-right:max(2rem,calc(50% - 18rem))}nav.site ul{max-width:40rem;padding:0 1.5rem}}</style>`);

/**
 * The shell of every page a resident sees at the hub (portal, sign-in, sign-out, errors): the
 * platform's name with the prefecture's, the site name in every title, the platform's notices
 * (planned stops, the domain end) above the page's content, and the site footer.
 */
export function sitePage(options: Omit<PageOptions, 'brand' | 'brandNote' | 'siteName'>): SafeHtml {
  const { lang } = options;
  return page({
    ...options, brand: t.brand[lang], brandNote: t.brandNote[lang], siteName: t.siteName[lang], footer: options.footer ?? siteFooter(lang),
    head: html`${siteHead}${options.head ?? ''}`, body: html`${platformNoticeBanners(lang)}${options.body}`,
  });
}
