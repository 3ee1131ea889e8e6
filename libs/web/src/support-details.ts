import { html, type SafeHtml } from './html';
import type { Lang, Msg } from './lang';

const summary: Msg = { ja: '詳細', en: 'Details' };

/**
 * Codes and raw values for support, folded under 「詳細」: a person reads words first, and the
 * code is one click away for whoever helps them (closed, so it is not read out by default).
 */
export function supportDetails(lang: Lang, body: SafeHtml): SafeHtml {
  return html`<details class="support"><summary>${summary[lang]}</summary>${body}</details>`;
}
