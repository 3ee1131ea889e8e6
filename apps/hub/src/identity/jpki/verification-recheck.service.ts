import { Inject, Injectable } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { AuditService } from '../../audit/audit.service';
import { KeysService } from '../../platform/keys/keys.service';
import {
  RESIDENT_CERTIFICATE_STATUS_CHECKER, type ResidentCertificateRef, type ResidentCertificateStatus, type ResidentCertificateStatusChecker,
} from './certificate-status.checker';
import { IDENTITY_LAPSE_HANDLER, type IdentityLapseHandler } from './identity-lapse';
import { JpkiRepository, type VerificationRow } from './jpki.repository';
import { JpkiTrustService } from './jpki-trust.service';

const BATCH = 1000;
const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/** What is sealed: the certificate's identity as a revocation source asks for it. */
export interface SealedCertificateRef {
  issuer: string;
  serialNumber: string;
  issuerSpkiSha256?: string;
  crlDistributionPoints?: readonly string[];
  /** The OCSP responders the certificate names (authorityInfoAccess), for a re-check by OCSP. */
  ocspUrls?: readonly string[];
}

/** The sealed form of what a re-check needs, bound to the row's card key (it cannot be moved to another row). */
export function sealCertificateRef(keys: Pick<KeysService, 'seal'>, cardKey: string, ref: SealedCertificateRef): string {
  const o = ref.ocspUrls?.length ? ref.ocspUrls : undefined;
  return keys.seal(JSON.stringify({ i: ref.issuer, s: ref.serialNumber, k: ref.issuerSpkiSha256, d: ref.crlDistributionPoints, o }), `jpki-certificate-ref:${cardKey}`);
}

function openCertificateRef(keys: Pick<KeysService, 'open'>, row: VerificationRow): ResidentCertificateRef | undefined {
  if (!row.certificate_ref_sealed) return undefined;
  const { i, s, k, d, o } = JSON.parse(keys.open(row.certificate_ref_sealed, `jpki-certificate-ref:${row.card_key}`)) as { i: string; s: string; k?: string; d?: string[]; o?: string[] };
  return { issuer: i, serialNumber: s, issuerSpkiSha256: k, crlDistributionPoints: d, ...(o && { ocspUrls: o }), notAfter: new Date(row.certificate_not_after) };
}

/**
 * Verification for life (ARCHITECTURE.md §7): every current verification is checked again — on a
 * schedule and after each CRL refresh — and one whose certificate was revoked (a change of name
 * or address revokes it) or expired lapses: the resident's `acr` falls back to the password level
 * at the next sign-in, the consents to data uses that require a verified identity are paused with
 * a receipt saying why, and the portal asks for the new card. Each lapse is audited.
 */
@Injectable()
export class VerificationRecheckService {
  private readonly logger = new AppLogger(VerificationRecheckService.name);
  private running?: Promise<{ checked: number; lapsed: number; unknown: number }>;

  constructor(
    private readonly repo: JpkiRepository,
    private readonly trust: JpkiTrustService,
    private readonly keys: KeysService,
    private readonly audit: AuditService,
    @Inject(IDENTITY_LAPSE_HANDLER) private readonly consents: IdentityLapseHandler,
    @Inject(RESIDENT_CERTIFICATE_STATUS_CHECKER) private readonly checker: ResidentCertificateStatusChecker,
  ) {}

  /** One pass over every current verification; a pass already running in this process is joined. */
  recheckAll(at = new Date()): Promise<{ checked: number; lapsed: number; unknown: number }> {
    this.running ??= this.pass(at).finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(at: Date): Promise<{ checked: number; lapsed: number; unknown: number }> {
    let checked = 0;
    let lapsed = 0;
    let unknown = 0;
    if (this.trust.configured) {
      for (let after = FIRST_ID; ;) {
        const rows = await this.repo.listVerified(after, BATCH);
        if (!rows.length) break;
        after = rows[rows.length - 1].id;
        const refs = rows.map((row) => openCertificateRef(this.keys, row));
        const withRef = refs.flatMap((ref, i) => (ref ? [{ ref, i }] : []));
        const answers = new Map<number, ResidentCertificateStatus>();
        const statuses = await this.checker.check(withRef.map((w) => w.ref), at);
        withRef.forEach((w, k) => answers.set(w.i, statuses[k]));
        const good: string[] = [];
        for (let i = 0; i < rows.length; i++) {
          // A verification from before the sealed reference existed: only its expiry can be checked.
          const status = answers.get(i) ?? (at.getTime() > new Date(rows[i].certificate_not_after).getTime() ? { status: 'expired' as const } : { status: 'good' as const });
          checked++;
          if (status.status === 'good') good.push(rows[i].id);
          else if (status.status === 'unknown') unknown++;
          else if (await this.lapse(rows[i], status)) lapsed++;
        }
        await this.repo.markChecked(good);
        if (rows.length < BATCH) break;
      }
    }
    // Lapses whose consents a crash left unpaused.
    for (const left of await this.repo.listLapsedWithActiveRequiringConsents(BATCH)) {
      await this.consents.lapsed(left.resident_id, left.lapse_reason);
    }
    // …and new verifications whose consents were not resumed yet.
    for (const residentId of await this.repo.listVerifiedWithLapsePausedConsents(BATCH)) await this.consents.verified(residentId);
    this.logger.log(LogKind.Event, 'Identity verifications re-checked', { checked, lapsed, unknown });
    if (unknown) this.logger.warn(LogKind.Event, 'Identity verifications whose certificate status is unknown', { unknown });
    return { checked, lapsed, unknown };
  }

  private async lapse(row: VerificationRow, status: Exclude<ResidentCertificateStatus, { status: 'good' } | { status: 'unknown' }>): Promise<boolean> {
    const reason = status.status;
    const revocationReason = status.status === 'revoked' ? status.reason : null;
    const done = await this.repo.transaction(async (tx) => {
      const lapsed = await this.repo.lapseVerification(tx, row.id, reason, revocationReason);
      if (!lapsed) return undefined;
      await this.audit.record({
        type: 'jpki.verification_lapsed', actor: { kind: 'system', id: 'jpki-recheck' }, subject: lapsed.residentId, outcome: 'success',
        reason, details: { verificationId: row.id, revocationReason, certificateNotAfter: new Date(row.certificate_not_after).toISOString(), stillVerified: lapsed.stillVerified },
      }, tx);
      return lapsed;
    });
    if (!done) return false;
    this.logger.log(LogKind.Authentication, 'Identity verification lapsed', { residentId: done.residentId, reason, revocationReason: revocationReason ?? undefined });
    if (!done.stillVerified) {
      const paused = await this.consents.lapsed(done.residentId, reason);
      await this.audit.record({
        type: 'consent.paused_identity_lapsed', actor: { kind: 'system', id: 'jpki-recheck' }, subject: done.residentId, outcome: 'success',
        reason, details: { paused },
      });
    }
    return true;
  }
}
