import { html, type Lang, raw, type SafeHtml, tokensFor, WebReply } from '@tsunagu/web';
import { sitePage } from '../platform/site/site-page';
import { footerText, navText } from './portal.messages';

export type PortalSection = 'home' | 'notices' | 'data-uses' | 'consents' | 'provisions' | 'links' | 'manual' | 'inquiries';

const sections: { id: keyof typeof navText; href: string }[] = [
  { id: 'home', href: '/account' },
  { id: 'notices', href: '/portal/notices' },
  { id: 'data-uses', href: '/portal/data-uses' },
  { id: 'consents', href: '/portal/consents' },
  { id: 'provisions', href: '/portal/provisions' },
  { id: 'links', href: '/portal/links' },
  { id: 'inquiries', href: '/portal/inquiries' },
];

/** The resident portal's page shell: the hub's site shell with the portal menu. */
export function portalPage(p: { lang: Lang; title: string; path: string; section?: PortalSection; body: SafeHtml; signedIn?: boolean }): SafeHtml {
  const { lang } = p;
  const nav = p.signedIn === false ? undefined : html`<ul>${sections.map((s) => html`<li><a href="${s.href}"${s.id === p.section ? html` aria-current="page"` : ''}>${navText[s.id][lang]}</a></li>`)}
<li><a href="/account/logout">${footerText.signOut[lang]}</a></li></ul>`;
  return sitePage({ lang, title: p.title, path: p.path, body: p.body, nav, head: portalHead });
}

/** A portal page as a handler's answer: never cached (every page carries personal data or a CSRF token). */
export function portalReply(body: SafeHtml, status = 200): WebReply {
  return WebReply.page(body, status).noStore();
}

/** Dates as residents read them, in Japan time. */
export function formatDate(lang: Lang, value: string | Date | null | undefined, withTime = true): string {
  if (!value) return '';
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    dateStyle: 'medium', ...(withTime ? { timeStyle: 'short' } : {}), timeZone: 'Asia/Tokyo',
  }).format(new Date(value));
}

/** Styles only the portal pages use, on the same design tokens as the shared layout. */
const portalCss = `
ul.cards{list-style:none;padding:0;margin:0}
.tag{display:inline-block;margin:0;padding:0 .5rem;border-radius:1rem;font-size:var(--font-size-14);font-weight:700;border:1px solid currentColor;line-height:1.6}
.tag-active{color:var(--color-primitive-green-800)}
.tag-paused,.tag-new{color:var(--color-primitive-orange-900)}
.tag-withdrawn,.tag-expired,.tag-ended,.tag-none{color:var(--color-neutral-solid-gray-600)}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
dl.terms{margin:0}
.changed{border:2px solid var(--color-primitive-orange-900);border-radius:var(--border-radius-8);padding:.5rem 1rem 1rem;margin:1rem 0}
.changed h2{margin-top:.5rem}
.diff-before{color:var(--color-neutral-solid-gray-600)}.diff-removed{text-decoration:line-through}
.diff-after,.diff-added{font-weight:700}
.reason{margin:.25rem 0}dl.terms dt{font-weight:700;margin-top:.75rem}dl.terms dd{margin:0}
fieldset{border:1px solid var(--color-neutral-solid-gray-200);border-radius:var(--border-radius-8);padding:.5rem 1rem 1rem;margin:1rem 0}
legend{font-weight:700;padding:0 .25rem}
.check{display:flex;gap:.75rem;align-items:flex-start;margin:.75rem 0;font-weight:400}
.check input{width:1.5rem;height:1.5rem;margin:.2rem 0 0;flex:none;accent-color:var(--color-primitive-blue-900)}
.check strong{display:block}
.choice{display:grid;grid-template-columns:1fr 1fr;gap:.75rem;margin:1.5rem 0}
.choice form{margin:0}
.choice .button{width:100%;min-width:0;padding:.75rem .5rem;background:var(--color-neutral-white);color:var(--color-primitive-blue-900);border-width:3px}
.choice .button:hover{background:var(--color-primitive-blue-50);color:var(--color-primitive-blue-1000)}
table.data .button{white-space:nowrap;min-width:0;padding:.5rem 1rem}
pre.jws{white-space:pre-wrap;word-break:break-all;font-size:.75rem;background:var(--color-neutral-solid-gray-50);padding:.5rem;border-radius:4px}
textarea,input[type=file]{display:block;width:100%;max-width:100%;box-sizing:border-box;font-size:var(--font-size-16);border:1px solid var(--grey-600);border-radius:var(--radius);padding:.5rem .75rem}
ul.toc{list-style:none;padding:0;margin:0}ul.toc li{margin:.5rem 0}
textarea{font-family:var(--font-family-mono);min-height:8rem;word-break:break-all}
`;
export const portalHead = raw(`<style>${tokensFor(portalCss)}\n${portalCss}</style>`);
