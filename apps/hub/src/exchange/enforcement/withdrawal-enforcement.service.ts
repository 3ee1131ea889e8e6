import { Injectable } from '@nestjs/common';
import type { ConsentEnforcementView } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { AcknowledgementWait } from './enforcement-bounds';
import { EnforcementRepository, type EnforcementRow } from './enforcement.repository';

/** A consent change the caller has just seen committed. */
export interface CommittedChange {
  consentId: string;
  version: number;
  /** When the caller knew the change was committed (after the write returned). */
  committedAt: Date;
}

/**
 * Enforce, then answer (ARCHITECTURE.md §6). After a consent change that stops data commits, the
 * dispatcher (woken by the commit) pushes it to every connector holding or serving a grant under
 * the consent; `enforce` waits, at most REVOCATION_ACK_WAIT_MS, until each has acknowledged, and
 * says what the resident may be told: enforced everywhere now, or by when at the latest.
 *
 * "By when" for a provider that has not acknowledged is the first of: the commit plus the
 * staleness bound the hub imposes on providers (REVOCATION_STALENESS_SECONDS, sent in every feed
 * page: a feed read that starts after the commit carries the change, so a provider that has not
 * learnt it stops being fresh by then and refuses), and the expiry of the grant it serves (with
 * the clock tolerance it accepts grants with). A consumer only held a grant; the provider refuses
 * it from its own moment on, and it lapses with the grant (enforcement-bounds.ts).
 */
@Injectable()
export class WithdrawalEnforcementService {
  private readonly logger = new AppLogger(WithdrawalEnforcementService.name);

  constructor(private readonly repo: EnforcementRepository, private readonly acks: AcknowledgementWait) {}

  /**
   * Waits (bounded) for the acknowledgements of the change and records what the resident is
   * told. Undefined when the version stops nothing (a first opt-in has no outbox row). Never
   * throws: the change is committed whatever happens here, and if its state cannot be read the
   * resident is told the bound that holds regardless (the staleness rule).
   */
  async enforce(change: CommittedChange): Promise<ConsentEnforcementView | undefined> {
    try {
      return await this.waitForAcks(change);
    } catch (error) {
      this.logger.error('Could not follow the enforcement of a consent change; answering with the staleness bound', error, { consentId: change.consentId, version: change.version });
      return {
        consentId: change.consentId, version: change.version, committedAt: change.committedAt.toISOString(), complete: false, enforcedAt: null,
        enforcedBy: this.acks.stalenessBound(change.committedAt).toISOString(), connectors: [],
      };
    }
  }

  private async waitForAcks(change: CommittedChange): Promise<ConsentEnforcementView | undefined> {
    const first = await this.repo.findByVersion(change.consentId, change.version);
    if (!first) return undefined;
    const load = async () => (await this.repo.findByVersion(change.consentId, change.version))!;
    const row = await this.acks.untilAcknowledged(first, change.committedAt, load);
    const view = this.view(row, change.committedAt);
    await this.repo.recordAnswer(row.seq, change.committedAt, new Date(view.enforcedBy));
    if (!view.complete) {
      this.logger.warn(LogKind.Communication, 'Withdrawal answered before every provider acknowledged', {
        consentId: change.consentId, version: change.version, enforcedBy: view.enforcedBy,
        pending: view.connectors.filter((c) => c.state !== 'enforced').map((c) => c.connectorId),
      });
    }
    return view;
  }

  /** The enforcement of one consent version as it stands now (the consent page after the answer, the receipt). */
  async statusOf(consentId: string, version: number): Promise<ConsentEnforcementView | undefined> {
    const row = await this.repo.findByVersion(consentId, version);
    // A change no resident waited for (a sweep of the platform's): it was committed by the time it was dispatched.
    return row && this.view(row, row.committed_at ?? row.dispatched_at ?? this.acks.now());
  }

  private view(row: EnforcementRow, committedAt: Date): ConsentEnforcementView {
    return { consentId: row.consent_id, version: row.version, ...this.acks.summary(row, committedAt) };
  }
}
