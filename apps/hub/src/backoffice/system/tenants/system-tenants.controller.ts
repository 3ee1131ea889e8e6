import { Body, Controller, Get, Param, Post, Query, UseFilters } from '@nestjs/common';
import { AjvBodyPipe, DomainException, statusFor } from '@tsunagu/common';
import {
  type AdminAccountCreateForm, adminAccountCreateFormSchema, type AdminActionForm, adminActionFormSchema, type TenantCreateForm, tenantCreateFormSchema,
  type TenantUpdateForm, tenantUpdateFormSchema,
} from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import { AdminException } from '../../../platform/access/admin.exception';
import { AdminAccountsService, type IssuedCredentials } from '../../auth/admin-accounts.service';
import { type AdminPrincipal, Principal } from '../../../platform/access/admin-principal';
import { qrSvg } from '../../auth/qr';
import { AdminPageFilter } from '../../web/admin-errors';
import { adminReply, doneNotice, formError } from '../../web/admin.layout';
import type { TenantRow } from '../../../tenancy/tenants/tenants.repository';
import { SystemTenantsService } from './system-tenants.service';
import { systemAdminsPage, tenantFormPage, tenantPage, tenantsPage } from './system-tenants.views';
import { tenantText } from './tenants.messages';

type AccountVerb = 'unlock' | 'reset' | 'deactivate' | 'activate';

const notices = { created: tenantText.created, saved: tenantText.saved, deactivated: tenantText.deactivated, activated: tenantText.activated, admin: tenantText.adminDone };

/**
 * The system admin's tenant screens: list, create, change, (de)activate, view as, and each
 * tenant's admins. Errors a handler does not answer itself go to AdminPageFilter.
 */
@Controller('system')
@UseFilters(AdminPageFilter)
export class SystemTenantsController {
  constructor(private readonly tenants: SystemTenantsService, private readonly accounts: AdminAccountsService) {}

  @Get()
  home(): WebReply {
    return WebReply.seeOther('/system/tenants');
  }

  @Get('tenants')
  async list(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Query('done') done?: string): Promise<WebReply> {
    return adminReply(tenantsPage({ lang, principal, tenants: await this.tenants.list(), notice: doneNotice(lang, done, notices) }));
  }

  @Get('tenants/new')
  newForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal): WebReply {
    return adminReply(tenantFormPage({ lang, principal }));
  }

  @Post('tenants')
  async create(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @WantsJson() json: boolean, @Body(new AjvBodyPipe(tenantCreateFormSchema)) form: TenantCreateForm): Promise<WebReply> {
    try {
      const tenant = await this.tenants.create(principal, form);
      return WebReply.seeOther(`/system/tenants/${tenant.id}?done=created`);
    } catch (error) {
      if (!(error instanceof DomainException) || json) throw error;
      return adminReply(tenantFormPage({ lang, principal, values: { ...form }, error: formError(error, lang) }), statusFor(error.reason));
    }
  }

  @Get('tenants/:tenantId')
  async show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Param('tenantId') id: string, @Query('done') done?: string): Promise<WebReply> {
    const tenant = await this.tenants.get(id);
    return adminReply(tenantPage({ lang, principal, tenant, admins: await this.accounts.listForTenant(tenant.id), notice: doneNotice(lang, done, notices) }));
  }

  @Get('tenants/:tenantId/edit')
  async editForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Param('tenantId') id: string): Promise<WebReply> {
    return adminReply(tenantFormPage({ lang, principal, tenant: await this.tenants.get(id) }));
  }

  @Post('tenants/:tenantId')
  async update(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @WantsJson() json: boolean, @Param('tenantId') id: string, @Body(new AjvBodyPipe(tenantUpdateFormSchema)) form: TenantUpdateForm): Promise<WebReply> {
    try {
      await this.tenants.update(principal, id, form);
      return WebReply.seeOther(`/system/tenants/${id}?done=saved`);
    } catch (error) {
      if (!(error instanceof DomainException) || json || error.code === 'tenant_not_found') throw error;
      return adminReply(tenantFormPage({ lang, principal, tenant: await this.tenants.get(id), values: { ...form }, error: formError(error, lang) }), statusFor(error.reason));
    }
  }

  @Post('tenants/:tenantId/deactivate')
  async deactivate(@Principal() principal: AdminPrincipal, @Param('tenantId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<WebReply> {
    await this.tenants.setActive(principal, id, false);
    return WebReply.seeOther(`/system/tenants/${id}?done=deactivated`);
  }

  @Post('tenants/:tenantId/activate')
  async activate(@Principal() principal: AdminPrincipal, @Param('tenantId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<WebReply> {
    await this.tenants.setActive(principal, id, true);
    return WebReply.seeOther(`/system/tenants/${id}?done=activated`);
  }

  /** Opens the tenant screens (/admin) on this tenant for the signed-in system admin. */
  @Post('tenants/:tenantId/act')
  async act(@Principal() principal: AdminPrincipal, @Param('tenantId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<WebReply> {
    await this.tenants.act(principal, id);
    return WebReply.seeOther('/admin');
  }

  @Post('act/end')
  async endActing(@Principal() principal: AdminPrincipal, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<WebReply> {
    await this.tenants.endActing(principal);
    return WebReply.seeOther('/system/tenants');
  }

  @Post('tenants/:tenantId/admins')
  async addAdmin(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Param('tenantId') id: string, @Body(new AjvBodyPipe(adminAccountCreateFormSchema)) form: AdminAccountCreateForm): Promise<WebReply> {
    const tenant = await this.tenants.get(id);
    const issued = await this.accounts.create({ tenantId: tenant.id, loginId: form.loginId, displayName: form.displayName }, { kind: 'admin', id: principal.adminId });
    return this.issuedOnTenant(lang, principal, tenant, issued, 201);
  }

  @Post('tenants/:tenantId/admins/:adminId/:verb')
  async tenantAdmin(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Param('tenantId') id: string, @Param('adminId') adminId: string, @Param('verb') verb: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<WebReply> {
    const tenant = await this.tenants.get(id);
    const issued = await this.accountAction(principal, tenant.id, adminId, verb);
    if (!issued) return WebReply.seeOther(`/system/tenants/${tenant.id}?done=admin`);
    return this.issuedOnTenant(lang, principal, tenant, issued, 200);
  }

  @Get('admins')
  async systemAdmins(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Query('done') done?: string): Promise<WebReply> {
    return adminReply(systemAdminsPage({ lang, principal, admins: await this.accounts.listSystem(), notice: doneNotice(lang, done, notices) }));
  }

  @Post('admins')
  async addSystemAdmin(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Body(new AjvBodyPipe(adminAccountCreateFormSchema)) form: AdminAccountCreateForm): Promise<WebReply> {
    const issued = await this.accounts.create({ tenantId: null, loginId: form.loginId, displayName: form.displayName }, { kind: 'admin', id: principal.adminId });
    return this.issuedOnSystem(lang, principal, issued, 201);
  }

  @Post('admins/:adminId/:verb')
  async systemAdmin(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Param('adminId') adminId: string, @Param('verb') verb: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<WebReply> {
    const issued = await this.accountAction(principal, null, adminId, verb);
    if (!issued) return WebReply.seeOther('/system/admins?done=admin');
    return this.issuedOnSystem(lang, principal, issued, 200);
  }

  // New credentials are shown in this reply only (never stored in clear, never in a redirect).
  private async issuedOnTenant(lang: Lang, principal: AdminPrincipal, tenant: TenantRow, issued: IssuedCredentials, status: number): Promise<WebReply> {
    return adminReply(tenantPage({ lang, principal, tenant, admins: await this.accounts.listForTenant(tenant.id), issued, qrSvg: await qrSvg(issued.otpauthUri) }), status);
  }

  private async issuedOnSystem(lang: Lang, principal: AdminPrincipal, issued: IssuedCredentials, status: number): Promise<WebReply> {
    return adminReply(systemAdminsPage({ lang, principal, admins: await this.accounts.listSystem(), issued, qrSvg: await qrSvg(issued.otpauthUri) }), status);
  }

  private async accountAction(principal: AdminPrincipal, tenantId: string | null, adminId: string, verb: string): Promise<IssuedCredentials | undefined> {
    switch (verb as AccountVerb) {
      case 'unlock': await this.accounts.unlock(principal, tenantId, adminId); return undefined;
      case 'deactivate': await this.accounts.setActive(principal, tenantId, adminId, false); return undefined;
      case 'activate': await this.accounts.setActive(principal, tenantId, adminId, true); return undefined;
      case 'reset': return this.accounts.resetCredentials(principal, tenantId, adminId);
      default: throw new AdminException('admin_not_found', tenantText.unknownAction);
    }
  }
}
