import { Body, Controller, Get, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import type { JSONSchemaType } from 'ajv';
import { type DeceasedForm, deceasedFormSchema } from '@tsunagu/contracts';
import { Lang, WebReply } from '@tsunagu/web';
import { DepartureService } from '../../lifecycle/departure/departure.service';
import { erasureCertificateDocument } from '../../lifecycle/erasure/erasure-certificate.document';
import { type AdminPrincipal, Principal } from '../../platform/access/admin-principal';
import { Area, type ComplianceArea } from '../compliance/compliance-scope';
import { AdminPageFilter } from '../web/admin-errors';
import { validForm } from '../web/admin-forms';
import { adminReply } from '../web/admin.layout';
import { certificatesPage, deceasedPage } from './erasure.views';

/**
 * Erasure certificates in the back office (docs/erasure.md): a tenant admin looks one up by its
 * number (only one that names a connector of the tenant), a system admin any, with the erasure
 * requests still awaiting confirmation.
 */
@Controller(['admin/erasure-certificates', 'system/erasure-certificates'])
@UseFilters(AdminPageFilter)
export class ErasureCertificatesController {
  constructor(private readonly departures: DepartureService) {}

  @Get()
  async show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Area() where: ComplianceArea): Promise<WebReply> {
    return adminReply(certificatesPage({ lang, principal, area: where.area, base: where.base, pending: where.area === 'system' ? await this.departures.pending() : undefined }));
  }

  /** The form's GET: to the certificate's own address. */
  @Get('lookup')
  async lookup(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Area() where: ComplianceArea, @Query('id') id?: unknown): Promise<WebReply> {
    // A repeated parameter arrives as an array: only a single value names a certificate. Without
    // one, the page with the form again.
    const number = typeof id === 'string' ? id.trim() : '';
    if (!number) return this.show(lang, principal, where);
    return WebReply.seeOther(`${where.base}/erasure-certificates/${encodeURIComponent(number)}`);
  }

  @Get(':certificateId.json')
  async json(@Area() where: ComplianceArea, @Param('certificateId') id: string): Promise<WebReply> {
    return WebReply.json(await this.find(where, id)).noStore().header('content-disposition', `attachment; filename="erasure-certificate-${id}.json"`);
  }

  @Get(':certificateId')
  async page(@Area() where: ComplianceArea, @Param('certificateId') id: string): Promise<WebReply> {
    return WebReply.page(erasureCertificateDocument(await this.find(where, id))).noStore();
  }

  private find(where: ComplianceArea, id: string) {
    return where.tenantId ? this.departures.certificateForTenant(where.tenantId, id) : this.departures.certificateForSystem(id);
  }
}

/** A system admin (the access middleware refuses tenant admins on /system) records a deceased resident on a documented request (死者情報, 特記事項第15条). */
@Controller('system/deceased')
@UseFilters(AdminPageFilter)
export class DeceasedController {
  constructor(private readonly departures: DepartureService) {}

  @Get()
  show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal): WebReply {
    return adminReply(deceasedPage({ lang, principal }));
  }

  @Post()
  @HttpCode(200)
  async record(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Body() body: unknown): Promise<WebReply> {
    const form = validForm(deceasedFormSchema as unknown as JSONSchemaType<DeceasedForm>, body);
    const { status } = await this.departures.recordDeceased(principal.adminId, form);
    return adminReply(deceasedPage({ lang, principal, status }));
  }
}
