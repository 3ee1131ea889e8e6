import { escapeHtml } from '@tsunagu/web';

/**
 * The little Markdown the operation manuals use — headings (with an optional `{#anchor}`), paragraphs, lists, notes (>),
 * rules, **bold**, `code` and [links](url) — rendered to HTML with every character of the source
 * escaped first. Written by hand: the manuals are ours, and a full Markdown library would bring
 * raw-HTML passthrough we would then have to turn off.
 */
export function renderMarkdown(source: string): { html: string; headings: { level: number; text: string; id: string }[] } {
  const out: string[] = [];
  const headings: { level: number; text: string; id: string }[] = [];
  let paragraph: string[] = [];
  let list: { tag: 'ul' | 'ol'; items: { text: string; children: string[] }[] } | undefined;
  let quote: string[] = [];

  const flush = () => {
    if (paragraph.length) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
    if (list) {
      const items = list.items.map((item) => `<li>${inline(item.text)}${item.children.length ? `<ul>${item.children.map((c) => `<li>${inline(c)}</li>`).join('')}</ul>` : ''}</li>`);
      out.push(`<${list.tag}>${items.join('')}</${list.tag}>`);
    }
    list = undefined;
    if (quote.length) out.push(`<div class="notice">${inline(quote.join(' '))}</div>`);
    quote = [];
  };

  for (const rawLine of source.replace(/\r\n/g, '\n').split('\n')) {
    const line = rawLine.trimEnd();
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+\.\s+(.*)$/.exec(line);
    const note = /^>\s?(.*)$/.exec(line);
    if (!line.trim()) {
      flush();
    } else if (heading) {
      flush();
      const level = heading[1].length;
      // `## Title {#anchor}` names the anchor, so that links survive sections being added or moved.
      const named = /^(.*?)\s*\{#([a-z][a-z0-9-]*)\}$/.exec(heading[2].trim());
      const text = named ? named[1] : heading[2].trim();
      const id = named ? named[2] : `s${headings.length + 1}`;
      headings.push({ level, text, id });
      out.push(`<h${level} id="${id}">${inline(text)}</h${level}>`);
    } else if (/^(-{3,}|\*{3,})$/.test(line.trim())) {
      flush();
      out.push('<hr>');
    } else if (list && bullet && /^\s{2,}/.test(rawLine)) {
      // One level of nesting: an indented bullet belongs to the item above it.
      list.items[list.items.length - 1].children.push(bullet[1]);
    } else if (bullet || numbered) {
      const tag = bullet ? 'ul' : 'ol';
      if (paragraph.length || quote.length || (list && list.tag !== tag)) flush();
      list ??= { tag, items: [] };
      list.items.push({ text: (bullet ?? numbered)![1], children: [] });
    } else if (note) {
      if (paragraph.length || list) flush();
      quote.push(note[1]);
    } else if (list && /^\s{2,}/.test(rawLine)) {
      const last = list.items[list.items.length - 1];
      if (last.children.length) last.children[last.children.length - 1] += ` ${line.trim()}`;
      else last.text += ` ${line.trim()}`;
    } else {
      if (list || quote.length) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  return { html: out.join('\n'), headings };
}

const MARK = '\u{E000}';
const PLACEHOLDER = new RegExp(`${MARK}(\\d+)${MARK}`, 'gu');

function inline(text: string): string {
  const codes: string[] = [];
  // Code spans are set aside behind placeholders (characters escapeHtml never emits), so that
  // bold and links are not applied inside them.
  let s = escapeHtml(text).replace(/`([^`]+)`/g, (_, code: string) => `${MARK}${codes.push(code) - 1}${MARK}`);
  s = s.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, href: string) =>
    /^(\/|#|https:\/\/)/.test(href) && !href.startsWith('//') ? `<a href="${href}">${label}</a>` : whole);
  return s.replace(PLACEHOLDER, (_, i: string) => `<code>${codes[Number(i)]}</code>`);
}
