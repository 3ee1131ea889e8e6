import { Injectable } from '@nestjs/common';
import type { AgreementState } from '@tsunagu/contracts';
import type { Queryable } from '@tsunagu/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AdminException } from '../platform/access/admin.exception';
import { inTransaction } from '../platform/database/sql';
import { type AgreementEventRow, type AgreementRow, AgreementsRepository } from './agreements.repository';
import { type CatalogActor, adminIdOf, auditActorOf } from './catalog-actor';
import { DataCatalogService } from './data-catalog.service';

/** A provider's decision on an agreement. */
export type AgreementDecision = 'approve' | 'reject' | 'suspend' | 'resume' | 'retire';

/** From which states each decision may be taken, where it leads, and whether it needs a reason. */
const DECISIONS: Record<AgreementDecision, { from: AgreementState[]; to: AgreementState; reason: boolean; event: string }> = {
  approve: { from: ['pending'], to: 'approved', reason: false, event: 'approved' },
  reject: { from: ['pending'], to: 'rejected', reason: true, event: 'rejected' },
  suspend: { from: ['approved'], to: 'suspended', reason: true, event: 'suspended' },
  resume: { from: ['suspended'], to: 'approved', reason: false, event: 'resumed' },
  retire: { from: ['pending', 'approved', 'suspended', 'rejected'], to: 'retired', reason: true, event: 'retired' },
};

/** What a decision did, for the consent layer (suspend pauses consents, retire ends them). */
export interface AgreementDecided {
  agreement: AgreementRow;
  decision: AgreementDecision;
}

/**
 * Agreements (ARCHITECTURE.md §4; spec 2-3(2)カ): the providing tenant approves, rejects,
 * suspends, resumes or retires a data use's access to the items it provides. Default deny: the
 * grant path needs an approved agreement covering the items ({@link covers}). Only the provider's
 * tenant decides; the consumer's tenant sees the agreement and its history.
 */
@Injectable()
export class AgreementsService {
  private readonly logger = new AppLogger(AgreementsService.name);

  constructor(
    private readonly db: DataSource,
    private readonly repo: AgreementsRepository,
    private readonly catalog: DataCatalogService,
    private readonly audit: AuditService,
  ) {}

  listIncoming(tenantId: string): Promise<AgreementRow[]> {
    return this.repo.listIncoming(tenantId);
  }

  listOutgoing(tenantId: string): Promise<AgreementRow[]> {
    return this.repo.listOutgoing(tenantId);
  }

  /** One agreement and its history, if the tenant is one of its sides. */
  async find(tenantId: string, id: string): Promise<{ agreement: AgreementRow; history: AgreementEventRow[]; side: 'provider' | 'consumer' } | undefined> {
    const agreement = await this.repo.findVisible(tenantId, id);
    if (!agreement) return undefined;
    return { agreement, history: await this.repo.history(id), side: agreement.provider_tenant_id === tenantId ? 'provider' : 'consumer' };
  }

  /**
   * The provider's decision. Another tenant's agreement is not found; the consumer's tenant may
   * not decide (also not found: it sees the agreement, it does not own the decision); a decision
   * its state does not allow (approving twice) is agreement_transition_invalid, nothing changed.
   */
  async decide(actor: CatalogActor, tenantId: string, id: string, decision: AgreementDecision, reason?: string): Promise<AgreementDecided> {
    const rule = DECISIONS[decision];
    const why = reason?.trim() || null;
    if (rule.reason && !why) throw new AdminException('reason_required');
    const decided = await inTransaction(this.db, async (tx) => {
      const agreement = await this.repo.findVisible(tenantId, id, tx, true);
      if (!agreement || agreement.provider_tenant_id !== tenantId) throw new AdminException('agreement_not_found');
      if (agreement.data_use_status === 'retired' && decision !== 'retire') throw new AdminException('data_use_retired');
      const state = await this.repo.transition(tx, id, rule.from, rule.to, adminIdOf(actor), why);
      if (!state) throw new AdminException('agreement_transition_invalid');
      const items = decision === 'approve' ? agreement.requested_items : agreement.items;
      await this.repo.addEvent(tx, { agreementId: id, action: rule.event, items, revision: agreement.requested_revision, reason: why, actorAdminId: adminIdOf(actor), actorTenantId: tenantId });
      await this.audit.record({
        type: 'admin.change', actor: auditActorOf(actor), tenantId, subject: id, outcome: 'success',
        details: { action: `agreement.${decision}`, dataUse: agreement.data_use_code, consumerTenantId: agreement.consumer_tenant_id, items, reason: why },
      }, tx);
      return (await this.repo.findVisible(tenantId, id, tx))!;
    });
    this.catalog.invalidate();
    this.logger.log(LogKind.Operation, `Agreement ${decision}`, { agreementId: id, dataUse: decided.data_use_code });
    return { agreement: decided, decision };
  }

  /**
   * For the grant path, inside its transaction: an approved agreement of the providing tenant
   * covers every item. The rows stay share-locked until the grant commits (see the repository).
   */
  covers(q: Queryable, dataUseId: string, providerTenantId: string, items: string[]): Promise<boolean> {
    return this.repo.covers(q, dataUseId, providerTenantId, items);
  }
}
