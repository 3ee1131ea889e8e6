import { Injectable } from '@nestjs/common';
import { AgreementsService, type AgreementDecided, type AgreementDecision } from '../catalog/agreements.service';
import type { CatalogActor } from '../catalog/catalog-actor';
import { type DataUseChange, DataUsesService } from '../catalog/data-uses.service';
import { ConsentService } from './consent.service';

/**
 * The catalog changes that reach residents' consents (ARCHITECTURE.md §4): a data use's new terms
 * pause the consents given before them; a suspended agreement pauses every consent under it; a
 * retired data use or agreement ends them. Each paused or ended consent gets its new version and
 * receipt, and its outbox row pushes the revocation to the connectors concerned — the same path
 * as a resident's withdrawal. The catalog change commits first and stops grants by itself (the
 * grant path reads the agreement and the terms revision); the consents follow right after, and
 * the consent sweep (ConsentExpiryScheduler) finishes what a crash in between left.
 */
@Injectable()
export class CatalogChangesService {
  constructor(private readonly uses: DataUsesService, private readonly agreements: AgreementsService, private readonly consents: ConsentService) {}

  async changeDataUse(actor: CatalogActor, tenantId: string, code: string, body: unknown): Promise<DataUseChange & { paused: number }> {
    const change = await this.uses.change(actor, tenantId, code, body);
    const paused = change.needsConsent ? await this.consents.pauseOutdated(change.dataUseId) : 0;
    return { ...change, paused };
  }

  async retireDataUse(actor: CatalogActor, tenantId: string, code: string, reason: string): Promise<{ dataUseId: string; ended: number }> {
    const retired = await this.uses.retire(actor, tenantId, code, reason);
    return { ...retired, ended: await this.consents.endAllForUse(retired.dataUseId, 'data_use_retired') };
  }

  async decideAgreement(actor: CatalogActor, tenantId: string, id: string, decision: AgreementDecision, reason?: string): Promise<AgreementDecided & { consentsChanged: number }> {
    const decided = await this.agreements.decide(actor, tenantId, id, decision, reason);
    const useId = decided.agreement.data_use_id;
    const consentsChanged = decision === 'suspend' ? await this.consents.pauseAllForUse(useId, 'agreement_suspended')
      : decision === 'retire' ? await this.consents.endAllForUse(useId, 'agreement_retired')
        : 0;
    return { ...decided, consentsChanged };
  }
}
