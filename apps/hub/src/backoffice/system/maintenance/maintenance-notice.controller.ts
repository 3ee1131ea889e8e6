import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { AjvBodyPipe, DomainException, statusFor } from '@tsunagu/common';
import { type AdminActionForm, adminActionFormSchema, type MaintenanceNoticeForm, maintenanceNoticeFormSchema } from '@tsunagu/contracts';
import { html, type Lang, pickLang, type SafeHtml } from '@tsunagu/web';
import { type AdminPrincipal, type AdminRequest, principalOf } from '../../../platform/access/admin-principal';
import { AdminPageFilter, sendAdminError } from '../../web/admin-errors';
import { adminPage, csrfField, formatDate, sendPage, wantsJson } from '../../web/admin.layout';
import { maintenanceBanner } from '../../../operations/maintenance/maintenance-banner';
import type { MaintenanceNoticeRow } from '../../../operations/maintenance/maintenance-notice.repository';
import { MaintenanceNoticeService } from '../../../operations/maintenance/maintenance-notice.service';

const t = {
  title: { ja: '計画停止のお知らせ', en: 'Maintenance notices' },
  lead: { ja: '登録したお知らせは、終了するまで県民等向けポータルに表示されます。計画停止は、プラットフォーム設定の日数（既定7日）以上前に登録してください。', en: 'A notice shows in the resident portal until the stop is over. Register planned stops at least the number of days the platform settings require (7 by default) ahead.' },
  preview: { ja: 'ポータルでの表示', en: 'As residents see it' },
  nothing: { ja: '現在表示中のお知らせはありません。', en: 'No notice is shown right now.' },
  add: { ja: 'お知らせを登録', en: 'Add a notice' },
  startsAt: { ja: '停止の開始（日本時間）', en: 'Stop starts (Japan time)' },
  endsAt: { ja: '停止の終了（日本時間）', en: 'Stop ends (Japan time)' },
  titleJa: { ja: '件名（日本語）', en: 'Title (Japanese)' },
  titleEn: { ja: '件名（英語）', en: 'Title (English)' },
  bodyJa: { ja: '内容（日本語）', en: 'Text (Japanese)' },
  bodyEn: { ja: '内容（英語）', en: 'Text (English)' },
  urgent: { ja: '緊急の停止（告知期間を満たさない）', en: 'Urgent stop (less notice than required)' },
  save: { ja: '登録する', en: 'Add' },
  list: { ja: '登録済みのお知らせ', en: 'Notices' },
  period: { ja: '停止期間', en: 'Window' },
  state: { ja: '状態', en: 'State' },
  by: { ja: '登録者', en: 'By' },
  cancel: { ja: '取り消す', en: 'Cancel' },
  cancelled: { ja: '取り消し済み', en: 'Cancelled' },
  over: { ja: '終了', en: 'Over' },
  shown: { ja: '表示中', en: 'Shown' },
  created: { ja: 'お知らせを登録しました。ポータルに表示されます。', en: 'The notice was added and shows in the portal.' },
  cancelledDone: { ja: 'お知らせを取り消しました。', en: 'The notice was cancelled.' },
};

function noticesPage(p: { lang: Lang; principal: AdminPrincipal; rows: MaintenanceNoticeRow[]; current: SafeHtml; notice?: string; error?: DomainException; values?: Partial<MaintenanceNoticeForm> }): SafeHtml {
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

/** Planned-maintenance notices: publish, see as residents do, cancel. */
@Controller('system/maintenance')
@UseFilters(AdminPageFilter)
export class MaintenanceNoticeController {
  constructor(private readonly notices: MaintenanceNoticeService) {}

  @Get()
  async show(@Req() req: AdminRequest, @Res() res: Response, @Query('done') done?: string): Promise<void> {
    const lang = pickLang(req);
    const notice = done === 'created' ? t.created[lang] : done === 'cancelled' ? t.cancelledDone[lang] : undefined;
    sendPage(res, noticesPage({ lang, principal: principalOf(req), rows: await this.notices.recent(), current: maintenanceBanner(lang, await this.notices.current()), notice }));
  }

  @Post()
  async create(@Req() req: AdminRequest, @Res() res: Response, @Body(new AjvBodyPipe(maintenanceNoticeFormSchema)) form: MaintenanceNoticeForm): Promise<void> {
    try {
      const id = await this.notices.create(principalOf(req), form);
      if (wantsJson(req)) return void res.status(201).json({ id });
      res.redirect(303, '/system/maintenance?done=created');
    } catch (error) {
      if (!(error instanceof DomainException) || wantsJson(req)) return sendAdminError(req, res, error);
      const lang = pickLang(req);
      sendPage(res, noticesPage({ lang, principal: principalOf(req), rows: await this.notices.recent(), current: maintenanceBanner(lang, await this.notices.current()), error, values: form }), statusFor(error.reason));
    }
  }

  @Post(':noticeId/cancel')
  async cancel(@Req() req: AdminRequest, @Res() res: Response, @Param('noticeId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<void> {
    await this.notices.cancel(principalOf(req), id);
    res.redirect(303, '/system/maintenance?done=cancelled');
  }
}
