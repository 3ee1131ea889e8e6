import { Body, Controller, Get, Param, Post, Query, UseFilters } from '@nestjs/common';
import { DomainException, statusFor } from '@tsunagu/common';
import { serviceCreateFormSchema, serviceUpdateFormSchema } from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import { type AdminPrincipal, Principal, Tenant, type TenantRef } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
import { submitted, validForm } from '../web/admin-forms';
import { adminReply, doneNotice } from '../web/admin.layout';
import { ConfirmedAction, type ConfirmedActionForm } from '../web/confirm';
import { AdminServicesService } from './admin-services.service';
import { deleteConfirmPage, rotateConfirmPage, serviceFormPage, servicePage, servicesPage } from './admin-services.views';
import { serviceText } from './services.messages';

const notices = { created: serviceText.created, saved: serviceText.saved, deleted: serviceText.deleted };

/**
 * 登録・参照・変更・削除 of the tenant's services. Thin: the rules are in AdminServicesService.
 * Errors a handler does not answer itself go to AdminPageFilter (a page, or JSON when asked for).
 */
@Controller('admin/services')
@UseFilters(AdminPageFilter)
export class AdminServicesController {
  constructor(private readonly services: AdminServicesService) {}

  @Get()
  async list(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Query('done') flag?: string): Promise<WebReply> {
    return adminReply(servicesPage({ lang, principal, services: await this.services.list(tenant), notice: doneNotice(lang, flag, notices) }));
  }

  @Get('new')
  newForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal): WebReply {
    return adminReply(serviceFormPage({ lang, principal }));
  }

  @Post()
  async create(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Body() body: unknown): Promise<WebReply> {
    try {
      const { service, secret } = await this.services.create(principal, tenant, validForm(serviceCreateFormSchema, body));
      // With a secret, the answer is the page that shows it (once); otherwise the usual redirect.
      if (!secret) return WebReply.seeOther(`/admin/services/${service.id}?done=created`);
      if (json) return WebReply.json({ id: service.id, clientId: service.client_id, clientSecret: secret }, 201).noStore().header('location', `/admin/services/${service.id}`);
      return adminReply(servicePage({ lang, principal, detail: await this.services.detail(tenant, service.id), secret, notice: serviceText.created[lang] }), 201).header('location', `/admin/services/${service.id}`);
    } catch (error) {
      if (!(error instanceof DomainException) || json) throw error;
      return adminReply(serviceFormPage({ lang, principal, values: submitted(body), error }), statusFor(error.reason));
    }
  }

  @Get(':serviceId')
  async show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('serviceId') id: string, @Query('done') flag?: string): Promise<WebReply> {
    return adminReply(servicePage({ lang, principal, detail: await this.services.detail(tenant, id), notice: doneNotice(lang, flag, notices) }));
  }

  @Get(':serviceId/edit')
  async editForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('serviceId') id: string): Promise<WebReply> {
    const { service } = await this.services.detail(tenant, id);
    return adminReply(serviceFormPage({ lang, principal, service }));
  }

  @Post(':serviceId')
  async update(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('serviceId') id: string, @Body() body: unknown): Promise<WebReply> {
    try {
      const { secret } = await this.services.update(principal, tenant, id, validForm(serviceUpdateFormSchema, body));
      if (!secret) return WebReply.seeOther(`/admin/services/${id}?done=saved`);
      if (json) return WebReply.json({ id, clientSecret: secret }).noStore();
      return adminReply(servicePage({ lang, principal, detail: await this.services.detail(tenant, id), secret, notice: serviceText.saved[lang] }));
    } catch (error) {
      if (!(error instanceof DomainException) || json || error.code === 'service_not_found' || error.code === 'service_managed_by_platform') throw error;
      const { service } = await this.services.detail(tenant, id);
      return adminReply(serviceFormPage({ lang, principal, service, values: submitted(body), error }), statusFor(error.reason));
    }
  }

  /** The confirmation step of a new client secret (the current one stops working at once). */
  @Get(':serviceId/secret')
  async rotateForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('serviceId') id: string): Promise<WebReply> {
    return adminReply(rotateConfirmPage({ lang, principal, detail: await this.services.detail(tenant, id) }));
  }

  @Post(':serviceId/secret')
  async rotateSecret(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('serviceId') id: string, @Body(new ConfirmedAction('rotate')) _form: ConfirmedActionForm): Promise<WebReply> {
    const { secret, service } = await this.services.rotateSecret(principal, tenant, id);
    if (json) return WebReply.json({ id, clientId: service.client_id, clientSecret: secret }).noStore();
    return adminReply(servicePage({ lang, principal, detail: await this.services.detail(tenant, id), secret, rotated: true }));
  }

  /** The confirmation step of deleting (what will end, and whether it is possible now). */
  @Get(':serviceId/delete')
  async deleteForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('serviceId') id: string): Promise<WebReply> {
    return adminReply(deleteConfirmPage({ lang, principal, detail: await this.services.deletion(tenant, id) }));
  }

  @Post(':serviceId/delete')
  async delete(@Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('serviceId') id: string, @Body(new ConfirmedAction('delete')) _form: ConfirmedActionForm): Promise<WebReply> {
    await this.services.delete(principal, tenant, id);
    return WebReply.seeOther('/admin/services?done=deleted');
  }
}
