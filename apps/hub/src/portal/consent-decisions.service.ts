import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@tsunagu/common';
import type {
  CollectionMethod, ConsentEnforcementView, ConsentHistoryView, GiveConsentRequest, ReceiptEnvelope, WithdrawConsentRequest,
} from '@tsunagu/contracts';
import { ConsentService, type DecisionResult } from '../consent/consent.service';
import { WithdrawalEnforcementService } from '../exchange/enforcement/withdrawal-enforcement.service';

/** A resident's decision as the portal answers it: committed, and (if it stops data) enforced or bounded. */
export interface PortalDecision extends DecisionResult {
  /** Null for a first opt-in: nothing was flowing that could need stopping. */
  enforcement: ConsentEnforcementView | null;
}

/** A consent's history with the enforcement of its current version, for the consent page. */
export interface ConsentWithEnforcement {
  history: ConsentHistoryView;
  enforcement: ConsentEnforcementView | null;
}

/**
 * The resident's decisions, enforced before they are answered (ARCHITECTURE.md §6): the consent
 * service commits the new version; every version after the first can stop a grant (a withdrawal,
 * a change of items), so the answer waits, bounded, until the connectors holding or serving a
 * grant under the consent have acknowledged, and says honestly by when it is enforced otherwise.
 */
@Injectable()
export class ConsentDecisionsService {
  constructor(
    private readonly consents: ConsentService,
    private readonly enforcement: WithdrawalEnforcementService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async give(residentId: string, request: GiveConsentRequest, method: CollectionMethod): Promise<PortalDecision> {
    return this.enforced(await this.consents.give(residentId, request, method));
  }

  async withdraw(residentId: string, consentId: string, request: WithdrawConsentRequest, method: CollectionMethod): Promise<PortalDecision> {
    return this.enforced(await this.consents.withdraw(residentId, consentId, request, method));
  }

  async history(residentId: string, consentId: string): Promise<ConsentWithEnforcement> {
    const history = await this.consents.history(residentId, consentId);
    const { current } = history;
    return { history, enforcement: current.version > 1 ? await this.enforcement.statusOf(consentId, current.version) ?? null : null };
  }

  /** A receipt with the enforcement of the change it records (the moment of commit and of full enforcement). */
  async receipt(residentId: string, recordId: string): Promise<ReceiptEnvelope & { enforcement: ConsentEnforcementView | null }> {
    const envelope = await this.consents.receipt(residentId, recordId);
    const { id, version } = envelope.receipt.consent;
    return { ...envelope, enforcement: version > 1 || envelope.receipt.event.type !== 'given' ? await this.enforcement.statusOf(id, version) ?? null : null };
  }

  private async enforced(result: DecisionResult): Promise<PortalDecision> {
    const { consent } = result;
    if (consent.version === 1 && consent.state === 'active') return { ...result, enforcement: null };
    const enforcement = await this.enforcement.enforce({ consentId: consent.consentId, version: consent.version, committedAt: this.clock.now() });
    return { ...result, enforcement: enforcement ?? null };
  }
}
