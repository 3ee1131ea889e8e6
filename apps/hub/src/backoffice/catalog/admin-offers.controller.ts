import { Body, Controller, Get, Param, type PipeTransform, Post, Query, UseFilters } from '@nestjs/common';
import { assertValid, DomainException, statusFor } from '@tsunagu/common';
import { offerCreateFormSchema, type OfferWithdrawForm, offerWithdrawFormSchema, offerVersionFormSchema } from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import { AdminException } from '../../platform/access/admin.exception';
import { type AdminPrincipal, Principal, Tenant, type TenantRef } from '../../platform/access/admin-principal';
import { AdminPageFilter } from '../web/admin-errors';
import { submitted, validForm } from '../web/admin-forms';
import { adminReply, doneNotice } from '../web/admin.layout';
import { ConfirmationRequired } from '../web/confirm';
import { AdminOffersService } from './admin-offers.service';
import { offerText, outcomeText } from './offers.messages';
import { offerFormPage, offerPage, offersPage, withdrawConfirmPage } from './offers.views';

const notices = { ...outcomeText, activated: offerText.activated, withdrawn: offerText.withdrawn, paused: offerText.withdrawnPaused };
const at = (code: string, done: string) => `/admin/offers/${encodeURIComponent(code)}?done=${done}`;

/**
 * The body of a withdrawal: sent by its confirmation page (`confirm=withdraw`), with a reason
 * (required: residents' consents are paused, and the audit chain says why).
 */
class ConfirmedWithdrawal implements PipeTransform<unknown, OfferWithdrawForm> {
  transform(value: unknown): OfferWithdrawForm {
    const body = (value ?? {}) as Record<string, unknown>;
    if (body.confirm !== 'withdraw') throw new ConfirmationRequired('withdraw');
    if (typeof body.reason !== 'string' || body.reason.trim() === '') throw new AdminException('reason_required', [{ field: 'reason', problem: 'required' }]);
    return assertValid<OfferWithdrawForm>(offerWithdrawFormSchema, body);
  }
}

/**
 * 提供データ: the tenant's data offers — list, detail with every version, add, change (a new
 * draft version), publish a draft, withdraw (through its confirmation page). Thin: the rules are
 * in OffersService; AdminOffersService adds what only the screens need.
 */
@Controller('admin/offers')
@UseFilters(AdminPageFilter)
export class AdminOffersController {
  constructor(private readonly offers: AdminOffersService) {}

  @Get()
  async list(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Query('done') flag?: string): Promise<WebReply> {
    const offers = await this.offers.list(tenant);
    if (json) return WebReply.json({ offers }).noStore();
    return adminReply(offersPage({ lang, principal, offers, notice: doneNotice(lang, flag, notices) }));
  }

  @Get('new')
  async newForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef): Promise<WebReply> {
    return adminReply(offerFormPage({ lang, principal, services: await this.offers.providerServices(tenant) }));
  }

  @Post()
  async create(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Body() body: unknown): Promise<WebReply> {
    try {
      const { code, outcome } = await this.offers.create(principal, tenant, validForm(offerCreateFormSchema, body));
      if (json) return WebReply.json({ code, outcome }, outcome === 'created' ? 201 : 200).noStore().header('location', `/admin/offers/${encodeURIComponent(code)}`);
      return WebReply.seeOther(at(code, outcome));
    } catch (error) {
      if (!(error instanceof DomainException) || json) throw error;
      return adminReply(offerFormPage({ lang, principal, services: await this.offers.providerServices(tenant), values: submitted(body), error }), statusFor(error.reason));
    }
  }

  @Get(':offerCode')
  async show(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('offerCode') code: string, @Query('done') flag?: string): Promise<WebReply> {
    const offer = await this.offers.detail(tenant, code);
    if (json) return WebReply.json(offer).noStore();
    return adminReply(offerPage({ lang, principal, offer, notice: doneNotice(lang, flag, notices) }));
  }

  @Get(':offerCode/edit')
  async editForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('offerCode') code: string): Promise<WebReply> {
    return adminReply(offerFormPage({ lang, principal, offer: await this.offers.detail(tenant, code) }));
  }

  /** A change: a new draft version (or the pending draft rewritten). */
  @Post(':offerCode/versions')
  async change(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('offerCode') code: string, @Body() body: unknown): Promise<WebReply> {
    try {
      const outcome = await this.offers.change(principal, tenant, code, validForm(offerVersionFormSchema, body));
      if (json) return WebReply.json({ code, outcome }).noStore();
      return WebReply.seeOther(at(code, outcome));
    } catch (error) {
      if (!(error instanceof DomainException) || json || error.code === 'offer_not_found' || error.code === 'offer_transition_invalid') throw error;
      return adminReply(offerFormPage({ lang, principal, offer: await this.offers.detail(tenant, code), values: submitted(body), error }), statusFor(error.reason));
    }
  }

  @Post(':offerCode/versions/:version/activate')
  async activate(@Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('offerCode') code: string, @Param('version') version: string): Promise<WebReply> {
    await this.offers.activate(principal, tenant, code, version);
    return json ? WebReply.json({ code, version: Number(version), status: 'active' }).noStore() : WebReply.seeOther(at(code, 'activated'));
  }

  /** The confirmation step of withdrawing (final). */
  @Get(':offerCode/withdraw')
  async withdrawForm(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @Param('offerCode') code: string): Promise<WebReply> {
    return adminReply(withdrawConfirmPage({ lang, principal, offer: await this.offers.detail(tenant, code) }));
  }

  @Post(':offerCode/withdraw')
  async withdraw(@Principal() principal: AdminPrincipal, @Tenant() tenant: TenantRef, @WantsJson() json: boolean, @Param('offerCode') code: string, @Body(new ConfirmedWithdrawal()) form: OfferWithdrawForm): Promise<WebReply> {
    const result = await this.offers.withdraw(principal, tenant, code, form.reason);
    return json ? WebReply.json({ code, status: 'withdrawn', ...result }).noStore() : WebReply.seeOther(at(code, result.dataUses ? 'paused' : 'withdrawn'));
  }
}
