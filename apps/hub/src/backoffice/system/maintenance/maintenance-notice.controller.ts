import { Body, Controller, Get, Param, Post, Query, UseFilters } from '@nestjs/common';
import { AjvBodyPipe, DomainException, statusFor } from '@tsunagu/common';
import { type AdminActionForm, adminActionFormSchema, type MaintenanceNoticeForm, maintenanceNoticeFormSchema } from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import { type AdminPrincipal, Principal } from '../../../platform/access/admin-principal';
import { AdminPageFilter } from '../../web/admin-errors';
import { adminReply, doneNotice } from '../../web/admin.layout';
import { maintenanceBanner } from '../../../operations/maintenance/maintenance-banner';
import { MaintenanceNoticeService } from '../../../operations/maintenance/maintenance-notice.service';
import { maintenanceText } from './maintenance.messages';
import { noticesPage } from './maintenance-notice.views';

const notices = { created: maintenanceText.created, cancelled: maintenanceText.cancelledDone };

/** Planned-maintenance notices: publish, see as residents do, cancel. */
@Controller('system/maintenance')
@UseFilters(AdminPageFilter)
export class MaintenanceNoticeController {
  constructor(private readonly notices: MaintenanceNoticeService) {}

  @Get()
  show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Query('done') done?: string): Promise<WebReply> {
    return this.page(lang, principal, { notice: doneNotice(lang, done, notices) });
  }

  @Post()
  async create(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @WantsJson() json: boolean, @Body(new AjvBodyPipe(maintenanceNoticeFormSchema)) form: MaintenanceNoticeForm): Promise<WebReply> {
    try {
      const id = await this.notices.create(principal, form);
      if (json) return WebReply.json({ id }, 201);
      return WebReply.seeOther('/system/maintenance?done=created');
    } catch (error) {
      if (!(error instanceof DomainException) || json) throw error;
      return this.page(lang, principal, { error, values: form }, statusFor(error.reason));
    }
  }

  @Post(':noticeId/cancel')
  async cancel(@Principal() principal: AdminPrincipal, @Param('noticeId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<WebReply> {
    await this.notices.cancel(principal, id);
    return WebReply.seeOther('/system/maintenance?done=cancelled');
  }

  /** The notices page: the recent notices and the banner residents see now, with a notice or a refused form. */
  private async page(lang: Lang, principal: AdminPrincipal, extra: Pick<Parameters<typeof noticesPage>[0], 'notice' | 'error' | 'values'>, status = 200): Promise<WebReply> {
    const rows = await this.notices.recent();
    return adminReply(noticesPage({ lang, principal, rows, current: maintenanceBanner(lang, await this.notices.current()), ...extra }), status);
  }
}
