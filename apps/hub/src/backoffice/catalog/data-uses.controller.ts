import { Body, Controller, Get, Param, Post, Query, UseFilters } from '@nestjs/common';
import type { JSONSchemaType } from 'ajv';
import { DomainException, statusFor } from '@tsunagu/common';
import { type DataUseForm, dataUseCreateFormSchema, dataUseUpdateFormSchema } from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import { type AdminPrincipal, Principal, Tenant, type TenantRef } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
import { validForm } from '../web/admin-forms';
import { adminReply, doneNotice } from '../web/admin.layout';
import { ConfirmedAction, type ConfirmedActionForm } from '../web/confirm';
import { DataUsesAdminService } from './data-uses-admin.service';
import { dataUseText } from './data-uses.messages';
import {
  changedNotice, dataUseFormPage, dataUsePage, dataUsesPage, retireDataUsePage, retiredNotice, submittedDataUse,
} from './data-uses.views';

const createSchema = dataUseCreateFormSchema as unknown as JSONSchemaType<DataUseForm>;
const updateSchema = dataUseUpdateFormSchema as unknown as JSONSchemaType<DataUseForm>;
const notices = { created: dataUseText.created };

/**
 * データ利用: the data uses of the tenant's services (ARCHITECTURE.md §4) — list, write, change
 * (a new revision), retire — as pages, or JSON when asked for. Thin: the rules are in
 * DataUsesService and CatalogChangesService (through DataUsesAdminService, which names data uses
 * by ID). A refused form is shown again with its typed error and what was typed.
 */
@Controller('admin/data-uses')
@UseFilters(AdminPageFilter)
export class DataUsesController {
  constructor(private readonly uses: DataUsesAdminService) {}

  @Get()
  async list(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean): Promise<WebReply> {
    const { uses, agreements } = await this.uses.list(tenant.id);
    if (json) return WebReply.json({ dataUses: uses.map((u) => ({ ...u, agreements: agreements.filter((a) => a.data_use_id === u.id).map((a) => ({ id: a.id, providerTenantId: a.provider_tenant_id, state: a.state })) })) }).noStore();
    return adminReply(dataUsesPage({ lang, principal, uses, agreements }));
  }

  @Get('new')
  async newForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean): Promise<WebReply> {
    const choices = await this.uses.choices(tenant.id);
    if (json) return WebReply.json(choices).noStore();
    return adminReply(dataUseFormPage({ lang, principal, choices }));
  }

  @Post()
  async create(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Body() body: unknown): Promise<WebReply> {
    try {
      const created = await this.uses.create(principal, tenant.id, validForm(createSchema, body));
      if (json) return WebReply.json(created, 201).noStore().header('location', `/admin/data-uses/${created.id}`);
      return WebReply.seeOther(`/admin/data-uses/${created.id}?done=created`);
    } catch (error) {
      if (!(error instanceof DomainException) || json) throw error;
      const choices = await this.uses.choices(tenant.id);
      return adminReply(dataUseFormPage({ lang, principal, choices, values: submittedDataUse(body), error }), statusFor(error.reason));
    }
  }

  @Get(':dataUseId')
  async show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('dataUseId') id: string, @Query('done') done?: string): Promise<WebReply> {
    const detail = await this.uses.detail(tenant.id, id);
    if (json) return WebReply.json({ ...detail, names: Object.fromEntries(detail.names) }).noStore();
    return adminReply(dataUsePage({ lang, principal, detail, notice: doneNotice(lang, done, notices) }));
  }

  @Get(':dataUseId/edit')
  async editForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('dataUseId') id: string): Promise<WebReply> {
    const [detail, choices] = await Promise.all([this.uses.detail(tenant.id, id), this.uses.choices(tenant.id)]);
    if (detail.summary.status === 'retired') return adminReply(dataUsePage({ lang, principal, detail }), 409);
    return adminReply(dataUseFormPage({ lang, principal, choices, detail }));
  }

  /** A change of the terms: a new revision; the answer says how many consents were paused and who must approve again. */
  @Post(':dataUseId')
  async change(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('dataUseId') id: string, @Body() body: unknown): Promise<WebReply> {
    try {
      const change = await this.uses.change(principal, tenant.id, id, validForm(updateSchema, body));
      if (json) return WebReply.json({ id, ...change }).noStore();
      const detail = await this.uses.detail(tenant.id, id);
      return adminReply(dataUsePage({ lang, principal, detail, notice: changedNotice(lang, change, detail, change.revised) }));
    } catch (error) {
      if (!(error instanceof DomainException) || json || error.code === 'data_use_not_found' || error.code === 'data_use_retired') throw error;
      const [detail, choices] = await Promise.all([this.uses.detail(tenant.id, id), this.uses.choices(tenant.id)]);
      return adminReply(dataUseFormPage({ lang, principal, choices, detail, values: submittedDataUse(body), error }), statusFor(error.reason));
    }
  }

  /** The confirmation step of retiring (what ends; a reason is required). */
  @Get(':dataUseId/retire')
  async retireForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('dataUseId') id: string): Promise<WebReply> {
    return adminReply(retireDataUsePage({ lang, principal, detail: await this.uses.detail(tenant.id, id) }));
  }

  @Post(':dataUseId/retire')
  async retire(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('dataUseId') id: string, @Body(new ConfirmedAction('retire')) form: ConfirmedActionForm): Promise<WebReply> {
    try {
      const retired = await this.uses.retire(principal, tenant.id, id, form.reason);
      if (json) return WebReply.json({ id, ended: retired.ended, enforcement: retired.enforcement }).noStore();
      return adminReply(dataUsePage({ lang, principal, detail: await this.uses.detail(tenant.id, id), notice: retiredNotice(lang, retired.ended, retired.enforcement) }));
    } catch (error) {
      if (!(error instanceof DomainException) || json || error.code !== 'reason_required') throw error;
      return adminReply(retireDataUsePage({ lang, principal, detail: await this.uses.detail(tenant.id, id), error: error.bilingual[lang] }), statusFor(error.reason));
    }
  }
}
