import { Injectable } from '@nestjs/common';
import { DomainException } from '@tsunagu/common';
import type { OfferCreateForm, OfferStatisticsDeclaration, OfferVersionForm, StatisticsGroupingDimension } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { type OfferDetail, type OfferDraft, OffersService, type OfferSummary, type PublishOutcome } from '../../catalog/offers.service';
import { ConsentService } from '../../consent/consent.service';
import { AdminException } from '../../platform/access/admin.exception';
import type { AdminPrincipal, TenantRef } from '../../platform/access/admin-principal';
import { type AdminServiceListRow, AdminServicesRepository } from '../services/admin-services.repository';
import { offerText } from './offers.messages';

const actorOf = (principal: AdminPrincipal) => ({ kind: 'admin' as const, adminId: principal.adminId });

/** The schema field of a form, parsed: JSON first (a clear message when it is not), then an object. */
export function parseSchemaField(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AdminException('invalid_offer_schema', offerText.invalidJson, [{ field: 'schema', problem: `not JSON: ${(error as Error).message.slice(0, 200)}` }]);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new AdminException('invalid_offer_schema', offerText.notAnObject, [{ field: 'schema', problem: 'must be a JSON object' }]);
  }
  return value as Record<string, unknown>;
}

/** The form's fields as an offer draft (texts trimmed by the catalog). */
export function draftOf(code: string, form: OfferVersionForm): OfferDraft {
  return {
    code, nameJa: form.nameJa, nameEn: form.nameEn, descriptionJa: form.descriptionJa, descriptionEn: form.descriptionEn,
    specialCare: form.specialCare !== undefined && form.specialCare !== '', maxWindowDays: form.maxWindowDays ? Number(form.maxWindowDays) : null,
    schema: parseSchemaField(form.schema), statistics: statisticsOf(form),
  };
}

/** The form's statistics fields as the offer's declaration: no dimension ticked means not offered for statistics. */
function statisticsOf(form: OfferVersionForm): OfferStatisticsDeclaration | null {
  const ticked = form.statisticsDimensions === undefined ? [] : Array.isArray(form.statisticsDimensions) ? form.statisticsDimensions : [form.statisticsDimensions];
  if (!ticked.length) return null;
  const numeric = form.statisticsNumeric !== undefined && form.statisticsNumeric !== '';
  return { numeric, ...(numeric && form.statisticsMaximum ? { maximum: Number(form.statisticsMaximum) } : {}), dimensions: [...new Set(ticked)] as StatisticsGroupingDimension[] };
}

/**
 * The offer screens of the provider's tenant (提供データ): list, detail with every version,
 * create, change (a new draft version), publish a draft, withdraw. The rules are OffersService's;
 * this adds what only the screens need: the tenant's services to choose from, the form's fields,
 * and pausing the consents of every data use a withdrawn offer was part of.
 */
@Injectable()
export class AdminOffersService {
  private readonly logger = new AppLogger(AdminOffersService.name);

  constructor(private readonly offers: OffersService, private readonly consents: ConsentService, private readonly services: AdminServicesRepository) {}

  list(tenant: TenantRef): Promise<OfferSummary[]> {
    return this.offers.listForTenant(tenant.id);
  }

  async detail(tenant: TenantRef, code: string): Promise<OfferDetail> {
    const offer = await this.offers.find(tenant.id, code);
    if (!offer) throw new AdminException('offer_not_found');
    return offer;
  }

  /** The tenant's services that may provide data (not platform-managed ones). */
  async providerServices(tenant: TenantRef): Promise<AdminServiceListRow[]> {
    return (await this.services.list(tenant.id)).filter((s) => !s.first_party);
  }

  /** Creates an offer (a draft of version 1) for one of the tenant's services. */
  async create(principal: AdminPrincipal, tenant: TenantRef, form: OfferCreateForm): Promise<{ code: string; outcome: PublishOutcome }> {
    const service = (await this.providerServices(tenant)).find((s) => s.id === form.serviceId);
    if (!service) throw new AdminException('service_not_found', [{ field: 'serviceId', problem: 'not a service of this tenant that may provide data' }]);
    const [result] = await this.publish(principal, { id: service.id, tenantId: tenant.id }, draftOf(form.code, form));
    return { code: result.code, outcome: result.outcome };
  }

  /** A change of an offer: a new draft version (or the pending draft rewritten). */
  async change(principal: AdminPrincipal, tenant: TenantRef, code: string, form: OfferVersionForm): Promise<PublishOutcome> {
    const offer = await this.detail(tenant, code);
    if (offer.status === 'withdrawn') throw new AdminException('offer_transition_invalid', [{ field: 'status', problem: 'withdrawn' }]);
    const [result] = await this.publish(principal, { id: offer.service.id, tenantId: tenant.id }, draftOf(code, form));
    return result.outcome;
  }

  activate(principal: AdminPrincipal, tenant: TenantRef, code: string, version: string): Promise<void> {
    const number = /^[1-9][0-9]{0,8}$/.test(version) ? Number(version) : NaN;
    if (Number.isNaN(number)) throw new AdminException('offer_version_not_found');
    return this.offers.activate(actorOf(principal), tenant.id, code, number);
  }

  /**
   * Withdraws an offer and then pauses every active consent to a data use that contains it: nothing
   * flows under them, and residents decide again (ConsentService, with a receipt each).
   */
  async withdraw(principal: AdminPrincipal, tenant: TenantRef, code: string, reason: string): Promise<{ dataUses: number; paused: number }> {
    const { dataUseIds } = await this.offers.withdraw(actorOf(principal), tenant.id, code, reason);
    let paused = 0;
    for (const id of dataUseIds) paused += await this.consents.pauseAllForUse(id, 'offer_withdrawn');
    if (dataUseIds.length) this.logger.log(LogKind.Operation, 'Consents paused after an offer was withdrawn', { code, dataUses: dataUseIds.length, paused });
    return { dataUses: dataUseIds.length, paused };
  }

  /** The catalog's refusal of a schema names `offers/0/schema`; the form has one field for it. */
  private async publish(principal: AdminPrincipal, service: { id: string; tenantId: string }, draft: OfferDraft) {
    try {
      return await this.offers.publish(actorOf(principal), service, [draft]);
    } catch (error) {
      if (error instanceof DomainException && error.details?.length) {
        const details = error.details.map((d) => ({ ...d, field: d.field.replace(/^offers\/0\/|^0\./, '') }));
        if (error.code === 'invalid_offer_schema' || error.code === 'offer_code_taken') throw new AdminException(error.code, details);
      }
      throw error;
    }
  }
}
