import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { AjvBodyPipe, assertValid } from '@tsunagu/common';
import {
  type ConsentHistoryView, type DataUseWithConsentView, type GiveConsentRequest, giveConsentRequestSchema, type LinkedServiceView,
  type PortalHomeView, type ProvisionView, type ReceiptChainDocument, type ReceiptEnvelope, type WithdrawConsentRequest, withdrawConsentRequestSchema,
} from '@tsunagu/contracts';
import { ConsentService, type DecisionResult } from '../consent/consent.service';
import { LedgerService } from '../exchange/ledger/ledger.service';
import { LinksService } from '../links/links.service';
import { type ProvisionsQuery, provisionsQuerySchema } from './dto/portal-forms';
import { linkedServiceView, PortalHomeService } from './portal-home.service';
import { type PortalRequest, ResidentGuard, residentOf } from './resident.guard';

/**
 * The JSON API behind the portal (for a future mobile app), under the portal's rules: the
 * resident's session cookie, and the CSRF token in `x-csrf-token` on every POST and DELETE.
 * Described in OpenAPI (apps/hub/src/api-docs/openapi.ts).
 */
@Controller('api/v1/portal')
@UseGuards(ResidentGuard)
export class PortalApiController {
  constructor(
    private readonly home: PortalHomeService,
    private readonly consents: ConsentService,
    private readonly ledger: LedgerService,
    private readonly links: LinksService,
  ) {}

  @Get('me')
  me(@Req() req: PortalRequest): Promise<PortalHomeView> {
    return this.home.home(residentOf(req));
  }

  @Get('data-uses')
  dataUses(@Req() req: PortalRequest): Promise<DataUseWithConsentView[]> {
    return this.consents.listDataUses(residentOf(req).accountId);
  }

  @Get('data-uses/:code')
  dataUse(@Req() req: PortalRequest, @Param('code') code: string): Promise<DataUseWithConsentView> {
    return this.consents.dataUse(residentOf(req).accountId, code);
  }

  @Get('consents')
  consentList(@Req() req: PortalRequest): Promise<DataUseWithConsentView[]> {
    return this.consents.listConsents(residentOf(req).accountId);
  }

  @Post('consents')
  @HttpCode(201)
  give(@Req() req: PortalRequest, @Body(new AjvBodyPipe(giveConsentRequestSchema)) body: GiveConsentRequest): Promise<DecisionResult> {
    return this.consents.give(residentOf(req).accountId, body, 'portal-api');
  }

  @Get('consents/:id')
  consent(@Req() req: PortalRequest, @Param('id') id: string): Promise<ConsentHistoryView> {
    return this.consents.history(residentOf(req).accountId, id);
  }

  @Post('consents/:id/withdraw')
  @HttpCode(200)
  withdraw(@Req() req: PortalRequest, @Param('id') id: string, @Body(new AjvBodyPipe(withdrawConsentRequestSchema)) body: WithdrawConsentRequest): Promise<DecisionResult> {
    return this.consents.withdraw(residentOf(req).accountId, id, body, 'portal-api');
  }

  @Get('receipts')
  async receipts(@Req() req: PortalRequest): Promise<ReceiptChainDocument> {
    return { receipts: await this.consents.receiptChain(residentOf(req).accountId) };
  }

  @Get('receipts/:recordId')
  receipt(@Req() req: PortalRequest, @Param('recordId') recordId: string): Promise<ReceiptEnvelope> {
    return this.consents.receipt(residentOf(req).accountId, recordId);
  }

  @Get('provisions')
  async provisions(@Req() req: PortalRequest, @Query() query: unknown): Promise<{ provisions: ProvisionView[] }> {
    const q = assertValid<ProvisionsQuery>(provisionsQuerySchema, query);
    return { provisions: await this.ledger.listForResident(residentOf(req).accountId, { limit: q.limit ? Number(q.limit) : undefined, before: q.before ? new Date(q.before) : undefined }) };
  }

  @Get('links')
  async linkList(@Req() req: PortalRequest): Promise<LinkedServiceView[]> {
    return (await this.links.listForResident(residentOf(req).accountId)).map(linkedServiceView);
  }

  @Delete('links/:id')
  @HttpCode(204)
  async unlink(@Req() req: PortalRequest, @Param('id') id: string): Promise<void> {
    await this.links.unlink(residentOf(req).accountId, id);
  }
}
