import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { handlingLedgerQuerySchema } from '@tsunagu/contracts';
import { Lang, WebReply } from '@tsunagu/web';
import { HandlingLedgerService } from '../../compliance/handling-ledger/handling-ledger.service';
import { type AdminPrincipal, Principal } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
import { validForm } from '../web/admin-forms';
import { adminReply } from '../web/admin.layout';
import { Area, type ComplianceArea } from './compliance-scope';
import { handlingLedgerPage } from './handling-ledger.views';

/** The handling ledger (台帳): `/admin/handling-ledger` for the tenant, `/system/handling-ledger` for the platform. */
@Controller(['admin/handling-ledger', 'system/handling-ledger'])
@UseFilters(AdminPageFilter)
export class HandlingLedgerController {
  constructor(private readonly ledger: HandlingLedgerService) {}

  @Get()
  async show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @Query() query: unknown): Promise<WebReply> {
    const q = validForm(handlingLedgerQuerySchema, query);
    return adminReply(handlingLedgerPage({ lang, principal, where, query: q, rows: await this.ledger.search(where, q) }));
  }

  @Get('export.csv')
  async csv(@Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @Query() query: unknown): Promise<WebReply> {
    return WebReply.text(await this.ledger.export(principal, where, validForm(handlingLedgerQuerySchema, query), 'csv'), 'text/csv; charset=utf-8').noStore()
      .header('content-disposition', 'attachment; filename="handling-ledger.csv"');
  }

  @Get('export.ndjson')
  async ndjson(@Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @Query() query: unknown): Promise<WebReply> {
    return WebReply.text(await this.ledger.export(principal, where, validForm(handlingLedgerQuerySchema, query), 'ndjson'), 'application/x-ndjson; charset=utf-8').noStore()
      .header('content-disposition', 'attachment; filename="handling-ledger.ndjson"');
  }
}
