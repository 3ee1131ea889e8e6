import { Inject, Injectable } from '@nestjs/common';
import type {
  CollectionMethod, ConsentChangeReason, ConsentHistoryView, ConsentState, ConsentReceipt, ConsentVersionView, ConsentView, DataUseView, GiveConsentRequest,
  ReceiptEnvelope, WithdrawConsentRequest,
} from '@tsunagu/contracts';
import { IDENTITY_LAPSE_REASONS } from '@tsunagu/contracts';
import { CLOCK, type Clock, isUuid, type Queryable } from '@tsunagu/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { ConsentChanges } from './consent-changes';
import { ConsentException } from './consent.exception';
import { ConsentRepository, type ConsentRow, type ConsentWithReceiptRow, type DecisionState, type NewConsentVersion, type NewReceipt, type ReceiptRow } from './consent.repository';
import { DataCatalogService, type ResolvedDataUse } from '../catalog/data-catalog.service';
import { buildReceipt } from './receipt.builder';
import { ReceiptSigner } from './receipt.signer';
import { timeOrderedId } from './time-ordered-id';

const DAY_MS = 86_400_000;
const SWEEP_BATCH = 200;
/** Decisions of one resident racing each other: how often one re-reads before giving up with consent_conflict. */
const MAX_ATTEMPTS = 5;

/** What a decision will write. */
interface Plan {
  next: NewConsentVersion;
  use: ResolvedDataUse;
  principal: string;
}

/** One decision signed and ready to be written. */
interface PreparedDecision {
  supersede?: { versionId: string };
  version: ConsentRow;
  receipt: NewReceipt;
  result: DecisionResult;
}

/** Withdrawals planned for a departure ({@link ConsentService.planWithdrawals}). */
export interface PlannedWithdrawals {
  residentId: string;
  decisions: PreparedDecision[];
}

/** What the grant path learns of the consent that covers a request. */
export interface CoveringConsent {
  consentId: string;
  version: number;
  /** The row of this version (what the provision ledger refers to). */
  versionId: string;
  items: string[];
  validUntil: Date | null;
}

/** A data use with the resident's current consent to it. */
export interface DataUseWithConsent {
  dataUse: DataUseView;
  consent: ConsentView | null;
  /** The data use requires a verified identity and the resident's is not verified now (DataUseWithConsentView). */
  identityRequired?: 'not_verified' | 'lapsed';
}

export interface DecisionResult {
  consent: ConsentView;
  receipt: ReceiptEnvelope;
}

export function decodeReceipt(jws: string): ConsentReceipt {
  return JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8')) as ConsentReceipt;
}

function envelope(row: ReceiptRow): ReceiptEnvelope {
  return { recordId: row.id, jws: row.jws, receipt: decodeReceipt(row.jws) };
}

function sameItems(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function versionView(row: ConsentRow, dataUseCode: string, receiptId: string): ConsentVersionView {
  return {
    consentId: row.consent_id,
    version: row.version,
    state: row.state,
    event: row.event,
    dataUse: dataUseCode,
    dataUseRevision: row.data_use_revision,
    items: row.items,
    purposeCode: row.purpose_code,
    validFrom: new Date(row.valid_from).toISOString(),
    validUntil: row.valid_until ? new Date(row.valid_until).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
    reason: row.reason ?? null,
    receiptId,
  };
}

function consentView(row: ConsentRow, use: ResolvedDataUse, receiptId: string): ConsentView {
  const outdated = row.data_use_revision < use.row.consent_revision;
  return { ...versionView(row, use.row.code, receiptId), needsReconsent: row.state === 'paused' || (row.state === 'active' && outdated) };
}

/**
 * Residents' consents: opt-in and opt-out, every change a new version with a signed receipt in
 * the resident's hash chain; re-consent when a data use's terms change; expiry; and the check the
 * grant path asks before any data moves.
 */
@Injectable()
export class ConsentService {
  private readonly logger = new AppLogger(ConsentService.name);

  constructor(
    private readonly repo: ConsentRepository,
    private readonly catalog: DataCatalogService,
    private readonly signer: ReceiptSigner,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly changes: ConsentChanges = new ConsentChanges(),
  ) {}

  /**
   * Is there an active consent of this resident to this data use that covers these items for this
   * purpose, valid now and given to the data use's current terms? The grant path's question.
   */
  async findActiveConsentCovering(residentId: string, dataUseId: string, items: string[], purposeCode: string): Promise<CoveringConsent | undefined> {
    if (!items.length || !isUuid(residentId) || !isUuid(dataUseId)) return undefined;
    const row = await this.repo.findActiveCovering(residentId, dataUseId, items, purposeCode, this.clock.now());
    return row && { consentId: row.consent_id, version: row.version, versionId: row.id, items: row.items, validUntil: row.valid_until };
  }

  /** Opt-in (オプトイン) — or a change of items on an active consent. */
  async give(residentId: string, request: GiveConsentRequest, method: CollectionMethod): Promise<DecisionResult> {
    const use = await this.catalog.findActiveUse(request.dataUse);
    if (!use) throw this.dataUseNotFound();
    const items = request.items ?? use.row.items;
    if (!items.length) {
      throw new ConsentException('no_items_selected');
    }
    const outside = items.filter((item) => !use.row.items.includes(item));
    const retired = items.filter((item) => !outside.includes(item) && !use.offers.get(item)?.active);
    if (outside.length || retired.length) {
      throw new ConsentException('items_not_offered', [...outside, ...retired].map((item) => ({ field: 'items', problem: `not offered: ${item}` })));
    }
    if (use.row.requires_verified_identity) {
      // Checked before the decision's transaction (one connection per transaction on the embedded default).
      const identity = await this.repo.identityStatus(residentId);
      if (identity === 'lapsed') throw new ConsentException('identity_verification_required');
      if (identity === 'never') throw new ConsentException('identity_not_verified');
    }
    const principal = await this.prepare(residentId, use);
    const result = await this.decide(() => this.repo.stateForUse(residentId, use.row.id), (state) => {
      const current = state!.current;
      this.checkExpected(request.expectedVersion, current);
      if (state!.useRevision !== use.row.revision) {
        // The terms changed since our copy of the data use was read: the resident must see them first.
        this.catalog.invalidate();
        throw this.conflict();
      }
      const now = this.clock.now();
      const stillValid = !current?.valid_until || new Date(current.valid_until) > now;
      if (current?.state === 'active' && stillValid && current.data_use_revision === use.row.revision && sameItems(current.items, items)) {
        throw new ConsentException('already_consented');
      }
      const validDays = use.row.consent_valid_days;
      return {
        use, principal,
        next: {
          consent_id: current?.consent_id ?? timeOrderedId(),
          version: (current?.version ?? 0) + 1,
          tenant_id: use.row.tenant_id,
          resident_id: residentId,
          data_use_id: use.row.id,
          data_use_revision: use.row.revision,
          state: 'active',
          event: 'given',
          // Kept in the data use's order, whatever order the form sent them in.
          items: use.row.items.filter((item) => items.includes(item)),
          purpose_code: use.row.purpose_code,
          valid_from: now,
          valid_until: validDays ? new Date(now.getTime() + validDays * DAY_MS) : null,
          collection_method: method,
          language: request.language ?? 'ja',
          reason: null,
          created_at: now,
        },
      };
    });
    this.logger.log(LogKind.Operation, 'Consent given', { residentId, dataUse: use.row.code, consentId: result!.consent.consentId, version: result!.consent.version });
    return result!;
  }

  /** Opt-out (オプトアウト): withdraws an active (or paused) consent. */
  async withdraw(residentId: string, consentId: string, request: WithdrawConsentRequest, method: CollectionMethod): Promise<DecisionResult> {
    const result = await this.decide(() => this.repo.stateForConsent(residentId, consentId), async (state) => {
      const current = state?.current;
      if (!state || !current) throw this.consentNotFound();
      this.checkExpected(request.expectedVersion, current);
      if (current.state !== 'active' && current.state !== 'paused') {
        throw new ConsentException('consent_not_active');
      }
      const use = (await this.catalog.findUsesByIds([state.dataUseId])).get(state.dataUseId)!;
      const now = this.clock.now();
      return {
        use, principal: await this.prepare(residentId, use),
        next: { ...this.successor(current, now), state: 'withdrawn', event: 'withdrawn', valid_until: now, collection_method: method, reason: null },
      };
    });
    this.logger.log(LogKind.Operation, 'Consent withdrawn', { residentId, dataUse: result!.consent.dataUse, consentId, version: result!.consent.version });
    return result!;
  }

  /**
   * Pauses every active consent given before the data use's last change of terms
   * (`consent_revision`): each gets a new version with a receipt, and its resident is asked again.
   * Safe to run anywhere, any time.
   */
  async pauseOutdated(dataUseId: string): Promise<number> {
    this.catalog.invalidate();
    const use = (await this.catalog.findUsesByIds([dataUseId])).get(dataUseId);
    if (!use) return 0;
    return this.sweep((limit) => this.repo.listOutdatedActive(dataUseId, use.row.consent_revision, limit), use, 'paused', 'terms_changed');
  }

  /**
   * Pauses every active consent to the data use (its agreement was suspended, an offer of it
   * withdrawn): nothing flows under them, and residents decide again once it may run again.
   */
  async pauseAllForUse(dataUseId: string, reason: ConsentChangeReason): Promise<number> {
    this.catalog.invalidate();
    const use = (await this.catalog.findUsesByIds([dataUseId])).get(dataUseId);
    if (!use) return 0;
    return this.sweep((limit) => this.repo.listCurrentForUse(dataUseId, ['active'], limit), use, 'paused', reason);
  }

  /** Ends every active or paused consent to the data use (it, or its agreement, was retired). */
  async endAllForUse(dataUseId: string, reason: ConsentChangeReason): Promise<number> {
    this.catalog.invalidate();
    const use = (await this.catalog.findUsesByIds([dataUseId])).get(dataUseId);
    if (!use) return 0;
    return this.sweep((limit) => this.repo.listCurrentForUse(dataUseId, ['active', 'paused'], limit), use, 'ended', reason);
  }

  /**
   * Pauses what {@link pauseOutdated} missed for every data use: an opt-in that committed while the
   * terms were being changed on another replica. (The grant-path check refuses such a consent anyway.)
   */
  async pauseAllOutdated(): Promise<number> {
    let paused = 0;
    for (const use of await this.catalog.listActiveUses()) paused += await this.pauseOutdated(use.row.id);
    return paused;
  }

  /**
   * Finishes what a catalog change started and a crash interrupted (the catalog committed, the
   * consents were not swept yet): ends consents of retired data uses or agreements, pauses those
   * under a suspended agreement. The grant path refused them already; this writes their versions,
   * receipts and revocation pushes.
   */
  async reconcileCatalog(): Promise<number> {
    let changed = 0;
    for (const left of await this.repo.listCatalogLeftovers()) {
      changed += left.action === 'ended' ? await this.endAllForUse(left.data_use_id, left.reason) : await this.pauseAllForUse(left.data_use_id, left.reason);
    }
    return changed;
  }

  /** Ends, batch by batch, what `list` finds; a consent the resident changed meanwhile is left to them. */
  private async sweep(list: (limit: number) => Promise<ConsentRow[]>, use: ResolvedDataUse, to: 'paused' | 'ended', reason: ConsentChangeReason): Promise<number> {
    let changed = 0;
    for (;;) {
      const batch = await list(SWEEP_BATCH);
      if (!batch.length) break;
      let progressed = 0;
      for (const row of batch) if (await this.endBySystem(row, use, to, reason)) progressed++;
      changed += progressed;
      // A row the resident changed meanwhile is no longer listed; none progressed means none are left to change.
      if (batch.length < SWEEP_BATCH || !progressed) break;
    }
    if (changed) this.logger.log(LogKind.Operation, `Consents ${to} by the platform`, { dataUse: use.row.code, reason, count: changed });
    return changed;
  }

  /**
   * The resident's identity verification lapsed (card certificate revoked or expired): pauses each
   * active consent to a data use that requires a verified identity, with a signed receipt saying
   * why. The paused versions go through the revocation outbox like a withdrawal.
   */
  async pauseForIdentityLapse(residentId: string, reason: 'identity_certificate_revoked' | 'identity_certificate_expired'): Promise<number> {
    const rows = await this.repo.listCurrentRequiringIdentity(residentId, ['active']);
    const uses = await this.catalog.findUsesByIds(rows.map((r) => r.data_use_id));
    let paused = 0;
    for (const row of rows) if (await this.endBySystem(row, uses.get(row.data_use_id)!, 'paused', reason)) paused++;
    if (paused) this.logger.log(LogKind.Operation, 'Consents paused: identity verification lapsed', { residentId, reason, count: paused });
    return paused;
  }

  /**
   * The resident verified again with a valid card: each consent paused because the verification
   * lapsed is active again (a new version, receipt reason `identity_reverified`) — unless the data
   * use was retired, its terms changed meanwhile, or the consent's validity ended: those stay as
   * they are, for the resident to decide.
   */
  async resumeAfterVerification(residentId: string): Promise<number> {
    this.catalog.invalidate();
    const rows = await this.repo.listPausedFor(residentId, IDENTITY_LAPSE_REASONS);
    const uses = await this.catalog.findUsesByIds(rows.map((r) => r.data_use_id));
    let resumed = 0;
    for (const seen of rows) {
      const use = uses.get(seen.data_use_id);
      if (!use || !use.row.active || seen.data_use_revision < use.row.consent_revision) continue;
      const principal = await this.prepare(residentId, use);
      const result = await this.decide(() => this.repo.stateForUse(residentId, seen.data_use_id), (state) => {
        const current = state?.current;
        if (current?.id !== seen.id || current.state !== 'paused') return undefined;
        const now = this.clock.now();
        if (current.valid_until && new Date(current.valid_until) <= now) return undefined;
        return { use, principal, next: { ...this.successor(current, now), state: 'active', event: 'given', collection_method: 'system', reason: 'identity_reverified' } };
      });
      if (result) resumed++;
    }
    if (resumed) this.logger.log(LogKind.Operation, 'Consents resumed: identity verified again', { residentId, count: resumed });
    return resumed;
  }

  /** Expires active consents whose validity has ended. Safe to run on every replica at once. */
  async expireDue(limit = 1000): Promise<number> {
    const due = await this.repo.listDueForExpiry(this.clock.now(), limit);
    const uses = await this.catalog.findUsesByIds(due.map((row) => row.data_use_id));
    let expired = 0;
    for (const row of due) if (await this.endBySystem(row, uses.get(row.data_use_id)!, 'expired', null)) expired++;
    if (expired) this.logger.log(LogKind.Operation, 'Consents expired', { expired });
    return expired;
  }

  /** Every active data use, with the resident's current consent to it. */
  async listDataUses(residentId: string): Promise<DataUseWithConsent[]> {
    const [uses, current] = await Promise.all([this.catalog.listActiveUses(), this.repo.listCurrentForResident(residentId)]);
    const byUse = new Map(current.map((row) => [row.data_use_id, row]));
    return this.withIdentity(residentId, uses.map((use) => {
      const row = byUse.get(use.row.id);
      return { dataUse: use.view, consent: row ? consentView(row, use, row.receipt_id) : null };
    }));
  }

  async dataUse(residentId: string, code: string): Promise<DataUseWithConsent> {
    const use = await this.catalog.findActiveUse(code);
    if (!use) throw this.dataUseNotFound();
    const row = (await this.repo.listCurrentForResident(residentId)).find((r) => r.data_use_id === use.row.id);
    return (await this.withIdentity(residentId, [{ dataUse: use.view, consent: row ? consentView(row, use, row.receipt_id) : null }]))[0];
  }

  /** The resident's consents (current version of each), newest decision first. */
  async listConsents(residentId: string): Promise<DataUseWithConsent[]> {
    const rows = await this.repo.listCurrentForResident(residentId);
    const uses = await this.catalog.findUsesByIds(rows.map((row) => row.data_use_id));
    return this.withIdentity(residentId, rows.map((row) => {
      const use = uses.get(row.data_use_id)!;
      return { dataUse: use.view, consent: consentView(row, use, row.receipt_id) };
    }));
  }

  /** Marks the entries whose data use requires a verified identity the resident does not have now (one query, only if any does). */
  private async withIdentity(residentId: string, entries: DataUseWithConsent[]): Promise<DataUseWithConsent[]> {
    if (!entries.some((e) => e.dataUse.requiresVerifiedIdentity)) return entries;
    const identity = await this.repo.identityStatus(residentId);
    if (identity === 'verified') return entries;
    const identityRequired = identity === 'lapsed' ? 'lapsed' as const : 'not_verified' as const;
    return entries.map((e) => (e.dataUse.requiresVerifiedIdentity ? { ...e, identityRequired } : e));
  }

  /** Data uses waiting for the resident: never answered, or paused because their terms changed. */
  async pendingRequests(residentId: string): Promise<{ dataUse: DataUseView; reason: 'new' | 'terms_changed' }[]> {
    return (await this.listDataUses(residentId))
      .filter((entry) => !entry.consent || entry.consent.needsReconsent)
      .map((entry) => ({ dataUse: entry.dataUse, reason: entry.consent ? 'terms_changed' as const : 'new' as const }));
  }

  async history(residentId: string, consentId: string): Promise<ConsentHistoryView> {
    const versions: ConsentWithReceiptRow[] = await this.repo.listVersions(residentId, consentId);
    if (!versions.length) throw this.consentNotFound();
    const use = (await this.catalog.findUsesByIds([versions[0].data_use_id])).get(versions[0].data_use_id)!;
    const current = versions.find((v) => !v.superseded_at) ?? versions[0];
    return {
      consentId,
      dataUse: use.view,
      current: consentView(current, use, current.receipt_id),
      versions: versions.map((v) => versionView(v, use.row.code, v.receipt_id)),
    };
  }

  async receipt(residentId: string, recordId: string): Promise<ReceiptEnvelope> {
    const row = await this.repo.findReceipt(residentId, recordId);
    if (!row) throw new ConsentException('receipt_not_found');
    return envelope(row);
  }

  /** The resident's whole receipt chain, oldest first: what `receipt:verify` checks. */
  async receiptChain(residentId: string): Promise<ReceiptEnvelope[]> {
    return (await this.repo.listReceipts(residentId)).map(envelope);
  }

  /** The public keys that signed receipts (kept after rotation). */
  archivedReceiptKeys(): Promise<Record<string, unknown>[]> {
    return this.repo.listArchivedKeys();
  }

  /**
   * Changes a consent on the system's initiative (paused, expired, ended), unless the resident
   * decided first. Only an active consent is paused or expires; a paused one can still end.
   */
  private async endBySystem(seen: ConsentRow, use: ResolvedDataUse, to: 'paused' | 'expired' | 'ended', reason: ConsentChangeReason | null): Promise<boolean> {
    const principal = await this.prepare(seen.resident_id, use);
    const from: ConsentState[] = to === 'ended' ? ['active', 'paused'] : ['active'];
    const result = await this.decide(() => this.repo.stateForUse(seen.resident_id, seen.data_use_id), (state) => {
      const current = state?.current;
      // The resident decided in the meantime: theirs is the last word.
      if (current?.id !== seen.id || !from.includes(current.state)) return undefined;
      const now = this.clock.now();
      return {
        use, principal,
        next: { ...this.successor(current, now), state: to, event: to, collection_method: 'system', reason, ...(to === 'ended' ? { valid_until: now } : {}) },
      };
    });
    return result !== undefined;
  }

  /** The next version of `current` with the same terms; the caller sets the state and event. */
  private successor(current: ConsentRow, now: Date): NewConsentVersion {
    const { id: _id, superseded_at: _superseded, ...terms } = current;
    return { ...terms, version: current.version + 1, created_at: now, valid_from: new Date(current.valid_from) };
  }

  /** Loads the signing key and computes the principal before the transaction opens. */
  private async prepare(residentId: string, use: ResolvedDataUse): Promise<string> {
    await this.signer.ready();
    return this.signer.principal(residentId, use.row.consumer_sector);
  }

  /**
   * One decision, optimistically: read the state, decide (the rules: `plan` may refuse with an
   * exception, or return nothing to do), sign the receipt, write it all in one statement. If
   * another decision of the same resident was written in between, the database refuses the
   * write and the decision starts again from a fresh read — where `plan` sees the other decision
   * (an `expectedVersion` then no longer matches: consent_conflict).
   */
  private async decide(read: () => Promise<DecisionState | undefined>, plan: (state: DecisionState | undefined) => Plan | undefined | Promise<Plan | undefined>): Promise<DecisionResult | undefined> {
    for (let attempt = 1; ; attempt++) {
      const state = await read();
      const planned = await plan(state);
      if (!planned) return undefined;
      const result = await this.write(state!, planned);
      if (result) return result;
      if (attempt === MAX_ATTEMPTS) throw this.conflict();
    }
  }

  /** Signs the receipt of `next` at the head of the resident's chain and writes both; undefined if another decision came first. */
  private async write(state: DecisionState, plan: Plan): Promise<DecisionResult | undefined> {
    const prepared = await this.signed(state, plan, { sequence: (state.head?.seq ?? 0) + 1, previousReceiptHash: state.head?.hash ?? null });
    const written = await this.repo.writeDecision(prepared.supersede, prepared.version, prepared.receipt);
    if (written === 'conflict') return undefined;
    this.changes.committed();
    return prepared.result;
  }

  /** The new version of `plan` with its receipt signed at the given place of the chain. */
  private async signed(state: DecisionState, { next, use, principal }: Plan, chain: { sequence: number; previousReceiptHash: string | null }): Promise<PreparedDecision> {
    const version: ConsentRow = { ...next, id: timeOrderedId(), superseded_at: null };
    const recordId = timeOrderedId();
    const ending = next.event !== 'given' && state.currentReceiptJws ? decodeReceipt(state.currentReceiptJws) : undefined;
    const receipt = buildReceipt({ recordId, issuer: this.signer.issuer, principal, version, dataUse: use.row, offers: use.offers, chain, agreed: ending });
    const signed = await this.signer.sign(receipt);
    return {
      supersede: state.current && { versionId: state.current.id }, version,
      receipt: { id: recordId, seq: chain.sequence, kid: signed.kid, jws: signed.jws, hash: signed.hash, prev_hash: chain.previousReceiptHash },
      result: { consent: consentView(version, use, recordId), receipt: { recordId, jws: signed.jws, receipt } },
    };
  }

  /**
   * A departure's withdrawals (退会, docs/erasure.md): every consent of the resident that still lets
   * data move, withdrawn with its receipt, one after the other in the resident's chain. Read and
   * signed here, before the departure's transaction opens (one connection per transaction);
   * {@link writeWithdrawals} writes them on that transaction, where a decision that came in
   * between makes the whole departure start again.
   */
  async planWithdrawals(residentId: string, method: CollectionMethod, only?: { dataUseIds: ReadonlySet<string>; reason: ConsentChangeReason }): Promise<PlannedWithdrawals> {
    // A tenant leaving withdraws only the consents to its data uses (docs/erasure.md "Tenants leaving").
    const states = (await this.repo.openStates(residentId)).filter((s) => !only || only.dataUseIds.has(s.dataUseId));
    const uses = await this.catalog.findUsesByIds([...new Set(states.map((s) => s.dataUseId))]);
    const now = this.clock.now();
    let head = states[0]?.head;
    const decisions: PreparedDecision[] = [];
    for (const state of states) {
      const use = uses.get(state.dataUseId)!;
      const plan: Plan = {
        use, principal: await this.prepare(residentId, use),
        next: { ...this.successor(state.current!, now), state: 'withdrawn', event: 'withdrawn', valid_until: now, collection_method: method, reason: only?.reason ?? null },
      };
      const decision = await this.signed(state, plan, { sequence: (head?.seq ?? 0) + 1, previousReceiptHash: head?.hash ?? null });
      decisions.push(decision);
      head = { seq: decision.receipt.seq, hash: decision.receipt.hash };
    }
    return { residentId, decisions };
  }

  /** Writes planned withdrawals on the caller's transaction: 'conflict' when the resident's consents changed since they were planned (plan again). */
  async writeWithdrawals(tx: Queryable, planned: PlannedWithdrawals): Promise<'written' | 'conflict'> {
    // In tenant order: the dashboard's rollup rows are locked per tenant (migration DashboardRollup1764590000000),
    // and two departures that took two tenants' rows in opposite orders could wait on each other.
    const byTenant = [...planned.decisions].sort((a, b) => (a.version.tenant_id < b.version.tenant_id ? -1 : a.version.tenant_id > b.version.tenant_id ? 1 : 0));
    for (const d of byTenant) {
      if (await this.repo.writeDecision(d.supersede, d.version, d.receipt, tx) === 'conflict') return 'conflict';
    }
    return 'written';
  }

  /** After the caller's transaction committed planned withdrawals: wakes the revocation dispatcher. */
  withdrawalsCommitted(planned: PlannedWithdrawals): DecisionResult[] {
    if (planned.decisions.length) this.changes.committed();
    for (const d of planned.decisions) {
      this.logger.log(LogKind.Operation, 'Consent withdrawn', { residentId: planned.residentId, dataUse: d.result.consent.dataUse, consentId: d.version.consent_id, version: d.version.version });
    }
    return planned.decisions.map((d) => d.result);
  }

  private checkExpected(expected: number | undefined, current: ConsentRow | undefined): void {
    if (expected !== undefined && expected !== (current?.version ?? 0)) throw this.conflict();
  }

  private conflict() {
    return new ConsentException('consent_conflict');
  }

  private dataUseNotFound() {
    return new ConsentException('data_use_not_found');
  }

  private consentNotFound() {
    return new ConsentException('consent_not_found');
  }
}
