import { Readable } from 'node:stream';
import { Controller, Get, Header, Query, StreamableFile, UseFilters } from '@nestjs/common';
import { assertValid } from '@tsunagu/common';
import { type AuditSearchQuery, auditSearchQuerySchema } from '@tsunagu/contracts';
import { Lang, WebReply } from '@tsunagu/web';
import { type AdminPrincipal, Principal } from '../../../platform/access/admin-principal';
import { AdminPageFilter } from '../../web/admin-errors';
import { adminReply } from '../../web/admin.layout';
import { type AuditExportFormat, EXPORT_CONTENT_TYPES, exportFileName, startExport } from './audit-export.writer';
import { AuditSearchService } from './audit-search.service';
import { auditPage } from './audit-search.views';

/**
 * Audit search with filters, and NDJSON / CSV export of the same selection (system admins). The
 * exports stream as a StreamableFile: piped with back-pressure (a slow download does not pile the
 * chain up in memory), stopped when the client goes away, cut (not ended) if a page fails.
 */
@Controller('system/audit')
@UseFilters(AdminPageFilter)
export class AuditSearchController {
  constructor(private readonly search: AuditSearchService) {}

  @Get()
  async show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Query() query: Record<string, unknown>): Promise<WebReply> {
    const q = assertValid<AuditSearchQuery>(auditSearchQuerySchema, query);
    return adminReply(auditPage({ lang, principal, q, ...await this.search.search(q) }));
  }

  @Get('export.ndjson')
  @Header('cache-control', 'no-store')
  ndjson(@Principal() principal: AdminPrincipal, @Query() query: Record<string, unknown>): Promise<StreamableFile> {
    return this.export(principal, query, 'ndjson');
  }

  @Get('export.csv')
  @Header('cache-control', 'no-store')
  csv(@Principal() principal: AdminPrincipal, @Query() query: Record<string, unknown>): Promise<StreamableFile> {
    return this.export(principal, query, 'csv');
  }

  private async export(principal: AdminPrincipal, query: Record<string, unknown>, format: AuditExportFormat): Promise<StreamableFile> {
    const q = assertValid<AuditSearchQuery>(auditSearchQuerySchema, query);
    const chunks = await startExport(format, this.search.export(principal, q, format));
    return new StreamableFile(Readable.from(chunks), { type: EXPORT_CONTENT_TYPES[format], disposition: `attachment; filename="${exportFileName(format, new Date())}"` });
  }
}
