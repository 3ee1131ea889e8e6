import { Body, Controller, Get, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import { AjvBodyPipe } from '@tsunagu/common';
import { type LeaveForm, leaveFormSchema, type LeaveKeyForm, leaveKeyFormSchema } from '@tsunagu/contracts';
import { Lang, WebReply } from '@tsunagu/web';
import { type ResidentSession, ResidentSessionService } from '../identity/session/resident-session.service';
import { DepartureService } from '../lifecycle/departure/departure.service';
import { erasureCertificateDocument } from '../lifecycle/erasure/erasure-certificate.document';
import { leavePage, leftPage } from './leave.views';
import { PortalPageFilter } from './portal-page.filter';
import { portalReply } from './portal.layout';
import { Resident, ResidentGuard } from './resident.guard';

/**
 * Leaving the platform (退会, docs/erasure.md): the confirmation of what will happen, the one
 * irreversible step, and the page after it — reachable without a session (the account is gone):
 * its forms carry the departure's ID and the key the resident was shown, never in a URL.
 */
@Controller('portal/leave')
@UseFilters(PortalPageFilter)
export class LeaveController {
  constructor(private readonly departures: DepartureService, private readonly sessions: ResidentSessionService) {}

  @Get()
  @UseGuards(ResidentGuard)
  async show(@Lang() lang: Lang, @Resident() session: ResidentSession): Promise<WebReply> {
    return portalReply(leavePage({ lang, preview: await this.departures.preview(session.accountId), csrf: await this.sessions.csrfToken(session) }));
  }

  @Post()
  @HttpCode(200)
  @UseGuards(ResidentGuard)
  async leave(@Lang() lang: Lang, @Resident() session: ResidentSession, @Body(new AjvBodyPipe(leaveFormSchema)) form: LeaveForm): Promise<WebReply> {
    return portalReply(leftPage({ lang, status: (await this.departures.leave(session.accountId, form.confirm)).status }));
  }

  @Post('status')
  @HttpCode(200)
  async status(@Lang() lang: Lang, @Body(new AjvBodyPipe(leaveKeyFormSchema)) form: LeaveKeyForm): Promise<WebReply> {
    return portalReply(leftPage({ lang, status: await this.departures.statusByKey(form.departure, form.key) }));
  }

  /** The certificate: the signed JSON (what `npm run certificate:verify` checks) or the printable page. */
  @Post('certificate')
  @HttpCode(200)
  async certificate(@Body(new AjvBodyPipe(leaveKeyFormSchema)) form: LeaveKeyForm): Promise<WebReply> {
    const doc = await this.departures.certificateByKey(form.departure, form.key);
    if (form.format === 'html') return WebReply.page(erasureCertificateDocument(doc)).noStore();
    return WebReply.json(doc).noStore().header('content-disposition', `attachment; filename="erasure-certificate-${doc.certificate.certificateId}.json"`);
  }
}
