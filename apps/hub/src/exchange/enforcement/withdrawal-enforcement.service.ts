import { Injectable } from '@nestjs/common';
import { type ConsentEnforcementView, type ConsentsEnforcementSummary, ENFORCEMENT_JWS_TYPE, type EnforcementStatement } from '@tsunagu/contracts';
import { ReceiptSigner } from '../../consent/receipt.signer';
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

  constructor(
    private readonly repo: EnforcementRepository,
    private readonly acks: AcknowledgementWait,
    private readonly signer: ReceiptSigner,
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
        enforcedBy: this.acks.stalenessBound(change.committedAt).toISOString(), connectors: [], statement: null,
      };
    }
  }

  private async waitForAcks(change: CommittedChange): Promise<ConsentEnforcementView | undefined> {
    const load = async () => {
      const row = await this.repo.findByVersion(change.consentId, change.version);
      return row ? [row] : [];
    };
    const [row] = await this.acks.untilAcknowledged(load, change.committedAt);
    if (!row) return undefined;
    const view = await this.answer([row], change.committedAt).then(([v]) => v);
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
      const rows = await this.acks.untilAcknowledged(() => this.repo.findForUseAfter(dataUseId, afterSeq), committedAt);
      const views = await this.answer(rows, committedAt);
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
      return { consents: 0, complete: false, providers: 0, enforcedAt: null, enforcedBy: this.acks.stalenessBound(committedAt).toISOString() };
    }
  }

  /**
   * What is answered for these rows now: their views, each with the hub's signed statement of the
   * moments (the receipt keys), recorded with the promise before the answer goes out.
   */
  private async answer(rows: EnforcementRow[], committedAt: Date): Promise<ConsentEnforcementView[]> {
    const issuedAt = this.acks.now().toISOString();
    const views = await Promise.all(rows.map(async (row) => {
      const view = this.view(row, row.committed_at ?? committedAt);
      if (row.enforcement_jws) return view;
      const statement: EnforcementStatement = {
        issuer: this.signer.issuer, issuedAt, receipt: { recordId: row.receipt_id, hash: row.receipt_hash }, consent: { id: row.consent_id, version: row.version },
        committedAt: view.committedAt, complete: view.complete, enforcedAt: view.enforcedAt, enforcedBy: view.enforcedBy,
        connectors: view.connectors.map((c) => ({ id: c.connectorId, role: c.role, state: c.state, at: c.at })),
      };
      return { ...view, statement: await this.signer.signStatement(ENFORCEMENT_JWS_TYPE, statement) };
    }));
    await this.repo.recordAnswers(views.map((v, i) => ({ seq: rows[i].seq, enforceBy: new Date(v.enforcedBy), statement: v.statement! })), committedAt);
    return views;
  }

  /** The enforcement of one consent version as it stands now (the consent page after the answer, the receipt). */
  async statusOf(consentId: string, version: number): Promise<ConsentEnforcementView | undefined> {
    const row = await this.repo.findByVersion(consentId, version);
    // A change no resident waited for (a sweep of the platform's): it was committed by the time it was dispatched.
    return row && this.view(row, row.committed_at ?? row.dispatched_at ?? this.acks.now());
  }

  private view(row: EnforcementRow, committedAt: Date): ConsentEnforcementView {
    return { consentId: row.consent_id, version: row.version, ...this.acks.summary(row, committedAt), statement: row.enforcement_jws };
  }
}
