import { Injectable } from '@nestjs/common';
import { assertValid, DomainException } from '@tsunagu/common';
import {
  type ControllerType, DATA_USE_LIMITS, ErrorReason, type DataUseForm, dataUseCreateFormSchema, dataUseUpdateFormSchema, type PurposeCategory,
} from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { type StatisticsUseDefinition, type StatisticsUseError, validateStatisticsUse } from '@tsunagu/statistics';
import { DataSource } from 'typeorm';
import type { Queryable } from '@tsunagu/common';
import { AuditService } from '../audit/audit.service';
import { AdminException } from '../platform/access/admin.exception';
import { inTransaction, type Tx } from '../platform/database/sql';
import { type CatalogActor, adminIdOf, auditActorOf } from './catalog-actor';
import { AgreementsRepository } from './agreements.repository';
import { USE_APPROVED } from './data-catalog.repository';
import { DataCatalogService } from './data-catalog.service';
import {
  type CatalogOfferRow, type ConsumerServiceRow, type DataUseRevisionRow, DataUsesRepository, type DataUseTermsRecord, type TenantDataUseRow,
} from './data-uses.repository';

/** What a change of a data use's terms did: the consent layer pauses consents when `needsConsent`. */
export interface DataUseChange {
  dataUseId: string;
  revision: number;
  /** The change asks residents again (items added, purpose, retention, validity, controller or its type changed). */
  needsConsent: boolean;
  /** Agreements that now wait for their provider (new items of theirs). */
  pendingAgreements: string[];
}

/** The terms fields whose change makes residents decide again (narrowing items does not). */
const CONSENT_TERMS: (keyof DataUseTermsRecord)[] = [
  'purposeCode', 'purposeCategory', 'purposeJa', 'purposeEn', 'retentionDays', 'consentValidDays',
  'controllerNameJa', 'controllerNameEn', 'controllerContact', 'controllerType', 'privacyNoticeUrl', 'statistics',
];

function itemsOf(form: DataUseForm): string[] {
  return [...new Set(Array.isArray(form.items) ? form.items : [form.items])];
}

/** A form's terms, typed; ranges beyond the schema's checked here with typed codes. */
function termsOf(form: DataUseForm): DataUseTermsRecord {
  const retentionDays = Number(form.retentionDays);
  const consentValidDays = form.consentValidDays ? Number(form.consentValidDays) : null;
  const problems: { field: string; problem: string }[] = [];
  const { retentionDays: r, consentValidDays: v } = DATA_USE_LIMITS;
  if (retentionDays < r.min || retentionDays > r.max) problems.push({ field: 'retentionDays', problem: `must be between ${r.min} and ${r.max} days` });
  if (consentValidDays !== null && (consentValidDays < v.min || consentValidDays > v.max)) problems.push({ field: 'consentValidDays', problem: `must be between ${v.min} and ${v.max} days, or empty` });
  const statistics = statisticsOf(form, itemsOf(form));
  if (statistics.problems.length) throw new AdminException('statistics_use_invalid', statistics.problems);
  if (problems.length) {
    throw new DomainException('invalid_request', ErrorReason.BadRequest, { ja: '入力内容に誤りがあります。', en: 'Some fields are not valid.' }, problems);
  }
  return {
    titleJa: form.titleJa.trim(), titleEn: form.titleEn.trim(), purposeCode: form.purposeCode, purposeCategory: form.purposeCategory as PurposeCategory,
    purposeJa: form.purposeJa.trim(), purposeEn: form.purposeEn.trim(), items: itemsOf(form), retentionDays, consentValidDays,
    controllerNameJa: form.controllerNameJa.trim(), controllerNameEn: form.controllerNameEn.trim(), controllerContact: form.controllerContact.trim(),
    controllerType: form.controllerType as ControllerType, privacyNoticeUrl: form.privacyNoticeUrl,
    requiresVerifiedIdentity: form.requiresVerifiedIdentity === 'true',
    ...(statistics.definition ? { kind: 'statistics' as const, statistics: statistics.definition } : {}),
  };
}

const STATISTICS_FIELDS = ['statisticsAggregate', 'statisticsGroupBy', 'statisticsBins', 'statisticsFrom', 'statisticsTo', 'statisticsK', 'statisticsEpsilon'] as const;

/**
 * The statistics definition a form writes (kind `statistics`), or the problems of its fields. The
 * rules that need the offer (dimensions offered, numeric items, bounds) are checked against the
 * catalog by {@link statisticsProblems}; these are the ones the form alone decides.
 */
function statisticsOf(form: DataUseForm, items: string[]): { definition?: StatisticsUseDefinition; problems: { field: string; problem: string }[] } {
  const problems: { field: string; problem: string }[] = [];
  if (form.kind !== 'statistics') {
    for (const field of STATISTICS_FIELDS) if (form[field] !== undefined && form[field] !== '') problems.push({ field, problem: 'only a data use of kind statistics has a statistics definition' });
    return { problems };
  }
  if (items.length !== 1) problems.push({ field: 'items', problem: 'a statistics data use aggregates exactly one item' });
  for (const field of ['statisticsAggregate', 'statisticsFrom', 'statisticsTo', 'statisticsK'] as const) if (!form[field]) problems.push({ field, problem: 'required for a statistics data use' });
  if (problems.length) return { problems };
  const groupBy = form.statisticsGroupBy === undefined ? [] : Array.isArray(form.statisticsGroupBy) ? form.statisticsGroupBy : [form.statisticsGroupBy];
  const definition: StatisticsUseDefinition = {
    item: items[0], aggregate: form.statisticsAggregate as StatisticsUseDefinition['aggregate'], groupBy: groupBy as StatisticsUseDefinition['groupBy'],
    period: { from: form.statisticsFrom!, to: form.statisticsTo! }, k: Number(form.statisticsK),
  };
  if (form.statisticsBins) definition.bins = form.statisticsBins.split(',').map(Number);
  if (form.statisticsEpsilon) definition.epsilon = Number(form.statisticsEpsilon);
  return { definition, problems };
}

/** The field each refusal of {@link validateStatisticsUse} concerns, and what is wrong, in words. */
function statisticsProblem(error: StatisticsUseError): { field: string; problem: string } {
  switch (error.code) {
    case 'statistics_item_not_offered': return { field: 'items', problem: `${error.code}: ${error.item} is not offered for statistics` };
    case 'dimension_not_offered': return { field: 'statisticsGroupBy', problem: `${error.code}: the offer cannot be grouped by ${error.dimension}` };
    case 'dimension_repeated': return { field: 'statisticsGroupBy', problem: `${error.code}: ${error.dimension} is chosen twice` };
    case 'too_many_dimensions': return { field: 'statisticsGroupBy', problem: `${error.code}: ${error.count} dimensions (with a histogram's bins, at most three)` };
    case 'aggregate_needs_number': return { field: 'statisticsAggregate', problem: `${error.code}: ${error.aggregate} needs a numeric item` };
    case 'bins_invalid': return { field: 'statisticsBins', problem: `${error.code}: ${error.detail}` };
    case 'period_invalid': return { field: 'statisticsFrom', problem: `${error.code}: ${error.detail}` };
    case 'k_below_floor': return { field: 'statisticsK', problem: `${error.code}: k = ${error.k} is below the floor` };
    case 'k_out_of_range': return { field: 'statisticsK', problem: `${error.code}: k = ${error.k} is out of range` };
    case 'epsilon_out_of_range': return { field: 'statisticsEpsilon', problem: `${error.code}: ε = ${error.epsilon} is out of range` };
    case 'noise_needs_bound': return { field: 'statisticsEpsilon', problem: `${error.code}: noise on a sum needs the offer to declare the item's maximum` };
  }
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * Data uses as the consumer's tenant writes them (ARCHITECTURE.md §4): create, change (each
 * change a revision; the ones residents must see again move `consent_revision`), retire. Writing
 * or widening a data use asks every providing tenant for its items (agreements). Consents are the
 * consent layer's: it pauses or ends them after these commit (CatalogChangesService).
 */
@Injectable()
export class DataUsesService {
  private readonly logger = new AppLogger(DataUsesService.name);

  constructor(
    private readonly db: DataSource,
    private readonly repo: DataUsesRepository,
    private readonly agreements: AgreementsRepository,
    private readonly catalog: DataCatalogService,
    private readonly audit: AuditService,
  ) {}

  listForTenant(tenantId: string): Promise<TenantDataUseRow[]> {
    return this.repo.listForTenant(tenantId, USE_APPROVED);
  }

  /** A data use of the tenant with its revisions and agreements (for its page). */
  async find(tenantId: string, code: string) {
    const found = await this.repo.findInTenant(this.db, tenantId, code);
    if (!found) return undefined;
    const [all, revisions, agreements] = await Promise.all([
      this.listForTenant(tenantId), this.repo.revisions(found.id), this.agreements.listForUse(found.id),
    ]);
    const summary = all.find((u) => u.id === found.id)!;
    return { summary, terms: revisions[0]?.terms, revisions: revisions as DataUseRevisionRow[], agreements };
  }

  /** The code of the tenant's data use with this ID, or undefined (another tenant's, or none). */
  codeOf(tenantId: string, id: string): Promise<string | undefined> {
    return this.repo.codeInTenant(tenantId, id);
  }

  /**
   * What the data use form chooses from: the tenant's services that may ask for data, and the
   * catalog of every tenant's published offers.
   */
  async formChoices(tenantId: string): Promise<{ consumers: ConsumerServiceRow[]; offers: CatalogOfferRow[] }> {
    const [consumers, offers] = await Promise.all([this.repo.consumerServices(tenantId), this.repo.offerCatalog()]);
    return { consumers, offers };
  }

  /** Offer names by code (published or not), for screens that name items. */
  async offerNames(codes: string[]): Promise<Map<string, { name_ja: string; name_en: string; special_care: boolean }>> {
    const rows = await this.repo.offerNames([...new Set(codes)]);
    return new Map(rows.map((r) => [r.code, r]));
  }

  /**
   * The revisions of a data use, for a tenant the caller has checked is a side of one of its
   * agreements (the provider sees how the terms it approved changed).
   */
  revisionsOf(dataUseId: string): Promise<DataUseRevisionRow[]> {
    return this.repo.revisions(dataUseId);
  }

  /** Writes a new data use of one of the tenant's services and asks each providing tenant to approve its items. */
  async create(actor: CatalogActor, tenantId: string, body: unknown): Promise<{ id: string; code: string; pendingAgreements: string[] }> {
    const form = assertValid<DataUseForm>(dataUseCreateFormSchema, body);
    return this.auditingStatisticsRefusal(actor, tenantId, form.code!, () => this.write(actor, tenantId, form));
  }

  private async write(actor: CatalogActor, tenantId: string, form: DataUseForm): Promise<{ id: string; code: string; pendingAgreements: string[] }> {
    const terms = termsOf(form);
    const result = await inTransaction(this.db, async (tx) => {
      const service = await this.repo.findConsumerService(tx, tenantId, form.consumerServiceId!);
      if (!service) throw new AdminException('consumer_service_invalid');
      const providers = await this.providersOf(tx, terms.items);
      await this.checkStatistics(tx, terms);
      const id = await this.repo.insert(tx, tenantId, service.id, form.code!, terms);
      if (id === 'code_taken') throw new AdminException('data_use_code_taken');
      await this.repo.insertRevision(tx, id, 1, terms, true, adminIdOf(actor));
      const pending = await this.requestApprovals(tx, actor, tenantId, id, 1, providers);
      await this.record(tx, actor, tenantId, id, 'data_use.create', { code: form.code, revision: 1, items: terms.items, consumer: service.client_id });
      return { id, code: form.code!, pendingAgreements: pending };
    });
    this.catalog.invalidate();
    this.logger.log(LogKind.Operation, 'Data use written', { code: result.code, pendingAgreements: result.pendingAgreements.length });
    return result;
  }

  /**
   * Changes a data use's terms: a new revision. Items added are asked of their providers again;
   * any change of what residents agreed to (other than dropping items) moves `consent_revision`,
   * and the caller pauses the consents given before it.
   */
  async change(actor: CatalogActor, tenantId: string, code: string, body: unknown): Promise<DataUseChange> {
    const form = assertValid<DataUseForm>(dataUseUpdateFormSchema, body);
    return this.auditingStatisticsRefusal(actor, tenantId, code, () => this.rewrite(actor, tenantId, code, form));
  }

  private async rewrite(actor: CatalogActor, tenantId: string, code: string, form: DataUseForm): Promise<DataUseChange> {
    const terms = termsOf(form);
    const change = await inTransaction(this.db, async (tx) => {
      const use = await this.repo.findInTenant(tx, tenantId, code, true);
      if (!use) throw new AdminException('data_use_not_found');
      if (use.status === 'retired') throw new AdminException('data_use_retired');
      if ((terms.kind ?? 'exchange') !== use.kind) throw new AdminException('data_use_kind_fixed');
      const before = (await this.repo.currentTerms(tx, use.id))!;
      const added = terms.items.filter((item) => !before.items.includes(item));
      const termsChanged = CONSENT_TERMS.some((key) => JSON.stringify(before[key]) !== JSON.stringify(terms[key]));
      const unchanged = !termsChanged && sameSet(before.items, terms.items) && before.titleJa === terms.titleJa && before.titleEn === terms.titleEn;
      if (unchanged) return { dataUseId: use.id, revision: use.revision, needsConsent: false, pendingAgreements: [] };
      const providers = await this.providersOf(tx, terms.items);
      await this.checkStatistics(tx, terms);
      const needsConsent = termsChanged || added.length > 0;
      const revision = use.revision + 1;
      const consentRevision = needsConsent ? revision : use.consent_revision;
      await this.repo.update(tx, use.id, revision, consentRevision, terms);
      await this.repo.insertRevision(tx, use.id, revision, terms, needsConsent, adminIdOf(actor));
      const pending = await this.requestApprovals(tx, actor, tenantId, use.id, revision, providers);
      await this.agreements.dropUnrequested(tx, use.id, [...providers.keys()]);
      await this.record(tx, actor, tenantId, use.id, 'data_use.change', {
        code, revision, needsConsent, added, removed: before.items.filter((item) => !terms.items.includes(item)),
        changed: CONSENT_TERMS.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(terms[key])),
      });
      return { dataUseId: use.id, revision, needsConsent, pendingAgreements: pending };
    });
    this.catalog.invalidate();
    return change;
  }

  /** Retires a data use for good: its agreements are retired with it; the caller ends its consents. */
  async retire(actor: CatalogActor, tenantId: string, code: string, reason: string): Promise<{ dataUseId: string }> {
    if (!reason.trim()) throw new AdminException('reason_required');
    const id = await inTransaction(this.db, async (tx) => {
      const use = await this.repo.findInTenant(tx, tenantId, code, true);
      if (!use) throw new AdminException('data_use_not_found');
      if (use.status === 'retired') throw new AdminException('data_use_retired');
      await this.repo.retire(tx, use.id);
      for (const agreementId of await this.agreements.retireAllForUse(tx, use.id, reason)) {
        await this.agreements.addEvent(tx, { agreementId, action: 'retired', items: [], revision: use.revision, reason, actorAdminId: adminIdOf(actor), actorTenantId: tenantId });
      }
      await this.record(tx, actor, tenantId, use.id, 'data_use.retire', { code, reason });
      return use.id;
    });
    this.catalog.invalidate();
    return { dataUseId: id };
  }

  /**
   * Retires, inside the caller's transaction, every data use of a service being deleted (it has
   * no active consents: the caller refused otherwise), with their agreements.
   */
  async retireAllOfService(tx: Tx, actor: CatalogActor, tenantId: string, serviceId: string): Promise<number> {
    const ids = await this.repo.retireAllOfService(tx, tenantId, serviceId);
    for (const id of ids) {
      for (const agreementId of await this.agreements.retireAllForUse(tx, id, 'service deleted')) {
        await this.agreements.addEvent(tx, { agreementId, action: 'retired', items: [], revision: 0, reason: 'service deleted', actorAdminId: adminIdOf(actor), actorTenantId: tenantId });
      }
    }
    this.catalog.invalidate();
    return ids.length;
  }

  /** The providing tenant of each item, grouped: every item must be an active offer. */
  private async providersOf(q: Queryable, items: string[]): Promise<Map<string, string[]>> {
    const tenants = await this.repo.activeOfferTenants(q, items);
    const missing = items.filter((item) => !tenants.has(item));
    if (missing.length) throw new AdminException('item_not_offered', missing.map((item) => ({ field: 'items', problem: `not a published offer: ${item}` })));
    const byTenant = new Map<string, string[]>();
    for (const item of items) byTenant.set(tenants.get(item)!, [...(byTenant.get(tenants.get(item)!) ?? []), item]);
    return byTenant;
  }

  /**
   * A statistics data use must be one its offer allows (validateStatisticsUse: dimensions offered,
   * k ≥ 10, numeric items for sums, …). A refusal is audited: a tenant trying to group below what
   * the provider offers is something the provider's tenant may want to know about.
   */
  private async checkStatistics(tx: Tx, terms: DataUseTermsRecord): Promise<void> {
    if (!terms.statistics) return;
    const declared = await this.repo.offerStatistics(tx, [terms.statistics.item]);
    const offered = [...declared].map(([item, d]) => ({ item, numeric: d.numeric, maximum: d.maximum, dimensions: d.dimensions }));
    const errors = validateStatisticsUse(terms.statistics, offered);
    if (!errors.length) return;
    throw new AdminException('statistics_use_invalid', errors.map(statisticsProblem));
  }

  /** Runs a write; a statistics definition refused is audited (after the write's transaction rolled back) before the refusal goes back. */
  private async auditingStatisticsRefusal<T>(actor: CatalogActor, tenantId: string, code: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof AdminException && error.code === 'statistics_use_invalid') {
        await this.audit.record({
          type: 'admin.change', actor: auditActorOf(actor), tenantId, outcome: 'failure', reason: error.code,
          details: { action: 'data_use.statistics_refused', code, problems: (error.details ?? []).map((d) => d.problem).join('; ') },
        });
      }
      throw error;
    }
  }

  private async requestApprovals(tx: Queryable, actor: CatalogActor, tenantId: string, dataUseId: string, revision: number, providers: Map<string, string[]>): Promise<string[]> {
    const pending: string[] = [];
    for (const [providerTenantId, items] of providers) {
      const requested = await this.agreements.request(tx, { dataUseId, consumerTenantId: tenantId, providerTenantId, items, revision });
      if (requested.pending) {
        pending.push(requested.id);
        await this.agreements.addEvent(tx, { agreementId: requested.id, action: 'requested', items, revision, reason: null, actorAdminId: adminIdOf(actor), actorTenantId: tenantId });
      }
    }
    return pending;
  }

  private async record(tx: Tx, actor: CatalogActor, tenantId: string, subject: string, action: string, details: Record<string, unknown>): Promise<void> {
    await this.audit.record({ type: 'admin.change', actor: auditActorOf(actor), tenantId, subject, outcome: 'success', details: { action, ...details } }, tx);
  }
}
