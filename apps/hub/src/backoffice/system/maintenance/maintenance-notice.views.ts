import type { DomainException } from '@tsunagu/common';
import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../../platform/access/admin-principal';
import type { MaintenanceNoticeRow } from '../../../operations/maintenance/maintenance-notice.repository';
import { type FormFields, formErrorView } from '../../web/admin-forms';
import { adminPage, csrfField, dataTable, formatDate } from '../../web/admin.layout';
import { confirmPage } from '../../web/confirm.views';
import { errorSummary, fieldAria, fieldError } from '../../web/form.views';
import { maintenanceText as t } from './maintenance.messages';

const noticeFields: FormFields = {
  startsAt: { label: t.startsAt }, endsAt: { label: t.endsAt }, titleJa: { label: t.titleJa }, titleEn: { label: t.titleEn },
  bodyJa: { label: t.bodyJa }, bodyEn: { label: t.bodyEn }, urgent: { label: t.urgent }, kind: { label: t.kind },
};

/** Whether residents still see a notice (so that it can be cancelled). */
const cancellable = (r: MaintenanceNoticeRow) => !r.cancelled_at && new Date(r.ends_at).getTime() > Date.now();

export function noticesPage(p: { lang: Lang; principal: AdminPrincipal; rows: MaintenanceNoticeRow[]; current: SafeHtml; notice?: string; error?: DomainException; values?: Record<string, string> }): SafeHtml {
  const { lang, principal } = p;
  const e = p.error ? formErrorView(p.error, lang, noticeFields) : undefined;
  const v = p.values ?? {};
  const state = (r: MaintenanceNoticeRow) => r.cancelled_at ? t.cancelled[lang] : cancellable(r) ? t.shown[lang] : t.over[lang];
  return adminPage({
    lang, title: t.title[lang], path: '/system/maintenance', principal, area: 'system', section: 'maintenance',
    body: html`<h1>${t.title[lang]}</h1>
<p>${t.lead[lang]}</p>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
<h2>${t.preview[lang]}</h2>
${p.current.value ? p.current : html`<p>${t.nothing[lang]}</p>`}
<h2>${t.add[lang]}</h2>
${errorSummary(lang, e)}
<form method="post" action="/system/maintenance" novalidate>
${csrfField(principal)}
<fieldset><legend>${t.kind[lang]}</legend>
<label class="check"><input type="radio" name="kind" value="maintenance"${v.kind !== 'domain_end' ? html` checked` : ''}> ${t.kindMaintenance[lang]}</label>
<label class="check"><input type="radio" name="kind" value="domain_end"${v.kind === 'domain_end' ? html` checked` : ''}> ${t.kindDomainEnd[lang]}</label>
</fieldset>
<label for="startsAt">${t.startsAt[lang]}</label>${fieldError(e, 'startsAt')}<input type="datetime-local" id="startsAt" name="startsAt" required${fieldAria(e, 'startsAt')} value="${v.startsAt ?? ''}">
<label for="endsAt">${t.endsAt[lang]}</label>${fieldError(e, 'endsAt')}<input type="datetime-local" id="endsAt" name="endsAt" required${fieldAria(e, 'endsAt')} value="${v.endsAt ?? ''}">
<label for="titleJa">${t.titleJa[lang]}</label>${fieldError(e, 'titleJa')}<input type="text" id="titleJa" name="titleJa" required maxlength="100"${fieldAria(e, 'titleJa')} value="${v.titleJa ?? ''}">
<label for="titleEn">${t.titleEn[lang]}</label>${fieldError(e, 'titleEn')}<input type="text" id="titleEn" name="titleEn" required maxlength="100"${fieldAria(e, 'titleEn')} value="${v.titleEn ?? ''}" lang="en">
<label for="bodyJa">${t.bodyJa[lang]}</label>${fieldError(e, 'bodyJa')}<textarea id="bodyJa" name="bodyJa" required maxlength="2000" rows="3"${fieldAria(e, 'bodyJa')}>${v.bodyJa ?? ''}</textarea>
<label for="bodyEn">${t.bodyEn[lang]}</label>${fieldError(e, 'bodyEn')}<textarea id="bodyEn" name="bodyEn" required maxlength="2000" rows="3"${fieldAria(e, 'bodyEn')} lang="en">${v.bodyEn ?? ''}</textarea>
<label class="check"><input type="checkbox" id="urgent" name="urgent" value="on"${v.urgent === 'on' ? html` checked` : ''}> ${t.urgent[lang]}</label>
<div class="actions"><button class="button" type="submit">${t.save[lang]}</button></div>
</form>
<h2>${t.list[lang]}</h2>
${dataTable({
  label: t.list[lang], testId: 'notices',
  columns: [{ label: t.period[lang] }, { label: t.titleJa[lang].replace(/[（(].*$/, '') }, { label: t.state[lang] }, { label: t.by[lang], mono: true }, { label: t.actions[lang] }],
  rows: p.rows.map((r) => ({
    data: { notice: r.id },
    cells: [`${formatDate(lang, r.starts_at)} – ${formatDate(lang, r.ends_at)}`,
      html`${lang === 'ja' ? r.title_ja : r.title_en}${r.urgent ? html` <span class="tag tag-bad">${t.urgentTag[lang]}</span>` : ''}${r.kind === 'domain_end' ? html` <span class="tag tag-warn">${t.domainEndTag[lang]}</span>` : ''}`,
      state(r), r.created_by_login ?? '—',
      cancellable(r) ? html`<a class="button danger-secondary" href="/system/maintenance/${r.id}/cancel" aria-label="${t.cancel[lang]}: ${lang === 'ja' ? r.title_ja : r.title_en}">${t.cancel[lang]}</a>` : ''],
  })),
})}`,
  });
}


/** The confirmation step of cancelling a notice: it leaves the portal at once and cannot be restored. */
export function cancelConfirmPage(p: { lang: Lang; principal: AdminPrincipal; notice: MaintenanceNoticeRow }): SafeHtml {
  const { lang, principal, notice: r } = p;
  return confirmPage({
    lang, principal, area: 'system', section: 'maintenance', path: `/system/maintenance/${r.id}/cancel`, action: 'cancel',
    title: t.cancelTitle[lang], lead: t.cancelLead[lang],
    facts: [[t.period[lang], `${formatDate(lang, r.starts_at)} – ${formatDate(lang, r.ends_at)}`], [t.titleJa[lang], r.title_ja], [t.titleEn[lang], r.title_en]],
    consequences: [t.cancelPortal[lang], t.cancelAgain[lang]],
    button: t.cancelButton[lang], cancel: '/system/maintenance',
    blocked: cancellable(r) ? undefined : t.notCancellable[lang],
  });
}
