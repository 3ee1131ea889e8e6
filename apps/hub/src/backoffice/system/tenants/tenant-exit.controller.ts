import { Body, Controller, Get, Param, Post, Query, UseFilters } from '@nestjs/common';
import type { JSONSchemaType } from 'ajv';
import { type TenantDeleteForm, tenantDeleteFormSchema, type TenantExportForm, tenantExportFormSchema } from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import { erasureCertificateDocument } from '../../../lifecycle/erasure/erasure-certificate.document';
import { TenantExitService } from '../../../lifecycle/tenant-exit/tenant-exit.service';
import { type AdminPrincipal, Principal } from '../../../platform/access/admin-principal';
import { AdminPageFilter } from '../../web/admin-errors';
import { validForm } from '../../web/admin-forms';
import { adminReply } from '../../web/admin.layout';
import { exitText } from './tenant-exit.messages';
import { tenantDeletePage, tenantExitPage } from './tenant-exit.views';

/**
 * A tenant leaving the platform, for the system admin (docs/erasure.md "Tenants leaving"): the
 * exit page, the export (the answer is the signed archive to download), the deletion's
 * confirmation step and post, and the tenant's erasure certificate (JSON and printable), also by
 * its ID. The access middleware keeps tenant admins out of /system (403); the service refuses them too.
 */
@Controller('system')
@UseFilters(AdminPageFilter)
export class TenantExitController {
  constructor(private readonly exits: TenantExitService) {}

  @Get('tenants/:tenantId/exit')
  async page(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @WantsJson() json: boolean, @Param('tenantId') id: string, @Query('done') done?: string): Promise<WebReply> {
    const status = await this.exits.status(principal, id);
    if (json) return WebReply.json(status).noStore();
    return adminReply(tenantExitPage({ lang, principal, status, notice: done === 'deleted' ? exitText.deleted[lang] : undefined }));
  }

  @Post('tenants/:tenantId/export')
  async export(@Principal() principal: AdminPrincipal, @Param('tenantId') id: string, @Body() body: unknown): Promise<WebReply> {
    const doc = await this.exits.export(principal, id, validForm(tenantExportFormSchema as unknown as JSONSchemaType<TenantExportForm>, body));
    return WebReply.json(doc).noStore().header('content-disposition', `attachment; filename="tenant-archive-${doc.archive.tenant.code}-${doc.archive.archiveId}.json"`);
  }

  @Get('tenants/:tenantId/delete')
  async deleteForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Param('tenantId') id: string): Promise<WebReply> {
    return adminReply(tenantDeletePage({ lang, principal, status: await this.exits.status(principal, id) }));
  }

  @Post('tenants/:tenantId/delete')
  async delete(@Principal() principal: AdminPrincipal, @WantsJson() json: boolean, @Param('tenantId') id: string, @Body() body: unknown): Promise<WebReply> {
    const status = await this.exits.delete(principal, id, validForm(tenantDeleteFormSchema as unknown as JSONSchemaType<TenantDeleteForm>, body));
    return json ? WebReply.json(status, 201).noStore() : WebReply.seeOther(`/system/tenants/${id}/exit?done=deleted`);
  }

  @Get('tenants/:tenantId/certificate.json')
  async certificateJson(@Principal() principal: AdminPrincipal, @Param('tenantId') id: string): Promise<WebReply> {
    return WebReply.json(await this.exits.certificateOfTenant(principal, id)).noStore().header('content-disposition', `attachment; filename="tenant-erasure-certificate-${id}.json"`);
  }

  @Get('tenants/:tenantId/certificate')
  async certificatePage(@Principal() principal: AdminPrincipal, @Param('tenantId') id: string): Promise<WebReply> {
    return WebReply.page(erasureCertificateDocument(await this.exits.certificateOfTenant(principal, id))).noStore();
  }

  @Get('tenant-certificates/:certificateId.json')
  async byIdJson(@Principal() principal: AdminPrincipal, @Param('certificateId') id: string): Promise<WebReply> {
    return WebReply.json(await this.exits.certificate(principal, id)).noStore();
  }

  @Get('tenant-certificates/:certificateId')
  async byIdPage(@Principal() principal: AdminPrincipal, @Param('certificateId') id: string): Promise<WebReply> {
    return WebReply.page(erasureCertificateDocument(await this.exits.certificate(principal, id))).noStore();
  }
}
