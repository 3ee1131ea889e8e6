import { html, raw, type SafeHtml } from './html';
import type { Lang } from './lang';

/**
 * Base stylesheet for every server-rendered screen. Colours, type scale and spacing follow the
 * Digital Agency design system (デジタル庁デザインシステム) tokens; sized for 360 px phones first.
 */
export const baseCss = `
:root{--blue-900:#0031d8;--blue-1000:#0017c1;--blue-50:#e8f1fe;--grey-900:#1a1a1a;--grey-600:#666;--grey-200:#ccc;--grey-50:#f2f2f2;--red-900:#ce0000;--green-900:#197a4b;--white:#fff;--radius:8px;--focus:#ffd43d}
*{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font-family:"Noto Sans JP","Hiragino Sans","Yu Gothic UI",system-ui,sans-serif;line-height:1.7;color:var(--grey-900);background:var(--white);font-size:1rem}
a{color:var(--blue-1000)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:4px solid var(--focus);outline-offset:2px}
header.site{display:flex;justify-content:space-between;align-items:center;gap:1rem;padding:.75rem 1rem;border-bottom:1px solid var(--grey-200)}
header.site .brand{font-weight:700;font-size:1.125rem;text-decoration:none;color:var(--grey-900)}
main{max-width:40rem;margin:0 auto;padding:1rem}
main.wide{max-width:64rem}
h1{font-size:1.5rem;line-height:1.4;margin:1rem 0}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
label{display:block;font-weight:700;margin:1rem 0 .25rem}
input[type=text],input[type=password],input[type=number],input[type=email]{width:100%;min-height:3rem;padding:.5rem .75rem;font-size:1rem;border:1px solid var(--grey-600);border-radius:var(--radius)}
.hint{color:var(--grey-600);font-size:.875rem;margin:.25rem 0}
.button{display:inline-block;min-height:3rem;min-width:8rem;padding:.75rem 1.5rem;font-size:1rem;font-weight:700;border-radius:var(--radius);border:2px solid var(--blue-900);background:var(--blue-900);color:var(--white);cursor:pointer;text-decoration:none;text-align:center}
.button.secondary{background:var(--white);color:var(--blue-900)}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:1.5rem 0}
.actions .button{flex:1 1 10rem}
.alert{border-left:6px solid var(--red-900);background:#fdeeee;padding:.75rem 1rem;margin:1rem 0;border-radius:4px}
.notice{border-left:6px solid var(--blue-900);background:var(--blue-50);padding:.75rem 1rem;margin:1rem 0;border-radius:4px}
.card{border:1px solid var(--grey-200);border-radius:var(--radius);padding:1rem;margin:1rem 0}
.mono{font-family:ui-monospace,Menlo,Consolas,monospace;letter-spacing:.05em}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5rem;border-bottom:1px solid var(--grey-200)}
footer.site{border-top:1px solid var(--grey-200);padding:1rem;font-size:.875rem;color:var(--grey-600);text-align:center}
ul.scopes{padding-left:1.25rem}
@media (min-width:48rem){main{padding:2rem}h1{font-size:2rem}}
`;

export interface PageOptions {
  lang: Lang;
  title: string;
  body: SafeHtml;
  /** Site name shown in the header. */
  brand?: string;
  /** Path of this page without the lang query, used for the language switch. */
  path?: string;
  wide?: boolean;
  footer?: SafeHtml;
}

/** The shared page shell: language attribute, viewport, header with a language switch, footer. */
export function page(options: PageOptions): SafeHtml {
  const { lang, title, body, brand = 'Tsunagu', path = '', wide = false } = options;
  const other: Lang = lang === 'ja' ? 'en' : 'ja';
  const sep = path.includes('?') ? '&' : '?';
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} | ${brand}</title>
<style>${raw(baseCss)}</style>
</head>
<body>
<header class="site"><a class="brand" href="/">${brand}</a>
${path ? html`<a href="${path}${sep}lang=${other}" lang="${other}" hreflang="${other}">${other === 'en' ? 'English' : '日本語'}</a>` : ''}</header>
<main class="${wide ? 'wide' : ''}" id="main">
${body}
</main>
<footer class="site">${options.footer ?? html`鳥取県 パーソナル系データ連携基盤 Tsunagu`}</footer>
</body>
</html>`;
}
