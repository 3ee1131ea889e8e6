import { Body, Controller, Get, Param, Post, Query, UseFilters } from '@nestjs/common';
import { AjvBodyPipe, DomainException, statusFor } from '@tsunagu/common';
import { adminAccountCreateFormSchema, type AdminActionForm, adminActionFormSchema, tenantCreateFormSchema, tenantUpdateFormSchema } from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import { AdminException } from '../../../platform/access/admin.exception';
import { AdminAccountsService, type IssuedCredentials } from '../../auth/admin-accounts.service';
import { type AdminPrincipal, Principal } from '../../../platform/access/admin-principal';
import { resetConfirmPage } from '../../auth/admin-auth.views';
import { qrSvg } from '../../auth/qr';
import { submitted, validForm } from '../../web/admin-forms';
import { AdminPageFilter } from '../../web/admin-errors';
import { adminReply, doneNotice, name } from '../../web/admin.layout';
import { ConfirmedAction, type ConfirmedActionForm } from '../../web/confirm';
import type { TenantRow } from '../../../tenancy/tenants/tenants.repository';
import { SystemTenantsService } from './system-tenants.service';
import { type AddAdminAttempt, deactivateConfirmPage, systemAdminsPage, tenantFormPage, tenantPage, tenantsPage } from './system-tenants.views';
import { tenantText } from './tenants.messages';

/** The account actions posted in one click (each can be undone); reissuing credentials has its own, confirmed route. */
type AccountVerb = 'unlock' | 'deactivate' | 'activate';

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
  async create(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @WantsJson() json: boolean, @Body() body: unknown): Promise<WebReply> {
    try {
      const tenant = await this.tenants.create(principal, validForm(tenantCreateFormSchema, body));
      return WebReply.seeOther(`/system/tenants/${tenant.id}?done=created`);
    } catch (error) {
      if (!(error instanceof DomainException) || json) throw error;
      return adminReply(tenantFormPage({ lang, principal, values: submitted(body), error }), statusFor(error.reason));
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
  async update(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @WantsJson() json: boolean, @Param('tenantId') id: string, @Body() body: unknown): Promise<WebReply> {
    try {
      await this.tenants.update(principal, id, validForm(tenantUpdateFormSchema, body));
      return WebReply.seeOther(`/system/tenants/${id}?done=saved`);
    } catch (error) {
      if (!(error instanceof DomainException) || json || error.code === 'tenant_not_found') throw error;
      return adminReply(tenantFormPage({ lang, principal, tenant: await this.tenants.get(id), values: submitted(body), error }), statusFor(error.reason));
    }
  }

  /** The confirmation step of deactivating (its admins are locked out until it is reactivated). */
  @Get('tenants/:tenantId/deactivate')
  async deactivateForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Param('tenantId') id: string): Promise<WebReply> {
    const { tenant, services } = await this.tenants.deactivation(id);
    const admins = (await this.accounts.listForTenant(tenant.id)).filter((a) => a.active).length;
    return adminReply(deactivateConfirmPage({ lang, principal, tenant, services, admins }));
  }

  @Post('tenants/:tenantId/deactivate')
  async deactivate(@Principal() principal: AdminPrincipal, @Param('tenantId') id: string, @Body(new ConfirmedAction('deactivate')) _form: ConfirmedActionForm): Promise<WebReply> {
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
  async addAdmin(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @WantsJson() json: boolean, @Param('tenantId') id: string, @Body() body: unknown): Promise<WebReply> {
    const tenant = await this.tenants.getOpen(id);
    try {
      const form = validForm(adminAccountCreateFormSchema, body);
      const issued = await this.accounts.create({ tenantId: tenant.id, loginId: form.loginId, displayName: form.displayName }, { kind: 'admin', id: principal.adminId });
      return this.issuedOnTenant(lang, principal, tenant, issued, 201);
    } catch (error) {
      if (!(error instanceof DomainException) || json) throw error;
      return this.onTenant(lang, principal, tenant, { attempt: { error, values: submitted(body) } }, statusFor(error.reason));
    }
  }

  /** The confirmation step of reissuing a tenant admin's password and authenticator. */
  @Get('tenants/:tenantId/admins/:adminId/reset')
  async tenantAdminResetForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Param('tenantId') id: string, @Param('adminId') adminId: string): Promise<WebReply> {
    const tenant = await this.tenants.get(id);
    const account = await this.accounts.get(tenant.id, adminId);
    const base = `/system/tenants/${tenant.id}`;
    return adminReply(resetConfirmPage({ lang, principal, account, base: `${base}/admins`, cancel: base, section: 'tenants', tenantName: name(lang, tenant.name_ja, tenant.name_en) }));
  }

  @Post('tenants/:tenantId/admins/:adminId/reset')
  async tenantAdminReset(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Param('tenantId') id: string, @Param('adminId') adminId: string, @Body(new ConfirmedAction('reset')) _form: ConfirmedActionForm): Promise<WebReply> {
    const tenant = await this.tenants.getOpen(id);
    return this.issuedOnTenant(lang, principal, tenant, await this.accounts.resetCredentials(principal, tenant.id, adminId), 200);
  }

  @Post('tenants/:tenantId/admins/:adminId/:verb')
  async tenantAdmin(@Principal() principal: AdminPrincipal, @Param('tenantId') id: string, @Param('adminId') adminId: string, @Param('verb') verb: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<WebReply> {
    const tenant = await this.tenants.getOpen(id);
    await this.accountAction(principal, tenant.id, adminId, verb);
    return WebReply.seeOther(`/system/tenants/${tenant.id}?done=admin`);
  }

  @Get('admins')
  async systemAdmins(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Query('done') done?: string): Promise<WebReply> {
    return adminReply(systemAdminsPage({ lang, principal, admins: await this.accounts.listSystem(), notice: doneNotice(lang, done, notices) }));
  }

  @Post('admins')
  async addSystemAdmin(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @WantsJson() json: boolean, @Body() body: unknown): Promise<WebReply> {
    try {
      const form = validForm(adminAccountCreateFormSchema, body);
      const issued = await this.accounts.create({ tenantId: null, loginId: form.loginId, displayName: form.displayName }, { kind: 'admin', id: principal.adminId });
      return this.issuedOnSystem(lang, principal, issued, 201);
    } catch (error) {
      if (!(error instanceof DomainException) || json) throw error;
      const attempt: AddAdminAttempt = { error, values: submitted(body) };
      return adminReply(systemAdminsPage({ lang, principal, admins: await this.accounts.listSystem(), attempt }), statusFor(error.reason));
    }
  }

  /** The confirmation step of reissuing a system admin's password and authenticator. */
  @Get('admins/:adminId/reset')
  async systemAdminResetForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Param('adminId') adminId: string): Promise<WebReply> {
    const account = await this.accounts.get(null, adminId);
    return adminReply(resetConfirmPage({ lang, principal, account, base: '/system/admins', cancel: '/system/admins', section: 'system-admins' }));
  }

  @Post('admins/:adminId/reset')
  async systemAdminReset(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Param('adminId') adminId: string, @Body(new ConfirmedAction('reset')) _form: ConfirmedActionForm): Promise<WebReply> {
    return this.issuedOnSystem(lang, principal, await this.accounts.resetCredentials(principal, null, adminId), 200);
  }

  @Post('admins/:adminId/:verb')
  async systemAdmin(@Principal() principal: AdminPrincipal, @Param('adminId') adminId: string, @Param('verb') verb: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<WebReply> {
    await this.accountAction(principal, null, adminId, verb);
    return WebReply.seeOther('/system/admins?done=admin');
  }

  // New credentials are shown in this reply only (never stored in clear, never in a redirect).
  private async issuedOnTenant(lang: Lang, principal: AdminPrincipal, tenant: TenantRow, issued: IssuedCredentials, status: number): Promise<WebReply> {
    return this.onTenant(lang, principal, tenant, { issued, qrSvg: await qrSvg(issued.otpauthUri) }, status);
  }

  private async onTenant(lang: Lang, principal: AdminPrincipal, tenant: TenantRow, extra: { issued?: IssuedCredentials; qrSvg?: string; attempt?: AddAdminAttempt }, status: number): Promise<WebReply> {
    return adminReply(tenantPage({ lang, principal, tenant, admins: await this.accounts.listForTenant(tenant.id), ...extra }), status);
  }

  private async issuedOnSystem(lang: Lang, principal: AdminPrincipal, issued: IssuedCredentials, status: number): Promise<WebReply> {
    return adminReply(systemAdminsPage({ lang, principal, admins: await this.accounts.listSystem(), issued, qrSvg: await qrSvg(issued.otpauthUri) }), status);
  }

  private async accountAction(principal: AdminPrincipal, tenantId: string | null, adminId: string, verb: string): Promise<void> {
    switch (verb as AccountVerb) {
      case 'unlock': return this.accounts.unlock(principal, tenantId, adminId);
      case 'deactivate': return this.accounts.setActive(principal, tenantId, adminId, false);
      case 'activate': return this.accounts.setActive(principal, tenantId, adminId, true);
      default: throw new AdminException('admin_not_found', tenantText.unknownAction);
    }
  }
}
