import { Injectable } from '@nestjs/common';
import type { AgreementRow } from '../../catalog/agreements.repository';
import { AgreementsService } from '../../catalog/agreements.service';
import type { CatalogActor } from '../../catalog/catalog-actor';
import type { CatalogOfferRow, ConsumerServiceRow, DataUseRevisionRow, DataUseTermsRecord, TenantDataUseRow } from '../../catalog/data-uses.repository';
import { DataUsesService } from '../../catalog/data-uses.service';
import { CatalogChangesService } from '../../consent/catalog-changes.service';
import { WithdrawalEnforcementService } from '../../exchange/enforcement/withdrawal-enforcement.service';
import { AdminException } from '../../platform/access/admin.exception';
import type { AdminPrincipal } from '../../platform/access/admin-principal';

/** Offer names by code, as the screens name items (the codes stay under 「詳細」). */
export type ItemNames = Map<string, { name_ja: string; name_en: string; special_care: boolean }>;

/** A data use's page: its current terms, the providers' approvals and every revision. */
export interface DataUseDetail {
  summary: TenantDataUseRow;
  terms: DataUseTermsRecord;
  revisions: DataUseRevisionRow[];
  agreements: AgreementRow[];
  names: ItemNames;
}

/** What the data use form chooses from. */
export interface DataUseChoices {
  consumers: ConsumerServiceRow[];
  offers: CatalogOfferRow[];
}

const actorOf = (principal: AdminPrincipal): CatalogActor => ({ kind: 'admin', adminId: principal.adminId });

/**
 * The data use screens (/admin/data-uses) over the catalog's rules: the screens name a data use by
 * its ID (the admin scope guard checks IDs), the services by its code; every read and write is
 * scoped by the tenant in scope. The rules stay in DataUsesService and CatalogChangesService.
 */
@Injectable()
export class DataUsesAdminService {
  constructor(
    private readonly uses: DataUsesService,
    private readonly agreements: AgreementsService,
    private readonly changes: CatalogChangesService,
    private readonly enforcement: WithdrawalEnforcementService,
  ) {}

  /** The tenant's data uses with the agreements each asked for. */
  async list(tenantId: string): Promise<{ uses: TenantDataUseRow[]; agreements: AgreementRow[] }> {
    const [uses, agreements] = await Promise.all([this.uses.listForTenant(tenantId), this.agreements.listOutgoing(tenantId)]);
    return { uses, agreements };
  }

  choices(tenantId: string): Promise<DataUseChoices> {
    return this.uses.formChoices(tenantId);
  }

  async detail(tenantId: string, id: string): Promise<DataUseDetail> {
    const found = await this.uses.find(tenantId, await this.codeOf(tenantId, id));
    if (!found?.terms) throw new AdminException('data_use_not_found');
    const codes = [...found.revisions.flatMap((r) => r.terms.items), ...found.agreements.flatMap((a) => [...a.items, ...a.requested_items])];
    return { summary: found.summary, terms: found.terms, revisions: found.revisions, agreements: found.agreements, names: await this.uses.offerNames(codes) };
  }

  create(principal: AdminPrincipal, tenantId: string, body: unknown) {
    return this.uses.create(actorOf(principal), tenantId, body);
  }

  /** A new revision; `revised` is false when nothing in the terms changed (no revision was made). */
  async change(principal: AdminPrincipal, tenantId: string, id: string, body: unknown) {
    const code = await this.codeOf(tenantId, id);
    const before = (await this.uses.find(tenantId, code))?.summary.revision;
    const mark = await this.enforcement.mark();
    const change = await this.changes.changeDataUse(actorOf(principal), tenantId, code, body);
    const enforcement = change.paused ? await this.enforcement.enforceDataUse(change.dataUseId, mark, new Date()) : null;
    return { ...change, revised: change.revision !== before, enforcement };
  }

  /** Retires the data use and ends its consents; the answer waits (bounded) for the connectors, as a withdrawal does. */
  async retire(principal: AdminPrincipal, tenantId: string, id: string, reason: string | undefined) {
    const code = await this.codeOf(tenantId, id);
    const mark = await this.enforcement.mark();
    const retired = await this.changes.retireDataUse(actorOf(principal), tenantId, code, reason ?? '');
    return { ...retired, enforcement: retired.ended ? await this.enforcement.enforceDataUse(retired.dataUseId, mark, new Date()) : null };
  }

  private async codeOf(tenantId: string, id: string): Promise<string> {
    const code = await this.uses.codeOf(tenantId, id);
    if (!code) throw new AdminException('data_use_not_found');
    return code;
  }
}
