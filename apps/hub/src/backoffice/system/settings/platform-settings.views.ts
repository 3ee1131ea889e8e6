import type { DomainException } from '@tsunagu/common';
import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../../platform/access/admin-principal';
import { SETTING_RANGES } from '../../../operations/settings/platform-settings';
import { type FormFields, formErrorView } from '../../web/admin-forms';
import { adminPage, csrfField } from '../../web/admin.layout';
import { errorSummary, fieldAria, fieldError } from '../../web/form.views';
import { settingsText as t } from './settings.messages';

type NumericKey = keyof typeof SETTING_RANGES;

const settingFields: FormFields = {
  ...Object.fromEntries((Object.keys(SETTING_RANGES) as NumericKey[]).map((k) => [k, { label: t[k], hint: t.wholeNumber }])),
  supportContactJa: { label: t.supportContactJa }, supportContactEn: { label: t.supportContactEn },
};

/** The platform settings form, with the saved notice or the refused change's error. */
export function settingsPage(p: { lang: Lang; principal: AdminPrincipal; values: Record<string, string | number>; notice?: string; error?: DomainException }): SafeHtml {
  const { lang, principal, values } = p;
  const e = p.error ? formErrorView(p.error, lang, settingFields) : undefined;
  const numeric = (key: NumericKey) => html`<label for="${key}">${t[key][lang]}</label>
<p class="hint" id="${key}-hint">${t.range[lang]}: ${SETTING_RANGES[key][0]}–${SETTING_RANGES[key][1]}</p>${fieldError(e, key)}
<input type="number" id="${key}" name="${key}" required min="${SETTING_RANGES[key][0]}" max="${SETTING_RANGES[key][1]}" value="${String(values[key] ?? '')}"${fieldAria(e, key, `${key}-hint`)}>`;
  return adminPage({
    lang, title: t.title[lang], path: '/system/settings', principal, area: 'system', section: 'settings',
    body: html`<h1>${t.title[lang]}</h1>
<p>${t.lead[lang]}</p>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
${errorSummary(lang, e)}
<form method="post" action="/system/settings" novalidate>
${csrfField(principal)}
${(Object.keys(SETTING_RANGES) as NumericKey[]).map(numeric)}
<label for="supportContactJa">${t.supportContactJa[lang]}</label>${fieldError(e, 'supportContactJa')}
<input type="text" id="supportContactJa" name="supportContactJa" maxlength="300"${fieldAria(e, 'supportContactJa')} value="${String(values.supportContactJa ?? '')}">
<label for="supportContactEn">${t.supportContactEn[lang]}</label>${fieldError(e, 'supportContactEn')}
<input type="text" id="supportContactEn" name="supportContactEn" maxlength="300"${fieldAria(e, 'supportContactEn')} value="${String(values.supportContactEn ?? '')}" lang="en">
<div class="actions"><button class="button" type="submit">${t.save[lang]}</button></div>
</form>`,
  });
}

