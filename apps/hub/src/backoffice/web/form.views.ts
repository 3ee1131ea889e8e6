import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { FormErrorView } from './admin-forms';
import { supportDetails } from './admin.layout';
import { formText, supportText } from './web.messages';

/**
 * The summary above a refused form (the Digital Agency's error-summary pattern): what to do, a
 * link to each field concerned, and the code and raw details folded under 「詳細」 for support.
 */
export function errorSummary(lang: Lang, e: FormErrorView | undefined): SafeHtml | '' {
  if (!e) return '';
  return html`<div class="alert error-summary" role="alert" data-error-code="${e.code}" id="error-summary">
<h2>${formText.summary[lang]}</h2>
<p>${e.message}</p>
${e.fields.length ? html`<ul>${e.fields.map((f) => html`<li><a href="#${f.field}">${f.message === e.message ? f.label : f.message}</a></li>`)}</ul>` : ''}
${supportDetails(lang, html`<p>${supportText.code[lang]}: <span class="mono">${e.code}</span></p>
${e.support.length ? html`<ul>${e.support.map((d) => html`<li><span class="mono">${d.field}</span>: <span lang="en">${d.problem}</span></li>`)}</ul>` : ''}`)}
</div>`;
}

/** The message under one field of a refused form (empty when the field is fine). */
export function fieldError(e: FormErrorView | undefined, field: string): SafeHtml | '' {
  const f = e?.fields.find((x) => x.field === field);
  return f ? html`<p class="field-error" id="${field}-error">${f.message}</p>` : '';
}

/** A field's ARIA attributes: its hint, and its error when it has one. */
export function fieldAria(e: FormErrorView | undefined, field: string, hintId?: string): SafeHtml {
  const invalid = !!e?.fields.some((x) => x.field === field);
  const ids = [hintId, invalid ? `${field}-error` : undefined].filter(Boolean).join(' ');
  return html`${ids ? html` aria-describedby="${ids}"` : ''}${invalid ? html` aria-invalid="true"` : ''}`;
}
