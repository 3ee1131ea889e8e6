import type { DataSource } from 'typeorm';
import type { AuditConfig } from '../platform/config/hub.config';
import { KeysRepository } from '../platform/keys/keys.repository';
import { KeysService } from '../platform/keys/keys.service';
import { SecretBox } from '../platform/keys/secret-box';
import { AuditCheckpointsService } from './audit-checkpoints.service';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

const config: AuditConfig = { AUDIT_CHECKPOINT_EVERY_ROWS: 1000, AUDIT_CHECKPOINT_EVERY_MINUTES: 60, AUDIT_RETENTION_DAYS: 400, AUDIT_EXPORT_DIR: 'exports' };

/** The real audit chain on a test database (for specs of services that audit what they do). */
export function testAuditService(db: DataSource): AuditService {
  const repo = new AuditRepository(db);
  return new AuditService(repo, new AuditCheckpointsService(repo, new KeysService(new KeysRepository(db), new SecretBox(SecretBox.generateKey())), config));
}
