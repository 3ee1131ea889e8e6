import { basename, join, resolve } from 'node:path';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { EmbeddedPostgres } from '@tsunagu/database';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { EMBEDDED_DATABASE } from '../../platform/core.module';
import { parseBackupKey } from './backup-file';
import { type BackupResult, newestBackup, writeBackup } from './database-backup';
import { AuditService } from '../../audit/audit.service';

const HOUR_MS = 3_600_000;

/**
 * The platform's own daily backup (docs/backup.md): every hour the maintenance queue asks, and a
 * backup is written when the newest one in BACKUP_DIR is BACKUP_EVERY_HOURS old — so a restarted
 * process (the embedded default's in-process queue forgets its timers) or a second replica does
 * not make one more, and a missed day is made up within the hour. On a PostgreSQL server it is
 * pg_dump; on the embedded database, a dump of its folder taken by PGlite. Production refuses to
 * write one unencrypted.
 */
@Injectable()
export class BackupService {
  private readonly logger = new AppLogger(BackupService.name);
  private running?: Promise<BackupResult | undefined>;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Optional() @Inject(EMBEDDED_DATABASE) private readonly embedded?: EmbeddedPostgres,
    @Optional() private readonly audit?: AuditService,
  ) {}

  get dir(): string {
    return resolve(this.config.BACKUP_DIR ?? join(this.config.DATA_DIR, 'backups'));
  }

  /** When the newest backup was written, or undefined when there is none. */
  lastBackupAt(): Date | undefined {
    return newestBackup(this.dir)?.at;
  }

  /** Writes a backup when one is due; concurrent calls share one run. */
  backUpIfDue(now = new Date()): Promise<BackupResult | undefined> {
    const last = this.lastBackupAt();
    if (last && now.getTime() - last.getTime() < this.config.BACKUP_EVERY_HOURS * HOUR_MS - 5 * 60_000) return Promise.resolve(undefined);
    return this.backUp(now);
  }

  backUp(now = new Date()): Promise<BackupResult | undefined> {
    this.running ??= this.write(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async write(now: Date): Promise<BackupResult | undefined> {
    const keyText = this.config.BACKUP_ENCRYPTION_KEY;
    if (!keyText && this.config.NODE_ENV === 'production') {
      this.logger.error('Backup refused: BACKUP_ENCRYPTION_KEY is not set, and production never writes a backup unencrypted', undefined, { dir: this.dir });
      return undefined;
    }
    const source = this.config.DATABASE_URL
      ? { kind: 'server' as const, databaseUrl: this.config.DATABASE_URL }
      : this.embedded ? { kind: 'embedded' as const, dumpDataDir: () => this.embedded!.dumpDataDir() } : undefined;
    if (!source) return undefined;
    const started = Date.now();
    const result = await writeBackup(source, this.dir, this.config.BACKUP_KEEP_DAILY, keyText ? parseBackupKey(keyText) : undefined, now);
    this.logger.log(LogKind.Operation, 'Database backup written', {
      file: result.file, bytes: result.bytes, encrypted: result.encrypted, removed: result.removed.length, source: source.kind, durationMs: Date.now() - started,
    });
    // A copy of every resident's data: the handling ledger (台帳) lists it as 複写 from this row.
    await this.audit?.record({
      type: 'backup.written', actor: { kind: 'system', id: 'back-up-database' }, outcome: 'success', subject: basename(result.file),
      details: { dir: this.dir, bytes: result.bytes, encrypted: result.encrypted, source: source.kind, removed: result.removed.length },
    });
    return result;
  }
}
