import { Module } from '@nestjs/common';
import { BackupProcessor } from './backup.processor';
import { BackupService } from './backup.service';

/** The platform's own encrypted daily backup (docs/backup.md). */
@Module({ providers: [BackupService, BackupProcessor], exports: [BackupService] })
export class BackupModule {}
