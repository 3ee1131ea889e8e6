import { Injectable } from '@nestjs/common';
import type { AgreementEventRow, AgreementRow } from '../../catalog/agreements.repository';
import type { DataUseRevisionRow } from '../../catalog/data-uses.repository';
import { type AgreementDecision, AgreementsService } from '../../catalog/agreements.service';
import { DataUsesService } from '../../catalog/data-uses.service';
import { CatalogChangesService } from '../../consent/catalog-changes.service';
import { WithdrawalEnforcementService } from '../../exchange/enforcement/withdrawal-enforcement.service';
import { AdminException } from '../../platform/access/admin.exception';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import type { ItemNames } from './data-uses-admin.service';

/** An agreement's page: the agreement, its history, which side the tenant is on, and the items' names. */
export interface AgreementDetail {
  agreement: AgreementRow;
  history: AgreementEventRow[];
  side: 'provider' | 'consumer';
  /** The data use's revisions: the provider sees how the terms it approved changed since. */
  revisions: DataUseRevisionRow[];
  names: ItemNames;
}

/**
 * The agreement screens (/admin/agreements) over AgreementsService and CatalogChangesService:
 * both tenants of an agreement read it; only the provider's decides (the service answers
 * agreement_not_found to anyone else, so a consumer's post is a 404 like a stranger's).
 */
@Injectable()
export class AgreementsAdminService {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly uses: DataUsesService,
    private readonly changes: CatalogChangesService,
    private readonly enforcement: WithdrawalEnforcementService,
  ) {}

  async lists(tenantId: string): Promise<{ incoming: AgreementRow[]; outgoing: AgreementRow[]; names: ItemNames }> {
    const [incoming, outgoing] = await Promise.all([this.agreements.listIncoming(tenantId), this.agreements.listOutgoing(tenantId)]);
    const names = await this.uses.offerNames([...incoming, ...outgoing].flatMap((a) => [...a.items, ...a.requested_items]));
    return { incoming, outgoing, names };
  }

  async detail(tenantId: string, id: string): Promise<AgreementDetail> {
    const found = await this.agreements.find(tenantId, id);
    if (!found) throw new AdminException('agreement_not_found');
    const revisions = await this.uses.revisionsOf(found.agreement.data_use_id);
    const codes = [...found.agreement.items, ...found.agreement.requested_items, ...found.history.flatMap((e) => e.items), ...revisions.flatMap((r) => r.terms.items)];
    return { ...found, revisions, names: await this.uses.offerNames(codes) };
  }

  /**
   * One decision. A suspension or retirement pauses or ends consents: the answer waits, bounded,
   * until the connectors serving grants under them acknowledged, and says when (or by when) no
   * data flows under the agreement any more.
   */
  async decide(principal: AdminPrincipal, tenantId: string, id: string, decision: AgreementDecision, reason?: string) {
    const mark = await this.enforcement.mark();
    const decided = await this.changes.decideAgreement({ kind: 'admin', adminId: principal.adminId }, tenantId, id, decision, reason);
    const enforcement = decided.consentsChanged ? await this.enforcement.enforceDataUse(decided.agreement.data_use_id, mark, new Date()) : null;
    return { ...decided, enforcement };
  }
}
