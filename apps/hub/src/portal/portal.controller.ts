import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { AjvBodyPipe } from '@tsunagu/common';
import { pickLang, type SafeHtml } from '@tsunagu/web';
import { ResidentSessionService } from '../identity/session/resident-session.service';
import { ConsentService } from '../consent/consent.service';
import { LedgerService } from '../exchange/ledger/ledger.service';
import { LinksService } from '../links/links.service';
import { type ConsentForm, consentFormSchema, csrfOnlyFormSchema, listOf, type WithdrawForm, withdrawFormSchema } from './dto/portal-forms';
import { PortalPageFilter } from './portal-page.filter';
import { consentPage, consentsPage, dataUsePage, dataUsesPage, linksPage, portalText, provisionsPage, receiptPage } from './portal.views';
import { type PortalRequest, ResidentGuard, residentOf } from './resident.guard';

function send(res: Response, body: SafeHtml, status = 200): void {
  // Every portal page carries personal data or a CSRF token: never cached.
  res.status(status).type('html').setHeader('cache-control', 'no-store').send(body.value);
}

/** The resident portal's pages (server-rendered; every action works without JavaScript). */
@Controller('portal')
@UseGuards(ResidentGuard)
@UseFilters(PortalPageFilter)
export class PortalController {
  constructor(
    private readonly consents: ConsentService,
    private readonly ledger: LedgerService,
    private readonly links: LinksService,
    private readonly sessions: ResidentSessionService,
  ) {}

  @Get()
  home(@Res() res: Response): void {
    res.redirect(303, '/account');
  }

  @Get('data-uses')
  async dataUses(@Req() req: PortalRequest, @Res() res: Response, @Query('declined') declined?: string): Promise<void> {
    const lang = pickLang(req);
    const entries = await this.consents.listDataUses(residentOf(req).accountId);
    send(res, dataUsesPage({ lang, entries, notice: declined ? portalText.declined[lang] : undefined }));
  }

  @Get('data-uses/:code')
  async dataUse(@Req() req: PortalRequest, @Res() res: Response, @Param('code') code: string): Promise<void> {
    const session = residentOf(req);
    const lang = pickLang(req);
    const entry = await this.consents.dataUse(session.accountId, code);
    send(res, dataUsePage({ lang, ...entry, csrf: await this.sessions.csrfToken(session) }));
  }

  @Post('data-uses/:code/consent')
  async give(@Req() req: PortalRequest, @Res() res: Response, @Param('code') code: string, @Body(new AjvBodyPipe(consentFormSchema)) form: ConsentForm): Promise<void> {
    const { consent } = await this.consents.give(residentOf(req).accountId, {
      dataUse: code, items: listOf(form.items), expectedVersion: form.expectedVersion === undefined ? undefined : Number(form.expectedVersion), language: pickLang(req),
    }, 'portal-form');
    res.redirect(303, `/portal/consents/${consent.consentId}?done=given`);
  }

  /** "Do not agree" when nothing is agreed yet: nothing to record (nothing is shared by default). */
  @Post('data-uses/:code/decline')
  async decline(@Req() req: PortalRequest, @Res() res: Response, @Param('code') code: string, @Body(new AjvBodyPipe(csrfOnlyFormSchema)) _form: unknown): Promise<void> {
    await this.consents.dataUse(residentOf(req).accountId, code);
    res.redirect(303, '/portal/data-uses?declined=1');
  }

  @Get('consents')
  async consentList(@Req() req: PortalRequest, @Res() res: Response): Promise<void> {
    send(res, consentsPage({ lang: pickLang(req), entries: await this.consents.listConsents(residentOf(req).accountId) }));
  }

  @Get('consents/:id')
  async consent(@Req() req: PortalRequest, @Res() res: Response, @Param('id') id: string, @Query('done') done?: string): Promise<void> {
    const session = residentOf(req);
    const lang = pickLang(req);
    const notice = done === 'given' ? portalText.given[lang] : done === 'withdrawn' ? portalText.withdrawnDone[lang] : undefined;
    send(res, consentPage({ lang, history: await this.consents.history(session.accountId, id), csrf: await this.sessions.csrfToken(session), notice }));
  }

  @Post('consents/:id/withdraw')
  async withdraw(@Req() req: PortalRequest, @Res() res: Response, @Param('id') id: string, @Body(new AjvBodyPipe(withdrawFormSchema)) form: WithdrawForm): Promise<void> {
    await this.consents.withdraw(residentOf(req).accountId, id, { expectedVersion: form.expectedVersion === undefined ? undefined : Number(form.expectedVersion) }, 'portal-form');
    res.redirect(303, `/portal/consents/${id}?done=withdrawn`);
  }

  /** The resident's whole receipt chain, as the file `npm run receipt:verify` checks. */
  @Get('receipts/chain.json')
  async chain(@Req() req: PortalRequest, @Res() res: Response): Promise<void> {
    const receipts = await this.consents.receiptChain(residentOf(req).accountId);
    res.status(200).setHeader('cache-control', 'no-store').attachment('consent-receipts.json').json({ receipts });
  }

  @Get('receipts/:recordId')
  async receipt(@Req() req: PortalRequest, @Res() res: Response, @Param('recordId') recordId: string): Promise<void> {
    send(res, receiptPage({ lang: pickLang(req), envelope: await this.consents.receipt(residentOf(req).accountId, recordId) }));
  }

  @Get('receipts/:recordId/download')
  async download(@Req() req: PortalRequest, @Res() res: Response, @Param('recordId') recordId: string): Promise<void> {
    const envelope = await this.consents.receipt(residentOf(req).accountId, recordId);
    res.status(200).setHeader('cache-control', 'no-store').attachment(`consent-receipt-${recordId}.json`).json(envelope);
  }

  @Get('provisions')
  async provisions(@Req() req: PortalRequest, @Res() res: Response): Promise<void> {
    send(res, provisionsPage({ lang: pickLang(req), provisions: await this.ledger.listForResident(residentOf(req).accountId) }));
  }

  @Get('links')
  async linkList(@Req() req: PortalRequest, @Res() res: Response, @Query('unlinked') unlinked?: string): Promise<void> {
    const session = residentOf(req);
    send(res, linksPage({ lang: pickLang(req), links: await this.links.listForResident(session.accountId), csrf: await this.sessions.csrfToken(session), notice: unlinked === '1' }));
  }

  @Post('links/:id/delete')
  async unlink(@Req() req: PortalRequest, @Res() res: Response, @Param('id') id: string, @Body(new AjvBodyPipe(csrfOnlyFormSchema)) _form: unknown): Promise<void> {
    await this.links.unlink(residentOf(req).accountId, id);
    res.redirect(303, '/portal/links?unlinked=1');
  }
}
