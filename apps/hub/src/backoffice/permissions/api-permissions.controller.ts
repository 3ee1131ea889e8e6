import { Body, Controller, Get, Param, Post, Query, UseFilters } from '@nestjs/common';
import { AjvBodyPipe, DomainException, statusFor } from '@tsunagu/common';
import { type AdminActionForm, adminActionFormSchema, permissionGrantFormSchema } from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import { type AdminPrincipal, Principal, Tenant, type TenantRef } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
import { submitted, validForm } from '../web/admin-forms';
import { adminReply, doneNotice } from '../web/admin.layout';
import { ApiPermissionsService } from '../../tenancy/permissions/api-permissions.service';
import { permissionsPage } from './api-permissions.views';
import { permissionText } from './permissions.messages';

const notices = { granted: permissionText.granted, revoked: permissionText.revoked };

/** Which consumer services of the tenant may request which offers (default deny). */
@Controller('admin/permissions')
@UseFilters(AdminPageFilter)
export class ApiPermissionsController {
  constructor(private readonly permissions: ApiPermissionsService) {}

  @Get()
  list(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Query('done') done?: string): Promise<WebReply> {
    return this.page(lang, principal, tenant, { notice: doneNotice(lang, done, notices) });
  }

  @Post()
  async grant(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Body() body: unknown): Promise<WebReply> {
    try {
      const form = validForm(permissionGrantFormSchema, body);
      const id = await this.permissions.grant(principal, tenant, form.consumerServiceId, form.offerId);
      if (json) return WebReply.json({ id }, 201).header('location', `/admin/permissions/${id}`);
      return WebReply.seeOther('/admin/permissions?done=granted');
    } catch (error) {
      // A consumer service of another tenant stays a 404 page (AdminPageFilter), as on every route.
      if (!(error instanceof DomainException) || json || error.code === 'service_not_found') throw error;
      return this.page(lang, principal, tenant, { error, values: submitted(body) }, statusFor(error.reason));
    }
  }

  @Post(':permissionId/delete')
  async revoke(@Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('permissionId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<WebReply> {
    await this.permissions.revoke(principal, tenant, id);
    return WebReply.seeOther('/admin/permissions?done=revoked');
  }

  private async page(lang: Lang, principal: AdminPrincipal, tenant: TenantRef, extra: Pick<Parameters<typeof permissionsPage>[0], 'notice' | 'error' | 'values'>, status = 200): Promise<WebReply> {
    const [permissions, { consumers, offers }] = await Promise.all([this.permissions.list(tenant), this.permissions.choices(tenant)]);
    return adminReply(permissionsPage({ lang, principal, permissions, consumers, offers, ...extra }), status);
  }
}
