import { Body, Controller, Get, Param, Post, Query, UseFilters } from '@nestjs/common';
import { AjvBodyPipe, DomainException, statusFor } from '@tsunagu/common';
import { type AgreementDecisionForm, agreementDecisionFormSchema } from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import type { AgreementDecision } from '../../catalog/agreements.service';
import { type AdminPrincipal, Principal, Tenant, type TenantRef } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
import { adminReply, doneNotice } from '../web/admin.layout';
import { ConfirmedAction, type ConfirmedActionForm } from '../web/confirm';
import { AgreementsAdminService } from './agreements-admin.service';
import { agreementText } from './agreements.messages';
import { agreementPage, agreementsPage, decidedNotice, retireAgreementPage } from './agreements.views';

const notices = { approved: agreementText.approved, rejected: agreementText.rejected, resumed: agreementText.resumed };
const decisionForm = new AjvBodyPipe<AgreementDecisionForm>(agreementDecisionFormSchema);

/**
 * 利用申請: the agreements of the tenant (ARCHITECTURE.md §4; spec 2-3(2)カ) — the requests it
 * decides on as a provider, and those its data uses made to others — as pages, or JSON when
 * asked for. Only the provider decides: the consumer's tenant sees no buttons, and its post is a
 * 404 (AgreementsService answers agreement_not_found). Thin: the rules are in AgreementsService
 * and CatalogChangesService (suspend pauses consents, retire ends them).
 */
@Controller('admin/agreements')
@UseFilters(AdminPageFilter)
export class AgreementsController {
  constructor(private readonly agreements: AgreementsAdminService) {}

  @Get()
  async list(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean): Promise<WebReply> {
    const lists = await this.agreements.lists(tenant.id);
    if (json) return WebReply.json({ incoming: lists.incoming, outgoing: lists.outgoing, names: Object.fromEntries(lists.names) }).noStore();
    return adminReply(agreementsPage({ lang, principal, ...lists }));
  }

  @Get(':agreementId')
  async show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('agreementId') id: string, @Query('done') done?: string): Promise<WebReply> {
    const detail = await this.agreements.detail(tenant.id, id);
    if (json) return WebReply.json({ ...detail, names: Object.fromEntries(detail.names) }).noStore();
    return adminReply(agreementPage({ lang, principal, detail, notice: doneNotice(lang, done, notices) }));
  }

  @Post(':agreementId/approve')
  approve(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('agreementId') id: string, @Body(decisionForm) form: AgreementDecisionForm): Promise<WebReply> {
    return this.decide(lang, principal, tenant, json, id, 'approve', form);
  }

  @Post(':agreementId/reject')
  reject(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('agreementId') id: string, @Body(decisionForm) form: AgreementDecisionForm): Promise<WebReply> {
    return this.decide(lang, principal, tenant, json, id, 'reject', form);
  }

  /** Grants stop at once and residents' consents are paused. */
  @Post(':agreementId/suspend')
  suspend(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('agreementId') id: string, @Body(decisionForm) form: AgreementDecisionForm): Promise<WebReply> {
    return this.decide(lang, principal, tenant, json, id, 'suspend', form);
  }

  @Post(':agreementId/resume')
  resume(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('agreementId') id: string, @Body(decisionForm) form: AgreementDecisionForm): Promise<WebReply> {
    return this.decide(lang, principal, tenant, json, id, 'resume', form);
  }

  /** The confirmation step of retiring (the consumer's tenant reads that only the provider can; its post is a 404). */
  @Get(':agreementId/retire')
  async retireForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('agreementId') id: string): Promise<WebReply> {
    return adminReply(retireAgreementPage({ lang, principal, detail: await this.agreements.detail(tenant.id, id) }));
  }

  @Post(':agreementId/retire')
  async retire(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('agreementId') id: string, @Body(new ConfirmedAction('retire')) form: ConfirmedActionForm): Promise<WebReply> {
    try {
      const decided = await this.agreements.decide(principal, tenant.id, id, 'retire', form.reason);
      if (json) return WebReply.json({ id, state: decided.agreement.state, consentsChanged: decided.consentsChanged, enforcement: decided.enforcement }).noStore();
      return adminReply(agreementPage({ lang, principal, detail: await this.agreements.detail(tenant.id, id), notice: decidedNotice(lang, 'retire', decided.consentsChanged, decided.enforcement) }));
    } catch (error) {
      if (!(error instanceof DomainException) || json || error.code !== 'reason_required') throw error;
      return adminReply(retireAgreementPage({ lang, principal, detail: await this.agreements.detail(tenant.id, id), error: error.bilingual[lang] }), statusFor(error.reason));
    }
  }

  /**
   * One decision. A page answers approve/reject/resume with a redirect to the agreement, and
   * suspend with the agreement's page saying how many consents were paused. A refusal the
   * provider can fix (no reason, a decision the state does not allow) is the page again with the
   * typed error beside the form; another tenant's or the consumer's post stays a 404.
   */
  private async decide(lang: Lang, principal: AdminPrincipal, tenant: TenantRef, json: boolean, id: string, decision: AgreementDecision, form: AgreementDecisionForm): Promise<WebReply> {
    try {
      const decided = await this.agreements.decide(principal, tenant.id, id, decision, form.reason);
      if (json) return WebReply.json({ id, state: decided.agreement.state, consentsChanged: decided.consentsChanged, enforcement: decided.enforcement }).noStore();
      if (decision !== 'suspend') return WebReply.seeOther(`/admin/agreements/${id}?done=${decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'resumed'}`);
      return adminReply(agreementPage({ lang, principal, detail: await this.agreements.detail(tenant.id, id), notice: decidedNotice(lang, decision, decided.consentsChanged, decided.enforcement) }));
    } catch (error) {
      if (!(error instanceof DomainException) || json || error.code === 'agreement_not_found') throw error;
      const failed = { action: decision, code: error.code, message: error.bilingual[lang], reason: form.reason };
      return adminReply(agreementPage({ lang, principal, detail: await this.agreements.detail(tenant.id, id), failed }), statusFor(error.reason));
    }
  }
}
