import { Injectable } from '@nestjs/common';
import { CrlRevocationSource, type CertificateIdentity, type CrlReason, isJpkiError, type RevocationStatus } from '@tsunagu/jpki';
import { JpkiTrustService } from './jpki-trust.service';

/**
 * What the hub keeps of a verified card to check it again (sealed at rest): the certificate's
 * identity as libs/jpki's revocation sources ask for it — issuer DN, the issuing root generation's
 * key, serial, CRL distribution points (to pick the partition) — and the expiry.
 */
export interface ResidentCertificateRef extends CertificateIdentity {
  notAfter: Date;
}

/** The answer of a re-check: only `revoked` and `expired` make a verification lapse; `unknown` keeps it and is logged. */
export type ResidentCertificateStatus =
  | { status: 'good' }
  | { status: 'revoked'; reason: CrlReason | 'unspecified' }
  | { status: 'expired' }
  | { status: 'unknown'; detail: string };

/**
 * Where the life-long re-check asks whether verified residents' certificates still stand. Bulk by
 * design: one call per batch of residents. {@link RevocationSourceStatusChecker} answers from the
 * hub's configured libs/jpki revocation source (stored CRLs or OCSP); a platform operator's API
 * can take its place.
 */
export interface ResidentCertificateStatusChecker {
  check(refs: readonly ResidentCertificateRef[], at: Date): Promise<ResidentCertificateStatus[]>;
}

export const RESIDENT_CERTIFICATE_STATUS_CHECKER = Symbol('RESIDENT_CERTIFICATE_STATUS_CHECKER');

function fromStatus(answer: RevocationStatus | Error): ResidentCertificateStatus {
  if (answer instanceof Error) return { status: 'unknown', detail: isJpkiError(answer) ? answer.code : 'error' };
  if (answer.status === 'revoked') return { status: 'revoked', reason: answer.reason ?? 'unspecified' };
  if (answer.status === 'unknown') return { status: 'unknown', detail: `${answer.source}: unknown` };
  return { status: 'good' };
}

/**
 * The re-check through JPKI_REVOCATION's source: the stored CRLs (every replica reloads them when
 * they change) answer a whole batch in one pass (`statusMany`); OCSP is asked one certificate at
 * a time. A source that cannot answer (no fresh CRL of the partition, responder down) gives
 * `unknown`: the verification is kept, never lapsed by an outage.
 */
@Injectable()
export class RevocationSourceStatusChecker implements ResidentCertificateStatusChecker {
  constructor(private readonly trust: JpkiTrustService) {}

  async check(refs: readonly ResidentCertificateRef[], at: Date): Promise<ResidentCertificateStatus[]> {
    const live = refs.map((ref, i) => ({ ref, i })).filter(({ ref }) => at.getTime() <= ref.notAfter.getTime());
    const out: ResidentCertificateStatus[] = refs.map(() => ({ status: 'expired' }));
    if (!live.length) return out;
    const source = await this.trust.revocationSource();
    if (source instanceof CrlRevocationSource) {
      source.statusMany(live.map((l) => l.ref), at).forEach((answer, k) => (out[live[k].i] = fromStatus(answer)));
    } else {
      for (const { ref, i } of live) out[i] = fromStatus(await source.status(ref, at).catch((error: Error) => error));
    }
    return out;
  }
}
