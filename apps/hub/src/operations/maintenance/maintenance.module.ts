import { Module } from '@nestjs/common';
import { PlatformSettingsModule } from '../settings/platform-settings.module';
import { MaintenanceNoticeRepository } from './maintenance-notice.repository';
import { MaintenanceNoticeService } from './maintenance-notice.service';

/** Planned-stop notices: set on the system screens, shown on every resident page. */
@Module({
  imports: [PlatformSettingsModule],
  providers: [MaintenanceNoticeRepository, MaintenanceNoticeService],
  exports: [MaintenanceNoticeService],
})
export class MaintenanceModule {}
