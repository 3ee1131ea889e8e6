import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { AjvBodyPipe, DomainException, statusFor } from '@tsunagu/common';
import {
  type AdminAccountCreateForm, adminAccountCreateFormSchema, type AdminActionForm, adminActionFormSchema, type TenantCreateForm, tenantCreateFormSchema,
  type TenantUpdateForm, tenantUpdateFormSchema,
} from '@tsunagu/contracts';
import { type Lang, pickLang } from '@tsunagu/web';
import { AdminException } from '../../../platform/access/admin.exception';
import { AdminAccountsService } from '../../auth/admin-accounts.service';
import { type AdminRequest, principalOf } from '../../../platform/access/admin-principal';
import { qrSvg } from '../../auth/qr';
import { AdminPageFilter, sendAdminError } from '../../web/admin-errors';
import { sendPage, wantsJson } from '../../web/admin.layout';
import { SystemTenantsService } from './system-tenants.service';
import { noticeFor, systemAdminsPage, tenantFormPage, tenantPage, tenantsPage } from './system-tenants.views';

type AccountVerb = 'unlock' | 'reset' | 'deactivate' | 'activate';

function formError(error: DomainException, lang: Lang) {
  return { code: error.code, message: error.bilingual[lang], details: error.details };
}

/** The system admin's tenant screens: list, create, change, (de)activate, view as, and each tenant's admins. */
@Controller('system')
@UseFilters(AdminPageFilter)
export class SystemTenantsController {
  constructor(private readonly tenants: SystemTenantsService, private readonly accounts: AdminAccountsService) {}

  @Get()
  home(@Res() res: Response): void {
    res.redirect(303, '/system/tenants');
  }

  @Get('tenants')
  async list(@Req() req: AdminRequest, @Res() res: Response, @Query('done') done?: string): Promise<void> {
    const lang = pickLang(req);
    sendPage(res, tenantsPage({ lang, principal: principalOf(req), tenants: await this.tenants.list(), notice: noticeFor(lang, done) }));
  }

  @Get('tenants/new')
  newForm(@Req() req: AdminRequest, @Res() res: Response): void {
    sendPage(res, tenantFormPage({ lang: pickLang(req), principal: principalOf(req) }));
  }

  @Post('tenants')
  async create(@Req() req: AdminRequest, @Res() res: Response, @Body(new AjvBodyPipe(tenantCreateFormSchema)) form: TenantCreateForm): Promise<void> {
    const principal = principalOf(req);
    try {
      const tenant = await this.tenants.create(principal, form);
      res.redirect(303, `/system/tenants/${tenant.id}?done=created`);
    } catch (error) {
      if (!(error instanceof DomainException) || wantsJson(req)) return sendAdminError(req, res, error);
      const lang = pickLang(req);
      sendPage(res, tenantFormPage({ lang, principal, values: { ...form }, error: formError(error, lang) }), statusFor(error.reason));
    }
  }

  @Get('tenants/:tenantId')
  async show(@Req() req: AdminRequest, @Res() res: Response, @Param('tenantId') id: string, @Query('done') done?: string): Promise<void> {
    const lang = pickLang(req);
    const tenant = await this.tenants.get(id);
    sendPage(res, tenantPage({ lang, principal: principalOf(req), tenant, admins: await this.accounts.listForTenant(tenant.id), notice: noticeFor(lang, done) }));
  }

  @Get('tenants/:tenantId/edit')
  async editForm(@Req() req: AdminRequest, @Res() res: Response, @Param('tenantId') id: string): Promise<void> {
    sendPage(res, tenantFormPage({ lang: pickLang(req), principal: principalOf(req), tenant: await this.tenants.get(id) }));
  }

  @Post('tenants/:tenantId')
  async update(@Req() req: AdminRequest, @Res() res: Response, @Param('tenantId') id: string, @Body(new AjvBodyPipe(tenantUpdateFormSchema)) form: TenantUpdateForm): Promise<void> {
    const principal = principalOf(req);
    try {
      await this.tenants.update(principal, id, form);
      res.redirect(303, `/system/tenants/${id}?done=saved`);
    } catch (error) {
      if (!(error instanceof DomainException) || wantsJson(req) || error.code === 'tenant_not_found') return sendAdminError(req, res, error);
      const lang = pickLang(req);
      sendPage(res, tenantFormPage({ lang, principal, tenant: await this.tenants.get(id), values: { ...form }, error: formError(error, lang) }), statusFor(error.reason));
    }
  }

  @Post('tenants/:tenantId/deactivate')
  async deactivate(@Req() req: AdminRequest, @Res() res: Response, @Param('tenantId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<void> {
    await this.tenants.setActive(principalOf(req), id, false);
    res.redirect(303, `/system/tenants/${id}?done=deactivated`);
  }

  @Post('tenants/:tenantId/activate')
  async activate(@Req() req: AdminRequest, @Res() res: Response, @Param('tenantId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<void> {
    await this.tenants.setActive(principalOf(req), id, true);
    res.redirect(303, `/system/tenants/${id}?done=activated`);
  }

  /** Opens the tenant screens (/admin) on this tenant for the signed-in system admin. */
  @Post('tenants/:tenantId/act')
  async act(@Req() req: AdminRequest, @Res() res: Response, @Param('tenantId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<void> {
    await this.tenants.act(principalOf(req), id);
    res.redirect(303, '/admin');
  }

  @Post('act/end')
  async endActing(@Req() req: AdminRequest, @Res() res: Response, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<void> {
    await this.tenants.endActing(principalOf(req));
    res.redirect(303, '/system/tenants');
  }

  @Post('tenants/:tenantId/admins')
  async addAdmin(@Req() req: AdminRequest, @Res() res: Response, @Param('tenantId') id: string, @Body(new AjvBodyPipe(adminAccountCreateFormSchema)) form: AdminAccountCreateForm): Promise<void> {
    const principal = principalOf(req);
    const tenant = await this.tenants.get(id);
    const issued = await this.accounts.create({ tenantId: tenant.id, loginId: form.loginId, displayName: form.displayName }, { kind: 'admin', id: principal.adminId });
    // The credentials are shown in this response only (never stored in clear, never in a redirect).
    sendPage(res, tenantPage({ lang: pickLang(req), principal, tenant, admins: await this.accounts.listForTenant(tenant.id), issued, qrSvg: await qrSvg(issued.otpauthUri) }), 201);
  }

  @Post('tenants/:tenantId/admins/:adminId/:verb')
  async tenantAdmin(@Req() req: AdminRequest, @Res() res: Response, @Param('tenantId') id: string, @Param('adminId') adminId: string, @Param('verb') verb: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<void> {
    const principal = principalOf(req);
    const tenant = await this.tenants.get(id);
    const issued = await this.accountAction(principal, tenant.id, adminId, verb);
    if (!issued) return res.redirect(303, `/system/tenants/${tenant.id}?done=admin`);
    sendPage(res, tenantPage({ lang: pickLang(req), principal, tenant, admins: await this.accounts.listForTenant(tenant.id), issued, qrSvg: await qrSvg(issued.otpauthUri) }));
  }

  @Get('admins')
  async systemAdmins(@Req() req: AdminRequest, @Res() res: Response, @Query('done') done?: string): Promise<void> {
    const lang = pickLang(req);
    sendPage(res, systemAdminsPage({ lang, principal: principalOf(req), admins: await this.accounts.listSystem(), notice: noticeFor(lang, done) }));
  }

  @Post('admins')
  async addSystemAdmin(@Req() req: AdminRequest, @Res() res: Response, @Body(new AjvBodyPipe(adminAccountCreateFormSchema)) form: AdminAccountCreateForm): Promise<void> {
    const principal = principalOf(req);
    const issued = await this.accounts.create({ tenantId: null, loginId: form.loginId, displayName: form.displayName }, { kind: 'admin', id: principal.adminId });
    sendPage(res, systemAdminsPage({ lang: pickLang(req), principal, admins: await this.accounts.listSystem(), issued, qrSvg: await qrSvg(issued.otpauthUri) }), 201);
  }

  @Post('admins/:adminId/:verb')
  async systemAdmin(@Req() req: AdminRequest, @Res() res: Response, @Param('adminId') adminId: string, @Param('verb') verb: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<void> {
    const principal = principalOf(req);
    const issued = await this.accountAction(principal, null, adminId, verb);
    if (!issued) return res.redirect(303, '/system/admins?done=admin');
    sendPage(res, systemAdminsPage({ lang: pickLang(req), principal, admins: await this.accounts.listSystem(), issued, qrSvg: await qrSvg(issued.otpauthUri) }));
  }

  private async accountAction(principal: ReturnType<typeof principalOf>, tenantId: string | null, adminId: string, verb: string) {
    switch (verb as AccountVerb) {
      case 'unlock': await this.accounts.unlock(principal, tenantId, adminId); return undefined;
      case 'deactivate': await this.accounts.setActive(principal, tenantId, adminId, false); return undefined;
      case 'activate': await this.accounts.setActive(principal, tenantId, adminId, true); return undefined;
      case 'reset': return this.accounts.resetCredentials(principal, tenantId, adminId);
      default: throw new AdminException('admin_not_found', { ja: '見つかりません。', en: 'Not found.' });
    }
  }
}
