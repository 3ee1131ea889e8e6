import { Global, Module } from '@nestjs/common';
import type { JWK } from 'jose';
import { DataSource } from 'typeorm';
import { KeysRepository } from '../platform/keys/keys.repository';
import { AuditCheckpointsService } from './audit-checkpoints.service';
import { AuditRetentionProcessor } from './audit-retention.processor';
import { AuditRetentionService } from './audit-retention.service';
import { AuditVerificationProcessor } from './audit-verification.processor';
import { AuditVerificationService } from './audit-verification.service';
import { AuditVerifier } from './audit-verifier';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/**
 * The audit chain (docs/audit.md). Global: any module records with `AuditService.record`.
 * Its settings (AUDIT_*) are part of the hub's config (HUB_CONFIG), validated at boot.
 */
@Global()
@Module({
  providers: [
    AuditRepository,
    AuditCheckpointsService,
    AuditService,
    AuditRetentionService,
    AuditRetentionProcessor,
    AuditVerificationService,
    AuditVerificationProcessor,
    {
      provide: AuditVerifier,
      inject: [AuditRepository, DataSource],
      // Checkpoints are checked against the public keys as stored, not against what the hub would sign with now.
      useFactory: (repo: AuditRepository, db: DataSource) => new AuditVerifier(repo, async () => (await new KeysRepository(db).listSigningKeys()).map((k) => k.public_jwk as JWK)),
    },
  ],
  exports: [AuditService, AuditVerifier, AuditRetentionService, AuditVerificationService],
})
export class AuditModule {}
