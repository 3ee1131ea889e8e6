import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { AjvBodyPipe } from '@tsunagu/common';
import { type AdminActionForm, adminActionFormSchema, type PermissionGrantForm, permissionGrantFormSchema } from '@tsunagu/contracts';
import { pickLang } from '@tsunagu/web';
import { type AdminRequest, principalOf, tenantOf } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
import { sendPage, wantsJson } from '../web/admin.layout';
import { ApiPermissionsService } from '../../tenancy/permissions/api-permissions.service';
import { permissionsPage } from './api-permissions.views';
import { permissionText } from './permissions.messages';

/** Which consumer services of the tenant may request which offers (default deny). */
@Controller('admin/permissions')
@UseFilters(AdminPageFilter)
export class ApiPermissionsController {
  constructor(private readonly permissions: ApiPermissionsService) {}

  @Get()
  async list(@Req() req: AdminRequest, @Res() res: Response, @Query('done') done?: string): Promise<void> {
    const lang = pickLang(req);
    const tenant = tenantOf(req);
    const [permissions, { consumers, offers }] = await Promise.all([this.permissions.list(tenant), this.permissions.choices(tenant)]);
    const notice = done === 'granted' ? permissionText.granted[lang] : done === 'revoked' ? permissionText.revoked[lang] : undefined;
    sendPage(res, permissionsPage({ lang, principal: principalOf(req), permissions, consumers, offers, notice }));
  }

  @Post()
  async grant(@Req() req: AdminRequest, @Res() res: Response, @Body(new AjvBodyPipe(permissionGrantFormSchema)) form: PermissionGrantForm): Promise<void> {
    const id = await this.permissions.grant(principalOf(req), tenantOf(req), form.consumerServiceId, form.offerId);
    if (wantsJson(req)) return void res.status(201).setHeader('location', `/admin/permissions/${id}`).json({ id });
    res.redirect(303, '/admin/permissions?done=granted');
  }

  @Post(':permissionId/delete')
  async revoke(@Req() req: AdminRequest, @Res() res: Response, @Param('permissionId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<void> {
    await this.permissions.revoke(principalOf(req), tenantOf(req), id);
    res.redirect(303, '/admin/permissions?done=revoked');
  }
}
