import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { AjvBodyPipe, DomainException, statusFor } from '@tsunagu/common';
import { type AdminActionForm, adminActionFormSchema, type ServiceCreateForm, serviceCreateFormSchema, type ServiceUpdateForm, serviceUpdateFormSchema } from '@tsunagu/contracts';
import { pickLang } from '@tsunagu/web';
import { type AdminRequest, principalOf, tenantOf } from '../../platform/access/admin-principal';
import { AdminPageFilter, sendAdminError } from '../web/admin-errors';
import { sendPage, wantsJson } from '../web/admin.layout';
import { AdminServicesService } from './admin-services.service';
import { deleteConfirmPage, serviceFormPage, servicePage, servicesPage, serviceText } from './admin-services.views';

const done: Record<string, keyof typeof serviceText> = { created: 'created', saved: 'saved', deleted: 'deleted' };

/** 登録・参照・変更・削除 of the tenant's services. Thin: the rules are in AdminServicesService. */
@Controller('admin/services')
@UseFilters(AdminPageFilter)
export class AdminServicesController {
  constructor(private readonly services: AdminServicesService) {}

  @Get()
  async list(@Req() req: AdminRequest, @Res() res: Response, @Query('done') flag?: string): Promise<void> {
    const lang = pickLang(req);
    sendPage(res, servicesPage({ lang, principal: principalOf(req), services: await this.services.list(tenantOf(req)), notice: flag && done[flag] ? serviceText[done[flag]][lang] : undefined }));
  }

  @Get('new')
  newForm(@Req() req: AdminRequest, @Res() res: Response): void {
    sendPage(res, serviceFormPage({ lang: pickLang(req), principal: principalOf(req) }));
  }

  @Post()
  async create(@Req() req: AdminRequest, @Res() res: Response, @Body(new AjvBodyPipe(serviceCreateFormSchema)) form: ServiceCreateForm): Promise<void> {
    const principal = principalOf(req);
    const tenant = tenantOf(req);
    const lang = pickLang(req);
    try {
      const { service, secret } = await this.services.create(principal, tenant, form);
      // With a secret, the answer is the page that shows it (once); otherwise the usual redirect.
      if (!secret) return res.redirect(303, `/admin/services/${service.id}?done=created`);
      res.setHeader('location', `/admin/services/${service.id}`);
      if (wantsJson(req)) return void res.status(201).setHeader('cache-control', 'no-store').json({ id: service.id, clientId: service.client_id, clientSecret: secret });
      sendPage(res, servicePage({ lang, principal, detail: await this.services.detail(tenant, service.id), secret, notice: serviceText.created[lang] }), 201);
    } catch (error) {
      if (!(error instanceof DomainException) || wantsJson(req)) return sendAdminError(req, res, error);
      sendPage(res, serviceFormPage({ lang, principal, values: { ...form }, error: { code: error.code, message: error.bilingual[lang], details: error.details } }), statusFor(error.reason));
    }
  }

  @Get(':serviceId')
  async show(@Req() req: AdminRequest, @Res() res: Response, @Param('serviceId') id: string, @Query('done') flag?: string): Promise<void> {
    const lang = pickLang(req);
    sendPage(res, servicePage({ lang, principal: principalOf(req), detail: await this.services.detail(tenantOf(req), id), notice: flag && done[flag] ? serviceText[done[flag]][lang] : undefined }));
  }

  @Get(':serviceId/edit')
  async editForm(@Req() req: AdminRequest, @Res() res: Response, @Param('serviceId') id: string): Promise<void> {
    const { service } = await this.services.detail(tenantOf(req), id);
    sendPage(res, serviceFormPage({ lang: pickLang(req), principal: principalOf(req), service }));
  }

  @Post(':serviceId')
  async update(@Req() req: AdminRequest, @Res() res: Response, @Param('serviceId') id: string, @Body(new AjvBodyPipe(serviceUpdateFormSchema)) form: ServiceUpdateForm): Promise<void> {
    const principal = principalOf(req);
    const tenant = tenantOf(req);
    const lang = pickLang(req);
    try {
      const { secret } = await this.services.update(principal, tenant, id, form);
      if (!secret) return res.redirect(303, `/admin/services/${id}?done=saved`);
      if (wantsJson(req)) return void res.status(200).setHeader('cache-control', 'no-store').json({ id, clientSecret: secret });
      sendPage(res, servicePage({ lang, principal, detail: await this.services.detail(tenant, id), secret, notice: serviceText.saved[lang] }));
    } catch (error) {
      if (!(error instanceof DomainException) || wantsJson(req) || error.code === 'service_not_found' || error.code === 'service_managed_by_platform') return sendAdminError(req, res, error);
      const { service } = await this.services.detail(tenant, id);
      sendPage(res, serviceFormPage({ lang, principal, service, values: { ...form }, error: { code: error.code, message: error.bilingual[lang], details: error.details } }), statusFor(error.reason));
    }
  }

  @Post(':serviceId/secret')
  async rotateSecret(@Req() req: AdminRequest, @Res() res: Response, @Param('serviceId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<void> {
    const tenant = tenantOf(req);
    const { secret, service } = await this.services.rotateSecret(principalOf(req), tenant, id);
    if (wantsJson(req)) return void res.status(200).setHeader('cache-control', 'no-store').json({ id, clientId: service.client_id, clientSecret: secret });
    sendPage(res, servicePage({ lang: pickLang(req), principal: principalOf(req), detail: await this.services.detail(tenant, id), secret, rotated: true }), 200);
  }

  @Get(':serviceId/delete')
  async deleteForm(@Req() req: AdminRequest, @Res() res: Response, @Param('serviceId') id: string): Promise<void> {
    sendPage(res, deleteConfirmPage({ lang: pickLang(req), principal: principalOf(req), detail: await this.services.detail(tenantOf(req), id) }));
  }

  @Post(':serviceId/delete')
  async delete(@Req() req: AdminRequest, @Res() res: Response, @Param('serviceId') id: string, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<void> {
    await this.services.delete(principalOf(req), tenantOf(req), id);
    res.redirect(303, '/admin/services?done=deleted');
  }
}
