import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { AjvBodyPipe, assertValid } from '@tsunagu/common';
import {
  type ConsentEnforcementView, type ConsentHistoryView, type DataUseWithConsentView, type GiveConsentRequest, giveConsentRequestSchema, type LinkedServiceView,
  type PortalHomeView, type PortalNoticesView, type ProvisionView, type ReceiptChainDocument, type ReceiptEnvelope, type WithdrawConsentRequest, withdrawConsentRequestSchema,
} from '@tsunagu/contracts';
import type { ResidentSession } from '../identity/session/resident-session.service';
import { ConsentService } from '../consent/consent.service';
import { ConsentDecisionsService, type PortalDecision } from './consent-decisions.service';
import { LedgerService } from '../exchange/ledger/ledger.service';
import { LinksService } from '../links/links.service';
import { type ProvisionsQuery, provisionsQuerySchema } from './dto/portal-forms';
import { linkedServiceView, PortalHomeService } from './portal-home.service';
import { NoticesService } from './notices.service';
import { ServiceAccessService } from './service-access.service';
import { TermsChangeService } from './terms-change.service';
import { Resident, ResidentGuard } from './resident.guard';

/**
 * The JSON API behind the portal (for a future mobile app), under the portal's rules: the
 * resident's session cookie, and the CSRF token in `x-csrf-token` on every POST and DELETE.
 * Described in OpenAPI (portal-openapi.ts, served at /api/portal/openapi.json).
 */
@Controller('api/v1/portal')
@UseGuards(ResidentGuard)
export class PortalApiController {
  constructor(
    private readonly home: PortalHomeService,
    private readonly consents: ConsentService,
    private readonly decisions: ConsentDecisionsService,
    private readonly ledger: LedgerService,
    private readonly links: LinksService,
    private readonly access: ServiceAccessService,
    private readonly terms: TermsChangeService,
    private readonly notices: NoticesService,
  ) {}

  @Get('me')
  me(@Resident() session: ResidentSession): Promise<PortalHomeView> {
    return this.home.home(session);
  }

  @Get('data-uses')
  dataUses(@Resident() session: ResidentSession): Promise<DataUseWithConsentView[]> {
    return this.consents.listDataUses(session.accountId);
  }

  @Get('data-uses/:code')
  dataUse(@Resident() session: ResidentSession, @Param('code') code: string): Promise<DataUseWithConsentView> {
    return this.terms.dataUse(session.accountId, code);
  }

  @Get('notices')
  async noticeList(@Resident() session: ResidentSession): Promise<PortalNoticesView> {
    return { notices: await this.notices.list(session.accountId) };
  }

  @Get('consents')
  consentList(@Resident() session: ResidentSession): Promise<DataUseWithConsentView[]> {
    return this.consents.listConsents(session.accountId);
  }

  @Post('consents')
  @HttpCode(201)
  give(@Resident() session: ResidentSession, @Body(new AjvBodyPipe(giveConsentRequestSchema)) body: GiveConsentRequest): Promise<PortalDecision> {
    return this.decisions.give(session.accountId, body, 'portal-api');
  }

  @Get('consents/:id')
  async consent(@Resident() session: ResidentSession, @Param('id') id: string): Promise<ConsentHistoryView & { enforcement: ConsentEnforcementView | null }> {
    const { history, enforcement } = await this.decisions.history(session.accountId, id);
    return { ...history, enforcement };
  }

  @Post('consents/:id/withdraw')
  @HttpCode(200)
  withdraw(@Resident() session: ResidentSession, @Param('id') id: string, @Body(new AjvBodyPipe(withdrawConsentRequestSchema)) body: WithdrawConsentRequest): Promise<PortalDecision> {
    return this.decisions.withdraw(session.accountId, id, body, 'portal-api');
  }

  @Get('receipts')
  async receipts(@Resident() session: ResidentSession): Promise<ReceiptChainDocument> {
    return { receipts: await this.consents.receiptChain(session.accountId) };
  }

  @Get('receipts/:recordId')
  receipt(@Resident() session: ResidentSession, @Param('recordId') recordId: string): Promise<ReceiptEnvelope & { enforcement: ConsentEnforcementView | null }> {
    return this.decisions.receipt(session.accountId, recordId);
  }

  @Get('provisions')
  async provisions(@Resident() session: ResidentSession, @Query() query: unknown): Promise<{ provisions: ProvisionView[] }> {
    const q = assertValid<ProvisionsQuery>(provisionsQuerySchema, query);
    return { provisions: await this.ledger.listForResident(session.accountId, { limit: q.limit ? Number(q.limit) : undefined, before: q.before ? new Date(q.before) : undefined }) };
  }

  @Get('links')
  async linkList(@Resident() session: ResidentSession): Promise<LinkedServiceView[]> {
    return (await this.links.listForResident(session.accountId)).map(linkedServiceView);
  }

  @Delete('links/:id')
  @HttpCode(204)
  async unlink(@Resident() session: ResidentSession, @Param('id') id: string): Promise<void> {
    await this.access.removeByLink(session.accountId, id);
  }
}
