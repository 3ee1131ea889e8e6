import { Body, Controller, Get, Param, Post, Query, UseFilters, UseGuards } from '@nestjs/common';
import { AjvBodyPipe } from '@tsunagu/common';
import { Lang, WebReply } from '@tsunagu/web';
import { type ResidentSession, ResidentSessionService } from '../identity/session/resident-session.service';
import { ConsentService } from '../consent/consent.service';
import { ConsentDecisionsService } from './consent-decisions.service';
import { LedgerService } from '../exchange/ledger/ledger.service';
import { type ConsentForm, consentFormSchema, csrfOnlyFormSchema, listOf, type WithdrawForm, withdrawFormSchema } from './dto/portal-forms';
import { PortalPageFilter } from './portal-page.filter';
import { ServiceAccessService } from './service-access.service';
import { portalReply } from './portal.layout';
import { consentPage, consentsPage, dataUsePage, dataUsesPage, linksPage, noticesPage, provisionsPage, receiptPage } from './portal.views';
import { PortalNoticesService } from './portal-notices.service';
import { TermsChangeService } from './terms-change.service';
import { Resident, ResidentGuard } from './resident.guard';

const versionOf = (form: { expectedVersion?: string }) => (form.expectedVersion === undefined ? undefined : Number(form.expectedVersion));

/** A JSON file the browser saves (a receipt, the receipt chain): personal data, never cached. */
function download(body: unknown, filename: string): WebReply {
  return WebReply.json(body).noStore().header('content-disposition', `attachment; filename="${filename}"`);
}

/** The resident portal's pages (server-rendered; every action works without JavaScript). */
@Controller('portal')
@UseGuards(ResidentGuard)
@UseFilters(PortalPageFilter)
export class PortalController {
  constructor(
    private readonly consents: ConsentService,
    private readonly decisions: ConsentDecisionsService,
    private readonly ledger: LedgerService,
    private readonly links: ServiceAccessService,
    private readonly sessions: ResidentSessionService,
    private readonly terms: TermsChangeService,
    private readonly notices: PortalNoticesService,
  ) {}

  @Get()
  home(): WebReply {
    return WebReply.seeOther('/account');
  }

  @Get('notices')
  async noticeList(@Lang() lang: Lang, @Resident() session: ResidentSession): Promise<WebReply> {
    return portalReply(noticesPage({ lang, ...(await this.notices.forResident(session.accountId)) }));
  }

  @Get('data-uses')
  async dataUses(@Lang() lang: Lang, @Resident() session: ResidentSession, @Query('declined') declined?: string): Promise<WebReply> {
    return portalReply(dataUsesPage({ lang, entries: await this.consents.listDataUses(session.accountId), declined: !!declined }));
  }

  @Get('data-uses/:code')
  async dataUse(@Lang() lang: Lang, @Resident() session: ResidentSession, @Param('code') code: string): Promise<WebReply> {
    const entry = await this.terms.dataUse(session.accountId, code);
    return portalReply(dataUsePage({ lang, ...entry, csrf: await this.sessions.csrfToken(session) }));
  }

  @Post('data-uses/:code/consent')
  async give(@Lang() lang: Lang, @Resident() session: ResidentSession, @Param('code') code: string, @Body(new AjvBodyPipe(consentFormSchema)) form: ConsentForm): Promise<WebReply> {
    const { consent } = await this.decisions.give(session.accountId, { dataUse: code, items: listOf(form.items), expectedVersion: versionOf(form), language: lang }, 'portal-form');
    return WebReply.seeOther(`/portal/consents/${consent.consentId}?done=given`);
  }

  /** "Do not agree" when nothing is agreed yet: nothing to record (nothing is shared by default). */
  @Post('data-uses/:code/decline')
  async decline(@Resident() session: ResidentSession, @Param('code') code: string, @Body(new AjvBodyPipe(csrfOnlyFormSchema)) _form: unknown): Promise<WebReply> {
    await this.consents.dataUse(session.accountId, code);
    return WebReply.seeOther('/portal/data-uses?declined=1');
  }

  @Get('consents')
  async consentList(@Lang() lang: Lang, @Resident() session: ResidentSession): Promise<WebReply> {
    return portalReply(consentsPage({ lang, entries: await this.consents.listConsents(session.accountId) }));
  }

  @Get('consents/:id')
  async consent(@Lang() lang: Lang, @Resident() session: ResidentSession, @Param('id') id: string, @Query('done') done?: string): Promise<WebReply> {
    return portalReply(consentPage({ lang, ...(await this.decisions.history(session.accountId, id)), csrf: await this.sessions.csrfToken(session), done }));
  }

  @Post('consents/:id/withdraw')
  async withdraw(@Resident() session: ResidentSession, @Param('id') id: string, @Body(new AjvBodyPipe(withdrawFormSchema)) form: WithdrawForm): Promise<WebReply> {
    await this.decisions.withdraw(session.accountId, id, { expectedVersion: versionOf(form) }, 'portal-form');
    return WebReply.seeOther(`/portal/consents/${id}?done=withdrawn`);
  }

  /** The resident's whole receipt chain, as the file `npm run receipt:verify` checks. */
  @Get('receipts/chain.json')
  async chain(@Resident() session: ResidentSession): Promise<WebReply> {
    return download({ receipts: await this.consents.receiptChain(session.accountId) }, 'consent-receipts.json');
  }

  @Get('receipts/:recordId')
  async receipt(@Lang() lang: Lang, @Resident() session: ResidentSession, @Param('recordId') recordId: string): Promise<WebReply> {
    const { enforcement, ...envelope } = await this.decisions.receipt(session.accountId, recordId);
    return portalReply(receiptPage({ lang, envelope, enforcement }));
  }

  @Get('receipts/:recordId/download')
  async download(@Resident() session: ResidentSession, @Param('recordId') recordId: string): Promise<WebReply> {
    const envelope = await this.consents.receipt(session.accountId, recordId);
    return download(envelope, `consent-receipt-${envelope.receipt.recordId}.json`);
  }

  @Get('provisions')
  async provisions(@Lang() lang: Lang, @Resident() session: ResidentSession): Promise<WebReply> {
    return portalReply(provisionsPage({ lang, provisions: await this.ledger.listForResident(session.accountId) }));
  }

  @Get('links')
  async linkList(@Lang() lang: Lang, @Resident() session: ResidentSession, @Query('unlinked') unlinked?: string): Promise<WebReply> {
    return portalReply(linksPage({ lang, links: await this.links.list(session.accountId), csrf: await this.sessions.csrfToken(session), unlinked: unlinked === '1' }));
  }

  @Post('links/:id/delete')
  async unlink(@Resident() session: ResidentSession, @Param('id') id: string, @Body(new AjvBodyPipe(csrfOnlyFormSchema)) _form: unknown): Promise<WebReply> {
    await this.links.removeByLink(session.accountId, id);
    return WebReply.seeOther('/portal/links?unlinked=1');
  }

  /** Removes a service: its sign-in access and tokens are revoked, it is signed out, and unlinked. */
  @Post('links/services/:clientId/delete')
  async removeService(@Resident() session: ResidentSession, @Param('clientId') clientId: string, @Body(new AjvBodyPipe(csrfOnlyFormSchema)) _form: unknown): Promise<WebReply> {
    await this.links.remove(session.accountId, clientId);
    return WebReply.seeOther('/portal/links?unlinked=1');
  }
}
