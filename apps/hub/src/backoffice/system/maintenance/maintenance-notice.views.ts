import type { DomainException } from '@tsunagu/common';
import type { MaintenanceNoticeForm } from '@tsunagu/contracts';
import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../../platform/access/admin-principal';
import type { MaintenanceNoticeRow } from '../../../operations/maintenance/maintenance-notice.repository';
import { adminPage, csrfField, formatDate } from '../../web/admin.layout';
import { maintenanceText as t } from './maintenance.messages';

export function noticesPage(p: { lang: Lang; principal: AdminPrincipal; rows: MaintenanceNoticeRow[]; current: SafeHtml; notice?: string; error?: DomainException; values?: Partial<MaintenanceNoticeForm> }): SafeHtml {
  const { lang, principal } = p;
  const v = p.values ?? {};
  const now = Date.now();
  const state = (r: MaintenanceNoticeRow) => r.cancelled_at ? t.cancelled[lang] : new Date(r.ends_at).getTime() <= now ? t.over[lang] : t.shown[lang];
  return adminPage({
    lang, title: t.title[lang], path: '/system/maintenance', principal, area: 'system', section: 'maintenance',
    body: html`<h1>${t.title[lang]}</h1>
<p>${t.lead[lang]}</p>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
<h2>${t.preview[lang]}</h2>
${p.current.value ? p.current : html`<p>${t.nothing[lang]}</p>`}
<h2>${t.add[lang]}</h2>
${p.error ? html`<div class="alert" role="alert" data-error-code="${p.error.code}"><p>${p.error.bilingual[lang]}</p>${p.error.details?.length ? html`<ul>${p.error.details.map((d) => html`<li><span class="mono">${d.field}</span>: ${d.problem}</li>`)}</ul>` : ''}</div>` : ''}
<form method="post" action="/system/maintenance">
${csrfField(principal)}
<label for="startsAt">${t.startsAt[lang]}</label><input type="datetime-local" id="startsAt" name="startsAt" required value="${v.startsAt ?? ''}">
<label for="endsAt">${t.endsAt[lang]}</label><input type="datetime-local" id="endsAt" name="endsAt" required value="${v.endsAt ?? ''}">
<label for="titleJa">${t.titleJa[lang]}</label><input type="text" id="titleJa" name="titleJa" required maxlength="100" value="${v.titleJa ?? ''}">
<label for="titleEn">${t.titleEn[lang]}</label><input type="text" id="titleEn" name="titleEn" required maxlength="100" value="${v.titleEn ?? ''}" lang="en">
<label for="bodyJa">${t.bodyJa[lang]}</label><textarea id="bodyJa" name="bodyJa" required maxlength="2000" rows="3">${v.bodyJa ?? ''}</textarea>
<label for="bodyEn">${t.bodyEn[lang]}</label><textarea id="bodyEn" name="bodyEn" required maxlength="2000" rows="3" lang="en">${v.bodyEn ?? ''}</textarea>
<label class="check"><input type="checkbox" name="urgent" value="on"${v.urgent === 'on' ? html` checked` : ''}> ${t.urgent[lang]}</label>
<div class="actions"><button class="button" type="submit">${t.save[lang]}</button></div>
</form>
<h2>${t.list[lang]}</h2>
<div class="table-wrap"><table class="data" data-testid="notices">
<thead><tr><th scope="col">${t.period[lang]}</th><th scope="col">${t.titleJa[lang].replace(/[（(].*$/, '')}</th><th scope="col">${t.state[lang]}</th><th scope="col">${t.by[lang]}</th><th scope="col"><span class="hint">${t.cancel[lang]}</span></th></tr></thead>
<tbody>${p.rows.map((r) => html`<tr data-notice="${r.id}"><td>${formatDate(lang, r.starts_at)} – ${formatDate(lang, r.ends_at)}</td><td>${lang === 'ja' ? r.title_ja : r.title_en}${r.urgent ? html` <span class="tag tag-bad">${t.urgent[lang].replace(/[（(].*$/, '')}</span>` : ''}</td>
<td>${state(r)}</td><td class="mono">${r.created_by_login ?? '—'}</td>
<td>${!r.cancelled_at && new Date(r.ends_at).getTime() > now ? html`<form method="post" action="/system/maintenance/${r.id}/cancel" class="inline-form">${csrfField(principal)}<button class="button secondary" type="submit" aria-label="${t.cancel[lang]}: ${lang === 'ja' ? r.title_ja : r.title_en}">${t.cancel[lang]}</button></form>` : ''}</td></tr>`)}</tbody>
</table></div>`,
  });
}

