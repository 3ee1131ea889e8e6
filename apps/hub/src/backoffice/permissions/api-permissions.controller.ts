import { Body, Controller, Get, Param, Post, Query, UseFilters } from '@nestjs/common';
import { AjvBodyPipe } from '@tsunagu/common';
import { type AdminActionForm, adminActionFormSchema, type PermissionGrantForm, permissionGrantFormSchema } from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import { type AdminPrincipal, Principal, Tenant, type TenantRef } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
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
  async list(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Query('done') done?: string): Promise<WebReply> {
    const [permissions, { consumers, offers }] = await Promise.all([this.permissions.list(tenant), this.permissions.choices(tenant)]);
    return adminReply(permissionsPage({ lang, principal, permissions, consumers, offers, notice: doneNotice(lang, done, notices) }));
  }

  @Post()
  async grant(@Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Body(new AjvBodyPipe(permissionGrantFormSchema)) form: PermissionGrantForm): Promise<WebReply> {
    const id = await this.permissions.grant(principal, tenant, form.consumerServiceId, form.offerId);
    if (json) return WebReply.json({ id }, 201).header('location', `/admin/permissions/${id}`);
    return WebReply.seeOther('/admin/permissions?done=granted');
  }

  @Post(':permissionId/delete')
  async revoke(@Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('permissionId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<WebReply> {
    await this.permissions.revoke(principal, tenant, id);
    return WebReply.seeOther('/admin/permissions?done=revoked');
  }
}
