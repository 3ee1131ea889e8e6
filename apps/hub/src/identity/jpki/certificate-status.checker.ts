import { Injectable } from '@nestjs/common';
import { type CrlReasonName, readCrlEntryReasons } from '@tsunagu/jpki';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { JpkiRepository } from './jpki.repository';
import { JpkiTrustService } from './jpki-trust.service';

/** What the hub keeps of a verified card to check it again: issuer DN and serial (sealed at rest), and the expiry. */
export interface ResidentCertificateRef {
  issuer: string;
  /** Lower-case hex, as JpkiVerifiedCertificate.serialNumber. */
  serialNumber: string;
  notAfter: Date;
}

/** The answer of a re-check: only `revoked` and `expired` make a verification lapse; `unknown` keeps it and is logged. */
export type ResidentCertificateStatus =
  | { status: 'good' }
  | { status: 'revoked'; reason: CrlReasonName }
  | { status: 'expired' }
  | { status: 'unknown'; detail: string };

/**
 * Where the life-long re-check asks whether verified residents' certificates still stand. Today
 * the CRLs the hub stores ({@link CrlResidentCertificateStatusChecker}); a platform operator's
 * OCSP or API (libs/jpki's revocation source) can implement the same contract. Bulk by design:
 * one call per batch of residents.
 */
export interface ResidentCertificateStatusChecker {
  check(refs: readonly ResidentCertificateRef[], at: Date): Promise<ResidentCertificateStatus[]>;
}

export const RESIDENT_CERTIFICATE_STATUS_CHECKER = Symbol('RESIDENT_CERTIFICATE_STATUS_CHECKER');

/**
 * The re-check against the CRLs in `jpki_crls` (verified before they were stored, reloaded by
 * every replica when they change): one hash lookup per certificate; the reasonCode is read from
 * the CRL's DER only for the few that are listed.
 */
@Injectable()
export class CrlResidentCertificateStatusChecker implements ResidentCertificateStatusChecker {
  private readonly logger = new AppLogger(CrlResidentCertificateStatusChecker.name);

  constructor(private readonly trust: JpkiTrustService, private readonly repo: JpkiRepository) {}

  async check(refs: readonly ResidentCertificateRef[], at: Date): Promise<ResidentCertificateStatus[]> {
    await this.trust.verifier();
    const store = this.trust.crlStore();
    const revokedByIssuer = new Map<string, string[]>();
    const out: ResidentCertificateStatus[] = refs.map((ref) => {
      if (at.getTime() > ref.notAfter.getTime()) return { status: 'expired' };
      const lists = store?.findByIssuer(ref.issuer) ?? [];
      if (!lists.length) return { status: 'unknown', detail: 'no CRL of the issuer' };
      if (lists.some((l) => l.isRevoked(ref.serialNumber))) {
        revokedByIssuer.set(ref.issuer, [...(revokedByIssuer.get(ref.issuer) ?? []), ref.serialNumber]);
        return { status: 'revoked', reason: 'unspecified' };
      }
      // A serial absent from a CRL past its nextUpdate proves nothing.
      if (lists.every((l) => l.nextUpdate.getTime() < at.getTime())) return { status: 'unknown', detail: 'CRL stale' };
      return { status: 'good' };
    });
    if (revokedByIssuer.size) {
      const reasons = await this.reasons(revokedByIssuer);
      refs.forEach((ref, i) => {
        if (out[i].status === 'revoked') out[i] = { status: 'revoked', reason: reasons.get(`${ref.issuer}\u0000${ref.serialNumber}`) ?? 'unspecified' };
      });
    }
    return out;
  }

  private async reasons(byIssuer: Map<string, string[]>): Promise<Map<string, CrlReasonName>> {
    const out = new Map<string, CrlReasonName>();
    for (const row of await this.repo.listCrls()) {
      const serials = byIssuer.get(row.issuer);
      if (!serials) continue;
      try {
        for (const [serial, reason] of readCrlEntryReasons(new Uint8Array(row.der), serials)) out.set(`${row.issuer}\u0000${serial}`, reason);
      } catch (error) {
        this.logger.warn(LogKind.Event, 'CRL entry reasons unreadable', { issuer: row.issuer, error: (error as Error).message });
      }
    }
    return out;
  }
}
