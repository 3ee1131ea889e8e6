import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { AjvBodyPipe, DomainException, statusFor } from '@tsunagu/common';
import { type PlatformSettingsForm, platformSettingsFormSchema } from '@tsunagu/contracts';
import { html, type Lang, pickLang, type SafeHtml } from '@tsunagu/web';
import { type AdminPrincipal, type AdminRequest, principalOf } from '../../../platform/access/admin-principal';
import { AdminPageFilter, sendAdminError } from '../../web/admin-errors';
import { adminPage, csrfField, sendPage, wantsJson } from '../../web/admin.layout';
import { type PlatformSettings, SETTING_RANGES } from '../../../operations/settings/platform-settings';
import { PlatformSettingsService } from '../../../operations/settings/platform-settings.service';

const t = {
  title: { ja: 'プラットフォーム設定', en: 'Platform settings' },
  lead: { ja: '運用中に変更できる設定です。ネットワークや鍵などの配備設定は環境変数で管理します。変更は監査ログに記録されます。', en: 'Settings that can change while running. Deployment settings (networks, keys) stay in the environment. Changes are kept in the audit log.' },
  connectorOfflineMinutes: { ja: 'コネクタを「応答なし」とするまでの時間（分）', en: 'Minutes before a silent connector is shown as offline' },
  revocationSyncWarnSeconds: { ja: '取消情報の同期遅延として警告するまでの時間（秒）', en: 'Seconds of revocation-sync lag before a warning' },
  revocationAckOverdueSeconds: { ja: '取消通知の確認を期限超過とするまでの時間（秒）', en: 'Seconds before an unacknowledged revocation is overdue' },
  dashboardDays: { ja: 'ダッシュボードの集計期間（日）', en: 'Days shown on dashboards' },
  maintenanceNoticeDays: { ja: '計画停止を告知する期間（日前まで）', en: 'Days of notice required before a planned stop' },
  supportContactJa: { ja: '問い合わせ先（日本語）', en: 'Support contact (Japanese)' },
  supportContactEn: { ja: '問い合わせ先（英語）', en: 'Support contact (English)' },
  save: { ja: '保存する', en: 'Save' },
  saved: { ja: '設定を保存しました。', en: 'The settings were saved.' },
  range: { ja: '範囲', en: 'Range' },
};

type NumericKey = keyof typeof SETTING_RANGES;

function settingsPage(p: { lang: Lang; principal: AdminPrincipal; values: Record<string, string | number>; notice?: string; error?: DomainException }): SafeHtml {
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

/** The system admin's platform settings (defaults overlaid with saved values). */
@Controller('system/settings')
@UseFilters(AdminPageFilter)
export class PlatformSettingsController {
  constructor(private readonly settings: PlatformSettingsService) {}

  @Get()
  async show(@Req() req: AdminRequest, @Res() res: Response, @Query('done') done?: string): Promise<void> {
    const lang = pickLang(req);
    const current: PlatformSettings = await this.settings.current();
    sendPage(res, settingsPage({ lang, principal: principalOf(req), values: { ...current }, notice: done ? t.saved[lang] : undefined }));
  }

  @Post()
  async update(@Req() req: AdminRequest, @Res() res: Response, @Body(new AjvBodyPipe(platformSettingsFormSchema)) form: PlatformSettingsForm): Promise<void> {
    try {
      await this.settings.update(principalOf(req), form);
      res.redirect(303, '/system/settings?done=1');
    } catch (error) {
      if (!(error instanceof DomainException) || wantsJson(req)) return sendAdminError(req, res, error);
      const { csrf: _csrf, ...values } = form;
      sendPage(res, settingsPage({ lang: pickLang(req), principal: principalOf(req), values, error }), statusFor(error.reason));
    }
  }
}
