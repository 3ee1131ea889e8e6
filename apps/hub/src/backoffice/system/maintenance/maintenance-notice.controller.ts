import { Body, Controller, Get, Param, Post, Query, UseFilters } from '@nestjs/common';
import { DomainException, statusFor } from '@tsunagu/common';
import { maintenanceNoticeFormSchema } from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import { type AdminPrincipal, Principal } from '../../../platform/access/admin-principal';
import { AdminPageFilter } from '../../web/admin-errors';
import { submitted, validForm } from '../../web/admin-forms';
import { adminReply, doneNotice } from '../../web/admin.layout';
import { ConfirmedAction, type ConfirmedActionForm } from '../../web/confirm';
import { platformNoticeBanners } from '../../../operations/maintenance/maintenance-banner';
import { MaintenanceNoticeService } from '../../../operations/maintenance/maintenance-notice.service';
import { maintenanceText } from './maintenance.messages';
import { cancelConfirmPage, noticesPage } from './maintenance-notice.views';

const notices = { created: maintenanceText.created, cancelled: maintenanceText.cancelledDone };

/** Planned-maintenance notices: publish, see as residents do, cancel (through its confirmation page). */
@Controller('system/maintenance')
@UseFilters(AdminPageFilter)
export class MaintenanceNoticeController {
  constructor(private readonly notices: MaintenanceNoticeService) {}

  @Get()
  show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Query('done') done?: string): Promise<WebReply> {
    return this.page(lang, principal, { notice: doneNotice(lang, done, notices) });
  }

  @Post()
  async create(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @WantsJson() json: boolean, @Body() body: unknown): Promise<WebReply> {
    try {
      const id = await this.notices.create(principal, validForm(maintenanceNoticeFormSchema, body));
      if (json) return WebReply.json({ id }, 201);
      return WebReply.seeOther('/system/maintenance?done=created');
    } catch (error) {
      if (!(error instanceof DomainException) || json) throw error;
      return this.page(lang, principal, { error, values: submitted(body) }, statusFor(error.reason));
    }
  }

  /** The confirmation step of cancelling a notice (it leaves the portal at once, for good). */
  @Get(':noticeId/cancel')
  async cancelForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Param('noticeId') id: string): Promise<WebReply> {
    return adminReply(cancelConfirmPage({ lang, principal, notice: await this.notices.get(id) }));
  }

  @Post(':noticeId/cancel')
  async cancel(@Principal() principal: AdminPrincipal, @Param('noticeId') id: string, @Body(new ConfirmedAction('cancel')) _form: ConfirmedActionForm): Promise<WebReply> {
    await this.notices.cancel(principal, id);
    return WebReply.seeOther('/system/maintenance?done=cancelled');
  }

  /** The notices page: the recent notices and the banner residents see now, with a notice or a refused form. */
  private async page(lang: Lang, principal: AdminPrincipal, extra: Pick<Parameters<typeof noticesPage>[0], 'notice' | 'error' | 'values'>, status = 200): Promise<WebReply> {
    const rows = await this.notices.recent();
    return adminReply(noticesPage({ lang, principal, rows, current: platformNoticeBanners(lang, await this.notices.current()), ...extra }), status);
  }
}
