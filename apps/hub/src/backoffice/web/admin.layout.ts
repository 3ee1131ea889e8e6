import { html, type Lang, type Msg, page, raw, type SafeHtml, supportDetails, tokensFor, WebReply } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { platformNoticeBanners } from '../../platform/site/site-notices';
import { layoutText, navText, supportText } from './web.messages';

export type AdminSection = 'dashboard' | 'services' | 'connectors' | 'offers' | 'data-uses' | 'agreements' | 'account'
  | 'tenants' | 'settings' | 'audit' | 'queues' | 'maintenance' | 'system-admins' | 'incidents' | 'inquiries' | 'handling-ledger' | 'availability';

const tenantSections: { id: AdminSection; href: string; label: Msg }[] = [
  { id: 'dashboard', href: '/admin', label: navText.dashboard },
  { id: 'services', href: '/admin/services', label: navText.services },
  { id: 'connectors', href: '/admin/connectors', label: navText.connectors },
  { id: 'offers', href: '/admin/offers', label: navText.offers },
  { id: 'data-uses', href: '/admin/data-uses', label: navText.dataUses },
  { id: 'agreements', href: '/admin/agreements', label: navText.agreements },
  { id: 'incidents', href: '/admin/incidents', label: navText.incidents },
  { id: 'inquiries', href: '/admin/inquiries', label: navText.inquiries },
  { id: 'handling-ledger', href: '/admin/handling-ledger', label: navText.handlingLedger },
  { id: 'account', href: '/admin/account', label: navText.account },
];

const systemSections: { id: AdminSection; href: string; label: Msg }[] = [
  { id: 'tenants', href: '/system/tenants', label: navText.tenants },
  { id: 'system-admins', href: '/system/admins', label: navText.systemAdmins },
  { id: 'settings', href: '/system/settings', label: navText.settings },
  { id: 'audit', href: '/system/audit', label: navText.audit },
  { id: 'queues', href: '/system/queues', label: navText.queues },
  { id: 'maintenance', href: '/system/maintenance', label: navText.maintenance },
  { id: 'incidents', href: '/system/incidents', label: navText.incidents },
  { id: 'inquiries', href: '/system/inquiries', label: navText.inquiries },
  { id: 'handling-ledger', href: '/system/handling-ledger', label: navText.handlingLedger },
  { id: 'availability', href: '/system/availability', label: navText.availability },
  { id: 'account', href: '/admin/account', label: navText.account },
];

/** Dates as staff read them, in Japan time. */
export function formatDate(lang: Lang, value: string | Date | null | undefined, withTime = true): string {
  if (!value) return '—';
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    dateStyle: 'medium', ...(withTime ? { timeStyle: 'short' } : {}), timeZone: 'Asia/Tokyo',
  }).format(new Date(value));
}

export function name(lang: Lang, ja: string | null | undefined, en: string | null | undefined): string {
  return (lang === 'ja' ? ja : en) ?? '';
}

/** Styles the admin pages add to the shared layout, on the same design tokens. */
const adminCss = `
main.wide{max-width:72rem}
textarea,select,input[type=datetime-local],input[type=date],input[type=search]{width:100%;min-height:3rem;padding:.5rem .75rem;font:inherit;font-size:var(--font-size-16);border:1px solid var(--color-neutral-solid-gray-600);border-radius:var(--border-radius-8);background:var(--color-neutral-white)}
textarea{min-height:6rem;font-family:var(--font-family-mono)}
fieldset{border:1px solid var(--color-neutral-solid-gray-200);border-radius:var(--border-radius-8);padding:.5rem 1rem 1rem;margin:1rem 0}
legend{font-weight:700;padding:0 .25rem}
.check{display:flex;gap:.75rem;align-items:center;font-weight:400}
.check input{width:1.5rem;height:1.5rem;margin:0}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.75rem;margin:1rem 0;padding:0;list-style:none}
.tiles li{border:1px solid var(--color-neutral-solid-gray-200);border-radius:var(--border-radius-12);padding:.75rem 1rem}
.tiles .figure{display:block;font-size:var(--font-size-32);font-weight:700;line-height:1.2}
.charts{display:grid;grid-template-columns:1fr;gap:1rem}
@media (min-width:60rem){.charts{grid-template-columns:1fr 1fr}}
.chart{border:1px solid var(--color-neutral-solid-gray-200);border-radius:var(--border-radius-12);padding:1rem;margin:0}
.chart h2{margin-top:0}
.chart .canvas{position:relative;height:16rem}
.tag{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:var(--font-size-14);font-weight:700;border:1px solid currentColor;line-height:1.6;white-space:nowrap}
.tag-ok{color:var(--color-primitive-green-800)}
.tag-warn{color:var(--color-primitive-yellow-900)}
.tag-bad{color:var(--color-primitive-red-900)}
.tag-off{color:var(--color-neutral-solid-gray-600)}
.inline-form{display:inline}
.inline-form .button{min-width:0;min-height:2.75rem;padding:.25rem .75rem;font-size:var(--font-size-14)}
.row-actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.row-actions>a.button,td a.button{min-width:0;min-height:2.75rem;padding:.25rem .75rem;font-size:var(--font-size-14)}
.secret{font-family:var(--font-family-mono);font-size:var(--font-size-18);background:var(--color-neutral-solid-gray-50);padding:.5rem;border-radius:4px;word-break:break-all}
.qr svg{width:12rem;height:12rem}
.whoami{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem;align-items:center;font-size:var(--font-size-14);color:var(--color-neutral-solid-gray-800);margin:0 0 .5rem}
.acting{border-left:6px solid var(--color-primitive-yellow-900);background:var(--color-primitive-yellow-50);padding:.5rem 1rem;margin:.5rem 0 1rem;border-radius:4px}
dl.props{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr;gap:.25rem 1rem;margin:0}
dl.props dt{font-weight:700}dl.props dd{margin:0}
details.support{font-size:var(--font-size-14);color:var(--color-neutral-solid-gray-800);margin:.25rem 0}
details.support>summary{cursor:pointer;min-height:2.75rem;padding:.5rem 0;color:var(--color-neutral-solid-gray-800)}
details.support p,details.support dl{margin:.25rem 0}
details.support pre{margin:.25rem 0;padding:.5rem;background:var(--color-neutral-solid-gray-50);border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;font-family:var(--font-family-mono);font-size:var(--font-size-14)}
.button.danger,.button.danger:visited{background:var(--color-primitive-red-900);border-color:var(--color-primitive-red-900);color:var(--color-neutral-white)}
.button.danger:hover{background:var(--color-primitive-red-1000, #a90000);border-color:var(--color-primitive-red-1000, #a90000);color:var(--color-neutral-white)}
.button.danger-secondary,.button.danger-secondary:visited{background:var(--color-neutral-white);border-color:var(--color-primitive-red-900);color:var(--color-primitive-red-900)}
.button.danger-secondary:hover{background:var(--color-primitive-red-50);color:var(--color-primitive-red-1000, #a90000)}
.confirm{border:2px solid var(--color-primitive-red-900);border-radius:var(--border-radius-12);padding:1rem;margin:1rem 0}
.confirm h2{margin-top:0}
.field-error{color:var(--color-primitive-red-900);font-weight:700;margin:.25rem 0}
[aria-invalid=true]{border-color:var(--color-primitive-red-900)!important;border-width:2px!important}
.error-summary h2{margin-top:0;font-size:var(--font-size-18)}
.error-summary ul{margin:.5rem 0;padding-left:1.25rem}
dl.facts{display:grid;grid-template-columns:minmax(6rem,max-content) minmax(0,1fr);gap:.125rem .75rem;margin:0}
dl.facts dt{font-weight:700}dl.facts dd{margin:0;overflow-wrap:anywhere}
.charts>*{min-width:0}
nav.site ul{max-width:72rem}
@media (min-width:48rem){nav.site ul{padding:0 1.5rem}header.site{padding-left:max(2rem,calc(50% - 34rem));padding-right:max(2rem,calc(50% - 34rem))}}
@media (max-width:47.99rem){
dl.props{grid-template-columns:minmax(0,1fr)}
dl.props dd{margin:0 0 .5rem}
}
nav.site button.link{background:none;border:0;font:inherit;font-size:var(--font-size-14);color:var(--color-neutral-solid-gray-900);min-height:44px;padding:0 .5rem;cursor:pointer;text-decoration:underline}
`;
const adminHead = raw(`<style>${tokensFor(adminCss)}\n${adminCss}</style>`);

export interface AdminPageOptions {
  lang: Lang;
  title: string;
  /** Path of this page (for the language switch). */
  path: string;
  principal?: AdminPrincipal;
  area: 'tenant' | 'system' | 'public';
  section?: AdminSection;
  body: SafeHtml;
  head?: SafeHtml;
}

/** The admin screens' page shell: shared layout, the area's menu, who is signed in. */
export function adminPage(o: AdminPageOptions): SafeHtml {
  const { lang, principal } = o;
  const sections = o.area === 'system' || (o.area === 'tenant' && principal?.kind === 'system' && !principal.tenant) ? systemSections : tenantSections;
  const signOut = principal ? html`<li><form method="post" action="/admin/logout" class="inline-form"><input type="hidden" name="csrf" value="${principal.csrf}"><button class="link" type="submit">${layoutText.signOut[lang]}</button></form></li>` : '';
  const nav = o.area === 'public' || !principal ? undefined : html`<ul>${sections.map((s) => html`<li><a href="${s.href}"${s.id === o.section ? html` aria-current="page"` : ''}>${s.label[lang]}</a></li>`)}
${principal.kind === 'system' && o.area === 'tenant' ? html`<li><a href="/system/tenants">${layoutText.systemMenu[lang]}</a></li>` : ''}${signOut}</ul>`;
  const tenant = principal?.tenant;
  const who = principal ? html`<p class="whoami"><span>${layoutText.signedInAs[lang]}: <strong>${principal.displayName}</strong> (${principal.loginId})${principal.ownTenant ? html` / ${name(lang, principal.ownTenant.nameJa, principal.ownTenant.nameEn)}` : ''}</span></p>` : '';
  const acting = principal?.kind === 'system' && tenant && o.area === 'tenant'
    ? html`<div class="acting" role="note">${layoutText.acting[lang]}: <strong>${name(lang, tenant.nameJa, tenant.nameEn)}</strong>
<form method="post" action="/system/act/end" class="inline-form"><input type="hidden" name="csrf" value="${principal.csrf}"> <button class="button secondary" type="submit">${layoutText.leave[lang]}</button></form></div>` : '';
  return page({
    lang, title: o.title, path: o.path, wide: true,
    brand: o.area === 'system' ? layoutText.systemBrand[lang] : layoutText.tenantBrand[lang],
    nav, navLabel: o.area === 'system' ? layoutText.systemMenu[lang] : layoutText.menu[lang],
    head: o.head ? html`${adminHead}${o.head}` : adminHead,
    footer: html`${layoutText.platform[lang]} — ${o.area === 'system' ? layoutText.systemBrand[lang] : layoutText.tenantBrand[lang]}`,
    body: html`${who}${acting}${principal ? platformNoticeBanners(lang) : ''}${o.body}`,
  });
}

/** An admin page as a handler's answer: never cached (tenant data, CSRF tokens, one-time secrets). */
export function adminReply(body: SafeHtml, status = 200): WebReply {
  return WebReply.page(body, status).noStore();
}

/**
 * The notice a page shows after a redirect with `?done=flag`: only a flag the page lists (an own
 * key: `?done=constructor` must not reach Object.prototype).
 */
export function doneNotice(lang: Lang, flag: string | undefined, notices: Readonly<Record<string, Msg>>): string | undefined {
  return flag !== undefined && Object.hasOwn(notices, flag) ? notices[flag][lang] : undefined;
}

/** A form's hidden CSRF field. */
export function csrfField(principal: AdminPrincipal): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${principal.csrf}">`;
}

/** Codes and raw values for support, folded under 「詳細」 (§17: a person reads words first). */
export { supportDetails };

/** One code for support, under 「詳細」. */
export function codeDetails(lang: Lang, code: string): SafeHtml {
  return supportDetails(lang, html`<p>${supportText.code[lang]}: <span class="mono" data-code>${code}</span></p>`);
}

export { type Column, dataTable, type TableRow } from '@tsunagu/web';
