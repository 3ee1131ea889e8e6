import { Injectable } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { AuditVerifier, type AuditVerification } from './audit-verifier';
import { AuditService } from './audit.service';

/**
 * The scheduled check of the whole audit chain (what `npm run audit:verify` does by hand): the
 * result goes into the chain itself as `audit.verified` (success or failure, with the first broken
 * sequence number), so that every replica's /metrics can tell the monitoring when the last walk
 * failed (tsunagu_audit_verification_failed → TsunaguAuditVerificationFailed) or is overdue.
 */
@Injectable()
export class AuditVerificationService {
  private readonly logger = new AppLogger(AuditVerificationService.name);

  constructor(private readonly verifier: AuditVerifier, private readonly audit: AuditService) {}

  async verifyAndRecord(): Promise<AuditVerification> {
    const started = Date.now();
    const result = await this.verifier.verify();
    const facts = { rows: result.rows, lastSeq: result.lastSeq ?? null, checkpointsVerified: result.checkpointsVerified, brokenAt: result.break?.seq ?? null, durationMs: Date.now() - started };
    if (result.ok) this.logger.log(LogKind.Operation, 'Audit chain verified', facts);
    else this.logger.error('Audit chain broken', undefined, { ...facts, reason: result.break?.reason });
    await this.audit.record({
      type: 'audit.verified', actor: { kind: 'system', id: 'verify-audit-chain' }, outcome: result.ok ? 'success' : 'failure',
      reason: result.ok ? undefined : 'audit_chain_broken', details: facts,
    });
    return result;
  }
}
