import { readFileSync } from 'node:fs';
import { html, raw, type SafeHtml } from './html';
import { dataTableCss } from './data-table';
import type { Lang } from './lang';

/**
 * Values of the Digital Agency design system tokens (`@digital-go-jp/design-tokens`), read from
 * the package's tokens.css once. Only the tokens a stylesheet uses are inlined (the whole file is
 * 9 kB, pages need two dozen values). If the package is missing, the values below — copied from
 * tokens 1.1.9 — keep pages usable.
 */
const FALLBACK_TOKENS: Record<string, string> = {
  '--color-neutral-white': '#ffffff', '--color-neutral-black': '#000000',
  '--color-neutral-solid-gray-50': '#f2f2f2', '--color-neutral-solid-gray-200': '#cccccc', '--color-neutral-solid-gray-600': '#666666',
  '--color-neutral-solid-gray-800': '#333333', '--color-neutral-solid-gray-900': '#1a1a1a',
  '--color-primitive-blue-50': '#e8f1fe', '--color-primitive-blue-100': '#d9e6ff', '--color-primitive-blue-800': '#0031d8',
  '--color-primitive-blue-900': '#0017c1', '--color-primitive-blue-1000': '#00118f', '--color-primitive-blue-1100': '#000071',
  '--color-primitive-red-50': '#fdeeee', '--color-primitive-red-900': '#ce0000', '--color-primitive-green-50': '#e6f5ec',
  '--color-primitive-green-800': '#197a4b', '--color-primitive-yellow-50': '#fbf5e0', '--color-primitive-yellow-300': '#ffd43d',
  '--color-primitive-yellow-900': '#927200', '--color-primitive-magenta-900': '#8b008b',
  '--font-family-sans': "'Noto Sans JP', -apple-system, BlinkMacSystemFont, sans-serif", '--font-family-mono': "'Noto Sans Mono', monospace",
  '--font-size-14': '0.875rem', '--font-size-16': '1rem', '--font-size-18': '1.125rem', '--font-size-20': '1.25rem',
  '--font-size-24': '1.5rem', '--font-size-32': '2rem', '--line-height-140': '1.4', '--line-height-170': '1.7',
  '--border-radius-4': '0.25rem', '--border-radius-8': '0.5rem', '--border-radius-12': '0.75rem',
};

function loadTokens(): Record<string, string> {
  try {
    const css = readFileSync(require.resolve('@digital-go-jp/design-tokens/dist/tokens.css'), 'utf8');
    const tokens: Record<string, string> = {};
    for (const match of css.matchAll(/(--[a-z0-9-]+)\s*:\s*([^;]+);/g)) tokens[match[1]] = match[2].trim();
    return Object.keys(tokens).length ? tokens : FALLBACK_TOKENS;
  } catch {
    return FALLBACK_TOKENS;
  }
}

const TOKENS = loadTokens();

/** A `:root{…}` rule with every design token `css` refers to (and the tokens those refer to). */
export function tokensFor(css: string): string {
  const wanted = new Set<string>();
  const visit = (text: string) => {
    for (const match of text.matchAll(/var\((--[a-z0-9-]+)/g)) {
      const name = match[1];
      if (wanted.has(name) || !(name in TOKENS)) continue;
      wanted.add(name);
      visit(TOKENS[name]);
    }
  };
  visit(css);
  return `:root{${[...wanted].sort().map((name) => `${name}:${TOKENS[name]}`).join(';')}}`;
}

/**
 * Base stylesheet for every server-rendered screen, on the Digital Agency design system tokens
 * (デジタル庁デザインシステム): colours, type scale, radii; 44 px+ touch targets; a visible focus
 * ring; sized for 360 px phones first. The short names (--blue-900, …) are kept for the demo
 * services' stylesheets.
 */
const styles = `
:root{--blue-50:var(--color-primitive-blue-50);--blue-900:var(--color-primitive-blue-800);--blue-1000:var(--color-primitive-blue-900);
--grey-900:var(--color-neutral-solid-gray-900);--grey-600:var(--color-neutral-solid-gray-600);--grey-200:var(--color-neutral-solid-gray-200);
--grey-50:var(--color-neutral-solid-gray-50);--red-900:var(--color-primitive-red-900);--green-900:var(--color-primitive-green-800);
--white:var(--color-neutral-white);--radius:var(--border-radius-8);--focus:var(--color-primitive-yellow-300);
--primary:var(--color-primitive-blue-900);--primary-hover:var(--color-primitive-blue-1000);--link:var(--color-primitive-blue-1000)}
*{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font-family:var(--font-family-sans);line-height:var(--line-height-170);color:var(--grey-900);background:var(--white);font-size:var(--font-size-16);overflow-wrap:break-word}
a{color:var(--link);text-underline-offset:.2em}
a:visited{color:var(--color-primitive-magenta-900)}
a:hover{color:var(--color-primitive-blue-1100);text-decoration-thickness:3px}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:4px solid var(--color-neutral-black);outline-offset:2px;box-shadow:0 0 0 2px var(--focus);background-color:var(--focus);color:var(--color-neutral-black)}
.skip{position:absolute;left:-999px;top:0;padding:.5rem 1rem;background:var(--white)}
.skip:focus{left:0;z-index:10}
header.site{display:flex;justify-content:space-between;align-items:center;gap:1rem;padding:.75rem 1rem;border-bottom:1px solid var(--grey-200)}
header.site .brand{font-weight:700;font-size:var(--font-size-18);text-decoration:none;color:var(--grey-900)}
header.site .brand-name{display:block;line-height:1.2}
header.site .brand-note{display:block;font-size:var(--font-size-14);font-weight:400;color:var(--grey-600);line-height:1.4}
header.site a.brand{flex-direction:column;align-items:flex-start;justify-content:center}
footer.site ul.links{display:flex;flex-wrap:wrap;justify-content:center;gap:0 1rem;list-style:none;margin:0 0 .5rem;padding:0}
footer.site p{margin:.25rem 0}
header.site a{min-height:44px;display:inline-flex;align-items:center}
nav.site{border-bottom:1px solid var(--grey-200);background:var(--grey-50)}
nav.site ul{display:flex;flex-wrap:wrap;gap:0 .25rem;list-style:none;margin:0 auto;padding:0 .5rem;max-width:64rem}
nav.site a{display:inline-flex;align-items:center;min-height:44px;padding:0 .5rem;color:var(--grey-900);text-decoration:none;font-size:var(--font-size-14)}
nav.site a[aria-current=page]{font-weight:700;box-shadow:inset 0 -4px 0 var(--primary)}
main{max-width:40rem;margin:0 auto;padding:1rem}
main.wide{max-width:64rem}
h1{font-size:var(--font-size-24);line-height:var(--line-height-140);margin:1rem 0}
h2{font-size:var(--font-size-20);line-height:var(--line-height-140);margin:1.5rem 0 .5rem}
h3{font-size:var(--font-size-18);margin:1rem 0 .5rem}
label{display:block;font-weight:700;margin:1rem 0 .25rem}
input[type=text],input[type=password],input[type=number],input[type=email]{width:100%;min-height:3rem;padding:.5rem .75rem;font-size:var(--font-size-16);border:1px solid var(--grey-600);border-radius:var(--radius)}
.hint{color:var(--grey-600);font-size:var(--font-size-14);margin:.25rem 0}
.button{display:inline-flex;align-items:center;justify-content:center;min-height:3rem;min-width:8rem;padding:.75rem 1.5rem;font:inherit;font-size:var(--font-size-16);font-weight:700;line-height:1.4;border-radius:var(--radius);border:2px solid var(--primary);background:var(--primary);color:var(--white);cursor:pointer;text-decoration:none;text-align:center}
.button:hover{background:var(--primary-hover);border-color:var(--primary-hover);color:var(--white);text-decoration:underline}
.button:visited{color:var(--white)}
.button.secondary,.button.secondary:visited{background:var(--white);color:var(--primary)}
.button.secondary:hover{background:var(--color-primitive-blue-50);color:var(--primary-hover)}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:1.5rem 0}
.actions .button,.actions form{flex:1 1 10rem}
.actions form .button{width:100%}
.alert{border-left:6px solid var(--red-900);background:var(--color-primitive-red-50);padding:.75rem 1rem;margin:1rem 0;border-radius:4px}
.notice{border-left:6px solid var(--primary);background:var(--blue-50);padding:.75rem 1rem;margin:1rem 0;border-radius:4px}
.success{border-left:6px solid var(--green-900);background:var(--color-primitive-green-50);padding:.75rem 1rem;margin:1rem 0;border-radius:4px}
.card{border:1px solid var(--grey-200);border-radius:var(--border-radius-12);padding:1rem;margin:1rem 0}
.mono{font-family:var(--font-family-mono);letter-spacing:.05em;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5rem;border-bottom:1px solid var(--grey-200);vertical-align:top}
footer.site{border-top:1px solid var(--grey-200);padding:1rem;font-size:var(--font-size-14);color:var(--grey-600);text-align:center}
footer.site a{display:inline-flex;align-items:center;min-height:44px;padding:0 .25rem}
ul.scopes{padding-left:1.25rem}
details.support{font-size:var(--font-size-14);color:var(--grey-600);margin:.5rem 0}
details.support>summary{cursor:pointer;min-height:2.75rem;padding:.5rem 0}
details.support p{margin:.25rem 0}
@media (min-width:48rem){main{padding:2rem}h1{font-size:var(--font-size-32)}}
@media print{header.site a:not(.brand),nav.site,footer.site,.actions,.no-print,.skip{display:none}main{max-width:none;padding:0}body{font-size:11pt}a{color:inherit}}
`;

export const baseCss = `${tokensFor(styles + dataTableCss)}\n${styles}${dataTableCss}`;

export interface PageOptions {
  lang: Lang;
  title: string;
  body: SafeHtml;
  /** Site name shown in the header. */
  brand?: string;
  /** A line under the brand: who runs the site (the prefecture's identity). */
  brandNote?: string;
  /** The site's name in every page title, after the page's own ("<title> | <siteName>"); default: the brand. */
  siteName?: string;
  /** Path of this page without the lang query, used for the language switch. */
  path?: string;
  wide?: boolean;
  footer?: SafeHtml;
  /** Site navigation, shown under the header (a `<nav>` is made around it). */
  nav?: SafeHtml;
  /** Accessible name of the navigation. */
  navLabel?: string;
  /** Extra markup for the head (a page family's own stylesheet). */
  head?: SafeHtml;
}

/** The shared page shell: language attribute, viewport, header with a language switch, footer. */
export function page(options: PageOptions): SafeHtml {
  const { lang, title, body, brand = 'Tsunagu', path = '', wide = false } = options;
  const siteName = options.siteName ?? brand;
  const other: Lang = lang === 'ja' ? 'en' : 'ja';
  const sep = path.includes('?') ? '&' : '?';
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title === siteName ? title : `${title} | ${siteName}`}</title>
<style>${raw(baseCss)}</style>
${options.head ?? ''}
</head>
<body>
<a class="skip" href="#main">${lang === 'ja' ? '本文へ移動' : 'Skip to main content'}</a>
<header class="site"><a class="brand" href="/">${options.brandNote ? html`<span class="brand-name">${brand}</span><span class="brand-note">${options.brandNote}</span>` : brand}</a>
${path ? html`<a href="${path}${sep}lang=${other}" lang="${other}" hreflang="${other}">${other === 'en' ? 'English' : '日本語'}</a>` : ''}</header>
${options.nav ? html`<nav class="site" aria-label="${options.navLabel ?? (lang === 'ja' ? 'メインメニュー' : 'Main menu')}">${options.nav}</nav>` : ''}
<main class="${wide ? 'wide' : ''}" id="main">
${body}
</main>
<footer class="site">${options.footer ?? html`鳥取県 パーソナル系データ連携基盤 Tsunagu`}</footer>
</body>
</html>`;
}
