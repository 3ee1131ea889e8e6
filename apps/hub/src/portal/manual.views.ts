import { html, type Lang, raw, type SafeHtml } from '@tsunagu/web';
import type { RenderedManual } from './manual.service';
import { portalPage } from './portal.layout';
import { manualText as t } from './portal.messages';

/** The table of contents goes right after the manual's title. */
function withContents(manual: string, contents: string): SafeHtml {
  const end = manual.indexOf('</h1>');
  return raw(end < 0 ? contents + manual : manual.slice(0, end + 5) + contents + manual.slice(end + 5));
}

/**
 * The resident manual with its table of contents, or a notice when the manual cannot be read. The
 * sections carry their numbers in their headings ("1. …"), so the contents are an unnumbered list
 * of those headings: each number appears once, the same in the contents and on the section.
 */
export function manualPage(lang: Lang, manual: RenderedManual | undefined): SafeHtml {
  const toc = manual?.headings.filter((h) => h.level === 2) ?? [];
  return portalPage({
    lang, title: t.title[lang], path: '/portal/manual', section: 'manual', signedIn: false,
    body: manual
      ? withContents(manual.html, toc.length ? html`<nav aria-label="${t.contents[lang]}" class="card"><h2>${t.contents[lang]}</h2><ul class="toc">${toc.map((h) => html`<li><a href="#${h.id}">${h.text}</a></li>`)}</ul></nav>`.value : '')
      : html`<h1>${t.title[lang]}</h1><p class="alert">${t.missing[lang]}</p>`,
  });
}
