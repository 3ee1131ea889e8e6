import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeJwt } from 'jose';
import { CLOCK, type Clock } from '@tsunagu/common';
import {
  type ConsentEnforcementView, ERASURE_CERTIFICATE_JWS_TYPE, type ErasureApplied, type ErasureCertificateDocument, type RevocationAckClaims,
} from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { AuditService } from '../../audit/audit.service';
import { ConsentService, type PlannedWithdrawals } from '../../consent/consent.service';
import { ReceiptSigner } from '../../consent/receipt.signer';
import { RevocationSignals } from '../../exchange/enforcement/revocation-signals';
import { WithdrawalEnforcementService } from '../../exchange/enforcement/withdrawal-enforcement.service';
import { ResidentAccessService } from '../../identity/oidc/resident-access.service';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { KeysService } from '../../platform/keys/keys.service';
import { buildErasureCertificate } from '../erasure/erasure-certificate.builder';
import { DepartureException } from './departure.exception';
import { type DepartureRow, DepartureRepository, type ErasureTargetRow, type LeavePreviewRow, type NewDeparture } from './departure.repository';

/** Tries of a departure whose consents changed while it was written. */
const MAX_ATTEMPTS = 5;

/** Raised inside the transaction to roll it back and plan again. */
class ConsentsChanged extends Error {}

/** What the portal shows after (and while) a departure: the withdrawals' enforcement and each connector's erasure. */
export interface DepartureStatus {
  departureId: string;
  reason: 'departure' | 'deceased';
  committedAt: string;
  /** The link (with its key) where the resident downloads the certificate once issued: it works after the account is gone. */
  certificateKey: string;
  certificateId: string | null;
  certifiedAt: string | null;
  /** Until when the hub waits for acknowledgements before it issues the certificate anyway. */
  certifyAfter: string;
  connectors: { connectorId: string; name: { ja: string; en: string }; responsible: { ja: string; en: string }; state: 'erased' | 'pending' | 'sending'; at: string | null }[];
}

/** The answer to a departure: committed, its withdrawals enforced (or bounded), erasure under way. */
export interface DepartureOutcome {
  status: DepartureStatus;
  /** The enforcement of each withdrawal, as a single withdrawal answers it (ARCHITECTURE.md §6). */
  withdrawals: ConsentEnforcementView[];
}

/**
 * Leaving the platform (退会) and erasure for a deceased resident (死者情報), docs/erasure.md. One
 * transaction withdraws every consent (the consent service's withdrawal, receipts in the chain,
 * rows in the revocation outbox: the withdrawal enforcement applies as to any withdrawal),
 * removes every link, writes one erasure request per connector that received or served data
 * about the resident (from the provision ledger) and erases the resident's own records in the
 * hub. After the commit, the processor (DepartureProcessor, also after a restart) ends the
 * services' access and the sessions, and issues the signed certificate when every connector has
 * acknowledged — or when ERASURE_ACK_WAIT_SECONDS have passed, naming those that did not.
 */
@Injectable()
export class DepartureService {
  private readonly logger = new AppLogger(DepartureService.name);
  private secret?: Promise<string>;

  constructor(
    private readonly db: DataSource,
    private readonly repo: DepartureRepository,
    private readonly consents: ConsentService,
    private readonly enforcement: WithdrawalEnforcementService,
    private readonly signals: RevocationSignals,
    private readonly access: ResidentAccessService,
    private readonly signer: ReceiptSigner,
    private readonly keys: KeysService,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(HUB_CONFIG) private readonly config: Pick<HubConfig, 'ERASURE_ACK_WAIT_SECONDS' | 'AUDIT_RETENTION_DAYS'>,
  ) {}

  /** What leaving will do (the confirmation page). */
  preview(residentId: string): Promise<LeavePreviewRow> {
    return this.repo.preview(residentId);
  }

  /** The resident leaves (the portal's confirmed form). `already_departed` the second time. */
  async leave(residentId: string, confirm?: string): Promise<DepartureOutcome> {
    if (confirm !== 'yes') throw new DepartureException('departure_not_confirmed');
    return this.depart({ residentId, reason: 'departure' }, 'portal-form', { kind: 'resident', id: residentId });
  }

  /**
   * A system admin records a resident as deceased on a documented request (requester, document,
   * date), after confirming the irreversible step; handled as a departure, the certificate kept
   * for the requester (the system admin looks it up by its ID).
   */
  async recordDeceased(adminId: string, input: { commonId: string; requester: string; document: string; receivedOn: string; confirm?: string }): Promise<DepartureOutcome> {
    const requester = plain(input.requester);
    const document = plain(input.document);
    const today = new Date(this.clock.now().getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
    if (!requester || !document || !/^\d{4}-\d{2}-\d{2}$/.test(input.receivedOn) || Number.isNaN(Date.parse(input.receivedOn)) || input.receivedOn > today) {
      throw new DepartureException('departure_request_invalid');
    }
    if (input.confirm !== 'yes') throw new DepartureException('departure_not_confirmed');
    const commonId = input.commonId.trim();
    const resident = /^\d{16}$/.test(commonId) ? await this.repo.findResidentByCommonId(commonId) : undefined;
    if (!resident) throw new DepartureException('departure_resident_not_found');
    return this.depart(
      { residentId: resident.id, reason: 'deceased', confirmedBy: adminId, request: { requester, document, receivedOn: input.receivedOn } }, 'system', { kind: 'admin', id: adminId });
  }

  private async depart(v: Omit<NewDeparture, 'certifyAfter'>, method: 'portal-form' | 'system', actor: { kind: 'resident' | 'admin'; id: string }): Promise<DepartureOutcome> {
    for (let attempt = 1; ; attempt++) {
      const existing = await this.repo.findByResident(v.residentId);
      if (existing) throw new DepartureException('already_departed');
      // Read and signed before the transaction opens (one connection per transaction).
      const planned = await this.consents.planWithdrawals(v.residentId, method);
      await this.signer.ready();
      try {
        const committed = await this.db.transaction(async (tx) => {
          const resident = await this.repo.lockResident(tx, v.residentId);
          if (!resident) throw new DepartureException('departure_resident_not_found');
          if (resident.departed) throw new DepartureException('already_departed');
          if (await this.consents.writeWithdrawals(tx, planned) === 'conflict') throw new ConsentsChanged();
          const certifyAfter = new Date(this.clock.now().getTime() + this.config.ERASURE_ACK_WAIT_SECONDS * 1000);
          const result = await this.repo.commit(tx, { ...v, certifyAfter });
          await this.audit.record({
            type: v.reason === 'deceased' ? 'resident.deceased_recorded' : 'resident.departed', actor, subject: v.residentId, outcome: 'success',
            details: { departureId: result.departureId, consentsWithdrawn: planned.decisions.length, erasureRequests: result.erasureRequests },
          }, tx);
          return result;
        });
        return await this.committed(v.residentId, committed.departureId, planned);
      } catch (error) {
        if (!(error instanceof ConsentsChanged) && !isConflict(error)) throw error;
        if (attempt === MAX_ATTEMPTS) throw new DepartureException('departure_conflict');
      }
    }
  }

  /** After the commit: wake the dispatcher, end the services' access, and answer once the withdrawals are enforced (bounded). */
  private async committed(residentId: string, departureId: string, planned: PlannedWithdrawals): Promise<DepartureOutcome> {
    const committedAt = this.clock.now();
    const results = this.consents.withdrawalsCommitted(planned);
    this.signals.outboxWritten();
    this.logger.log(LogKind.Operation, 'Resident departed', { residentId, departureId, consentsWithdrawn: results.length });
    const [withdrawals] = await Promise.all([
      Promise.all(results.map((r) => this.enforcement.enforce({ consentId: r.consent.consentId, version: r.consent.version, committedAt }))),
      // The processor would do it within a second; doing it now ends the services' sessions before the answer.
      this.followUp(departureId).catch((error) => this.logger.error('Departure follow-up failed; the processor retries', error, { departureId })),
    ]);
    return { status: await this.statusOf(departureId), withdrawals: withdrawals.filter((w): w is ConsentEnforcementView => !!w) };
  }

  /**
   * The work after the commit, for one open departure (the processor calls it for each, again
   * after a restart; every step is safe to repeat): end the services' access and the resident's
   * sessions; send erasure requests for provisions reported late; issue the certificate when
   * every connector acknowledged or the wait is over.
   */
  async followUp(departureId: string): Promise<void> {
    let departure = await this.repo.findById(departureId);
    if (!departure) return;
    if (!departure.access_revoked_at) {
      const { grants } = await this.access.revokeAll(departure.resident_id);
      await this.repo.markAccessRevoked(departure.id, grants);
    }
    if (!departure.sessions_ended_at) {
      await this.repo.markSessionsEnded(departure.id, await this.access.endSessions(departure.resident_id));
    }
    if (departure.certified_at) return;
    if (await this.repo.addLateErasureRequests(departure.id, departure.resident_id)) this.signals.outboxWritten();
    departure = (await this.repo.findById(departureId))!;
    const targets = await this.repo.targets(departure.id);
    const allAcked = targets.every((t) => t.acked_at);
    if (!allAcked && this.clock.now() < new Date(departure.certify_after)) return;
    await this.issue(departure, targets);
  }

  private async issue(departure: DepartureRow, targets: ErasureTargetRow[]): Promise<void> {
    const applied = new Map<string, ErasureApplied>();
    for (const t of targets) {
      // Verified against the connector's key when it was stored (RevocationDispatcher).
      if (t.ack_jws) applied.set(t.seq, (decodeJwt(t.ack_jws) as unknown as RevocationAckClaims).applied as ErasureApplied);
    }
    const codes = [...new Set(targets.flatMap((t) => [...t.items, ...(applied.get(t.seq)?.erased.map((e) => e.item) ?? [])]))];
    const certificateId = randomUUID();
    const issuedAt = this.clock.now();
    const certificate = buildErasureCertificate({
      certificateId, issuer: this.signer.issuer, issuedAt, departure, targets, applied,
      retained: await this.repo.retainedCounts(departure.resident_id), itemNames: await this.repo.itemNames(codes), auditRetentionDays: this.config.AUDIT_RETENTION_DAYS,
    });
    const jws = await this.signer.signStatement(ERASURE_CERTIFICATE_JWS_TYPE, certificate);
    if (!await this.repo.storeCertificate(departure.id, certificateId, jws, issuedAt)) return;
    await this.audit.record({
      type: 'erasure.certificate_issued', actor: { kind: 'system', id: 'departure-processor' }, subject: departure.resident_id, outcome: 'success',
      details: { departureId: departure.id, certificateId, complete: certificate.complete, pending: certificate.media.filter((m) => m.state === 'pending').map((m) => m.connectorId ?? 'hub') },
    });
    this.logger[certificate.complete ? 'log' : 'warn'](LogKind.Operation, certificate.complete ? 'Erasure certificate issued' : 'Erasure certificate issued with connectors pending', {
      departureId: departure.id, certificateId, pending: certificate.media.filter((m) => m.state === 'pending').length,
    });
  }

  /** The departure's status by its ID. */
  async statusOf(departureId: string): Promise<DepartureStatus> {
    const departure = await this.repo.findById(departureId);
    if (!departure) throw new DepartureException('certificate_not_found');
    const targets = await this.repo.targets(departure.id);
    return {
      departureId: departure.id, reason: departure.reason, committedAt: new Date(departure.committed_at).toISOString(), certificateKey: await this.keyOf(departure.id),
      certificateId: departure.certificate_id, certifiedAt: departure.certified_at && new Date(departure.certified_at).toISOString(), certifyAfter: new Date(departure.certify_after).toISOString(),
      connectors: targets.map((t) => ({
        connectorId: t.connector_id,
        name: { ja: `${t.service_name_ja}（${t.connector_name}）`, en: `${t.service_name_en} (${t.connector_name})` },
        responsible: { ja: t.tenant_name_ja, en: t.tenant_name_en },
        state: t.acked_at ? 'erased' : t.dispatched_at ? 'pending' : 'sending',
        at: t.acked_at && new Date(t.acked_at).toISOString(),
      })),
    };
  }

  /** The resident's own departure (the portal's page right after leaving, while the session lasts). */
  async statusOfResident(residentId: string): Promise<DepartureStatus | undefined> {
    const departure = await this.repo.findByResident(residentId);
    return departure && this.statusOf(departure.id);
  }

  /** The status by the departure's ID and the key the resident was given (no session needed: the account is gone). */
  async statusByKey(departureId: string, key: unknown): Promise<DepartureStatus> {
    await this.checkKey(departureId, key);
    return this.statusOf(departureId);
  }

  /** The certificate by the departure's ID and key (the resident's download). */
  async certificateByKey(departureId: string, key: unknown): Promise<ErasureCertificateDocument> {
    await this.checkKey(departureId, key);
    return this.documentOf(await this.repo.findById(departureId));
  }

  /** A tenant admin's look-up by certificate ID: only a certificate that names one of the tenant's connectors. */
  async certificateForTenant(tenantId: string, certificateId: string): Promise<ErasureCertificateDocument> {
    return this.documentOf(await this.repo.findCertificateForTenant(certificateId.trim(), tenantId));
  }

  /** A system admin's look-up by certificate ID (the deceased residents' requesters are given it). */
  async certificateForSystem(certificateId: string): Promise<ErasureCertificateDocument> {
    return this.documentOf(await this.repo.findCertificate(certificateId.trim()));
  }

  /** Erasure requests not acknowledged yet, across departures (the system admin's pending list). */
  pending(limit = 200) {
    return this.repo.listPending(limit);
  }

  private documentOf(row: DepartureRow | undefined): ErasureCertificateDocument {
    if (!row) throw new DepartureException('certificate_not_found');
    if (!row.certificate_jws) throw new DepartureException('certificate_pending');
    return { jws: row.certificate_jws, certificate: decodeJwt(row.certificate_jws) as unknown as ErasureCertificateDocument['certificate'] };
  }

  /** HMAC of the departure's ID under a hub secret: the resident's key to their certificate. */
  private async keyOf(departureId: string): Promise<string> {
    this.secret ??= this.keys.sharedSecret('departure-certificate-key');
    return createHmac('sha256', await this.secret).update(departureId).digest('base64url');
  }

  private async checkKey(departureId: string, key: unknown): Promise<void> {
    const expected = Buffer.from(await this.keyOf(departureId));
    const given = Buffer.from(typeof key === 'string' ? key : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new DepartureException('certificate_not_found');
  }
}

/** Trimmed text without markup, or '' (the certificate prints it). */
function plain(value: string): string {
  const text = value.trim();
  return /[<>]/.test(text) ? '' : text;
}

/** A unique violation of a racing second departure (departures_resident_key) or a consent decision in between. */
function isConflict(error: unknown): boolean {
  const constraint = (error as { constraint?: string }).constraint ?? '';
  return ['consents_one_current', 'consents_one_active', 'consents_version_key', 'consent_receipts_seq_key', 'consent_receipts_version_key'].includes(constraint);
}
