import { Module } from '@nestjs/common';
import { PlatformSettingsRepository } from './platform-settings.repository';
import { PlatformSettingsService } from './platform-settings.service';

/** Platform settings, read by the admin screens and changed by the system admin. */
@Module({ providers: [PlatformSettingsRepository, PlatformSettingsService], exports: [PlatformSettingsService] })
export class PlatformSettingsModule {}
