import { Body, Controller, Get, Post, Query, UseFilters } from '@nestjs/common';
import { DomainException, statusFor } from '@tsunagu/common';
import { platformSettingsFormSchema } from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import { type AdminPrincipal, Principal } from '../../../platform/access/admin-principal';
import { AdminPageFilter } from '../../web/admin-errors';
import { submitted, validForm } from '../../web/admin-forms';
import { adminReply } from '../../web/admin.layout';
import { PlatformSettingsService } from '../../../operations/settings/platform-settings.service';
import { settingsText } from './settings.messages';
import { settingsPage } from './platform-settings.views';

/** The system admin's platform settings (defaults overlaid with saved values). */
@Controller('system/settings')
@UseFilters(AdminPageFilter)
export class PlatformSettingsController {
  constructor(private readonly settings: PlatformSettingsService) {}

  @Get()
  async show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Query('done') done?: string): Promise<WebReply> {
    return adminReply(settingsPage({ lang, principal, values: { ...await this.settings.current() }, notice: done ? settingsText.saved[lang] : undefined }));
  }

  @Post()
  async update(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @WantsJson() json: boolean, @Body() body: unknown): Promise<WebReply> {
    try {
      await this.settings.update(principal, validForm(platformSettingsFormSchema, body));
      return WebReply.seeOther('/system/settings?done=1');
    } catch (error) {
      if (!(error instanceof DomainException) || json) throw error;
      return adminReply(settingsPage({ lang, principal, values: submitted(body), error }), statusFor(error.reason));
    }
  }
}
