import type { DomainException } from '@tsunagu/common';
import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../../platform/access/admin-principal';
import { SETTING_RANGES } from '../../../operations/settings/platform-settings';
import { adminPage, csrfField } from '../../web/admin.layout';
import { settingsText as t } from './settings.messages';

type NumericKey = keyof typeof SETTING_RANGES;

/** The platform settings form, with the saved notice or the refused change's error. */
export function settingsPage(p: { lang: Lang; principal: AdminPrincipal; values: Record<string, string | number>; notice?: string; error?: DomainException }): SafeHtml {
  const { lang, principal, values } = p;
  const numeric = (key: NumericKey) => html`<label for="${key}">${t[key][lang]}</label>
<p class="hint" id="${key}-hint">${t.range[lang]}: ${SETTING_RANGES[key][0]}–${SETTING_RANGES[key][1]}</p>
<input type="number" id="${key}" name="${key}" required min="${SETTING_RANGES[key][0]}" max="${SETTING_RANGES[key][1]}" value="${String(values[key] ?? '')}" aria-describedby="${key}-hint">`;
  return adminPage({
    lang, title: t.title[lang], path: '/system/settings', principal, area: 'system', section: 'settings',
    body: html`<h1>${t.title[lang]}</h1>
<p>${t.lead[lang]}</p>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
${p.error ? html`<div class="alert" role="alert" data-error-code="${p.error.code}"><p>${p.error.bilingual[lang]}</p>${p.error.details?.length ? html`<ul>${p.error.details.map((d) => html`<li><span class="mono">${d.field}</span>: ${d.problem}</li>`)}</ul>` : ''}</div>` : ''}
<form method="post" action="/system/settings">
${csrfField(principal)}
${(Object.keys(SETTING_RANGES) as NumericKey[]).map(numeric)}
<label for="supportContactJa">${t.supportContactJa[lang]}</label>
<input type="text" id="supportContactJa" name="supportContactJa" maxlength="300" value="${String(values.supportContactJa ?? '')}">
<label for="supportContactEn">${t.supportContactEn[lang]}</label>
<input type="text" id="supportContactEn" name="supportContactEn" maxlength="300" value="${String(values.supportContactEn ?? '')}" lang="en">
<div class="actions"><button class="button" type="submit">${t.save[lang]}</button></div>
</form>`,
  });
}

