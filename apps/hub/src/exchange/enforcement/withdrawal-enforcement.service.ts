import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@tsunagu/common';
import {
  type ConnectorEnforcementView, type ConsentEnforcementView, type ConsentsEnforcementSummary, GRANT_CLOCK_TOLERANCE_SECONDS,
} from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { type EnforcementDeliveryRow, EnforcementRepository, type EnforcementRow } from './enforcement.repository';
import { RevocationSignals } from './revocation-signals';

/** A consent change the caller has just seen committed. */
export interface CommittedChange {
  consentId: string;
  version: number;
  /** When the caller knew the change was committed (after the write returned). */
  committedAt: Date;
}

/** How often a waiting answer looks again without a signal (another replica claimed the row and did not notify). */
const RECHECK_MS = 50;

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
 * it from its own moment on, and it lapses with the grant.
 */
@Injectable()
export class WithdrawalEnforcementService {
  private readonly logger = new AppLogger(WithdrawalEnforcementService.name);

  constructor(
    private readonly repo: EnforcementRepository,
    private readonly signals: RevocationSignals,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

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
        enforcedBy: this.stalenessBound(change.committedAt).toISOString(), connectors: [],
      };
    }
  }

  private async waitForAcks(change: CommittedChange): Promise<ConsentEnforcementView | undefined> {
    const load = async () => {
      const row = await this.repo.findByVersion(change.consentId, change.version);
      return row ? [row] : [];
    };
    const [row] = await this.waitUntilSettled(load, change.committedAt);
    if (!row) return undefined;
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

  /** Where the outbox stands now: `enforceDataUse` then follows what a catalog change writes after it. */
  mark(): Promise<string> {
    return this.repo.currentSeq();
  }

  /**
   * The same for a catalog change that paused or ended many consents of one data use (written
   * after `afterSeq`): waits, bounded, for all of them, and sums up what the admin is told.
   */
  async enforceDataUse(dataUseId: string, afterSeq: string, committedAt: Date): Promise<ConsentsEnforcementSummary> {
    try {
      const rows = await this.waitUntilSettled(() => this.repo.findForUseAfter(dataUseId, afterSeq), committedAt);
      const views = rows.map((row) => this.view(row, row.committed_at ?? committedAt));
      await this.repo.recordAnswers(views.map((v, i) => ({ seq: rows[i].seq, enforceBy: new Date(v.enforcedBy) })), committedAt);
      const complete = views.every((v) => v.complete);
      const latest = (dates: string[]) => new Date(Math.max(committedAt.getTime(), ...dates.map((d) => Date.parse(d)))).toISOString();
      const providers = new Set(views.flatMap((v) => v.connectors.filter((c) => c.role === 'provider').map((c) => c.connectorId)));
      return {
        consents: views.length, complete, providers: providers.size,
        enforcedAt: complete ? latest(views.map((v) => v.enforcedAt!)) : null,
        enforcedBy: latest(views.map((v) => v.enforcedBy)),
      };
    } catch (error) {
      this.logger.error('Could not follow the enforcement of a catalog change; answering with the staleness bound', error, { dataUseId });
      return { consents: 0, complete: false, providers: 0, enforcedAt: null, enforcedBy: this.stalenessBound(committedAt).toISOString() };
    }
  }

  /** Reloads the rows until each is dispatched and acknowledged by every connector, or the wait is over. */
  private async waitUntilSettled(load: () => Promise<EnforcementRow[]>, committedAt: Date): Promise<EnforcementRow[]> {
    const deadline = committedAt.getTime() + this.config.REVOCATION_ACK_WAIT_MS;
    let rows = await load();
    while (rows.length && !rows.every((row) => this.settled(row)) && this.clock.now().getTime() < deadline) {
      const waiting = rows.find((row) => !this.settled(row))!;
      await this.progressOf(waiting.seq, Math.min(RECHECK_MS, deadline - this.clock.now().getTime()));
      rows = await load();
    }
    return rows;
  }

  /** The enforcement of one consent version as it stands now (the consent page after the answer, the receipt). */
  async statusOf(consentId: string, version: number): Promise<ConsentEnforcementView | undefined> {
    const row = await this.repo.findByVersion(consentId, version);
    // A change no resident waited for (a sweep of the platform's): it was committed by the time it was dispatched.
    return row && this.view(row, row.committed_at ?? row.dispatched_at ?? this.clock.now());
  }

  /** Dispatched, and every connector acknowledged. */
  private settled(row: EnforcementRow): boolean {
    return !!row.dispatched_at && row.deliveries.every((d) => d.acked_at);
  }

  /** Resolves at the next signal of this outbox row, or after `ms`. */
  private progressOf(seq: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, ms));
      const unsubscribe = this.signals.onProgress((progressed) => {
        if (progressed === seq) done();
      });
    });
  }

  private view(row: EnforcementRow, committedAt: Date): ConsentEnforcementView {
    const now = this.clock.now().getTime();
    const connectors: ConnectorEnforcementView[] = row.deliveries.map((d) => {
      const at = d.acked_at ?? this.latestAction(d, committedAt);
      return {
        connectorId: d.connector_id, role: d.role, service: { ja: d.service_name_ja, en: d.service_name_en },
        state: d.acked_at ? 'enforced' : at.getTime() > now ? 'pending' : 'lapsed', at: at.toISOString(),
      };
    });
    const providers = row.deliveries.filter((d) => d.role === 'provider');
    // Not dispatched yet (the dispatcher is behind): every possible provider is bounded by the staleness rule.
    const complete = !!row.dispatched_at && providers.every((d) => d.acked_at);
    const enforcedAt = complete ? row.enforced_at ?? maxDate([committedAt, ...providers.map((d) => d.acked_at!)]) : null;
    const enforcedBy = enforcedAt
      ?? (row.dispatched_at
        ? maxDate(providers.map((d) => d.acked_at ?? this.latestAction(d, committedAt)))
        : this.stalenessBound(committedAt));
    return {
      consentId: row.consent_id, version: row.version, committedAt: committedAt.toISOString(), complete,
      enforcedAt: enforcedAt?.toISOString() ?? null, enforcedBy: (row.enforce_by && !complete ? maxDate([row.enforce_by, enforcedBy]) : enforcedBy).toISOString(), connectors,
    };
  }

  /** The latest moment a connector that has not acknowledged can still act under the consent. */
  private latestAction(d: EnforcementDeliveryRow, committedAt: Date): Date {
    const grantEnd = d.grant_expires_at ? new Date(d.grant_expires_at.getTime() + GRANT_CLOCK_TOLERANCE_SECONDS * 1000) : undefined;
    if (d.role === 'consumer') return grantEnd ?? committedAt;
    const stale = this.stalenessBound(committedAt);
    return grantEnd && grantEnd < stale ? grantEnd : stale;
  }

  private stalenessBound(committedAt: Date): Date {
    return new Date(committedAt.getTime() + this.config.REVOCATION_STALENESS_SECONDS * 1000);
  }
}

function maxDate(dates: Date[]): Date {
  return new Date(Math.max(...dates.map((d) => d.getTime())));
}
