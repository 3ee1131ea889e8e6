import { Body, Controller, Get, Ip, Param, Post, Query, UseFilters, UseGuards } from '@nestjs/common';
import { AjvBodyPipe } from '@tsunagu/common';
import { Lang, WebReply } from '@tsunagu/web';
import { RecoveryService } from '../identity/recovery/recovery.service';
import type { ResidentSession } from '../identity/session/resident-session.service';
import { AccountSecurityService } from './account-security.service';
import { csrfOnlyFormSchema } from './dto/portal-forms';
import { type EmailForm, emailFormSchema } from './dto/recovery-forms';
import { AccountPageFilter } from './portal-page.filter';
import { portalReply } from './portal.layout';
import { emailSettingsPage, endSessionConfirmPage, sessionsPage } from './recovery.views';
import { Resident, ResidentGuard } from './resident.guard';

/** The signed-in resident's sessions and devices, and the account's e-mail address. */
@Controller('account')
@UseGuards(ResidentGuard)
@UseFilters(AccountPageFilter)
export class SessionsController {
  constructor(private readonly security: AccountSecurityService, private readonly recovery: RecoveryService) {}

  @Get('sessions')
  async list(@Lang() lang: Lang, @Resident() session: ResidentSession, @Query('ended') ended?: string): Promise<WebReply> {
    return portalReply(sessionsPage({ lang, sessions: await this.security.list(session), done: ended === '1' }));
  }

  @Get('sessions/end-all')
  async confirmAll(@Lang() lang: Lang, @Resident() session: ResidentSession): Promise<WebReply> {
    return portalReply(endSessionConfirmPage({ lang, ...(await this.security.confirmation(session, undefined)) }));
  }

  /** Every session ends, this one included: the browser lands signed out. */
  @Post('sessions/end-all')
  async endAll(@Resident() session: ResidentSession, @Body(new AjvBodyPipe(csrfOnlyFormSchema)) _form: unknown): Promise<WebReply> {
    await this.security.endAll(session);
    return WebReply.seeOther('/account/signed-out');
  }

  @Get('sessions/:uid/end')
  async confirmOne(@Lang() lang: Lang, @Resident() session: ResidentSession, @Param('uid') uid: string): Promise<WebReply> {
    return portalReply(endSessionConfirmPage({ lang, ...(await this.security.confirmation(session, uid)) }));
  }

  @Post('sessions/:uid/end')
  async endOne(@Resident() session: ResidentSession, @Param('uid') uid: string, @Body(new AjvBodyPipe(csrfOnlyFormSchema)) _form: unknown): Promise<WebReply> {
    return WebReply.seeOther(await this.security.end(session, uid));
  }

  @Get('email')
  async email(@Lang() lang: Lang, @Resident() session: ResidentSession, @Query('removed') removed?: string): Promise<WebReply> {
    return portalReply(emailSettingsPage({ lang, ...(await this.security.emailPage(session)), done: removed === '1' ? 'removed' : undefined }));
  }

  @Post('email')
  async addEmail(@Lang() lang: Lang, @Ip() ip: string, @Resident() session: ResidentSession, @Body(new AjvBodyPipe(emailFormSchema)) form: EmailForm): Promise<WebReply> {
    return portalReply(emailSettingsPage({ lang, ...(await this.security.addEmail(session, form.email, lang, ip)) }));
  }

  @Post('email/delete')
  async removeEmail(@Resident() session: ResidentSession, @Body(new AjvBodyPipe(csrfOnlyFormSchema)) _form: unknown): Promise<WebReply> {
    await this.recovery.removeEmail(session.accountId);
    return WebReply.seeOther('/account/email?removed=1');
  }
}
