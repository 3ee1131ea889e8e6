import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AdminModule } from '../admin.module';
import { AuditSearchController } from './audit/audit-search.controller';
import { AuditSearchRepository } from './audit/audit-search.repository';
import { AuditSearchService } from './audit/audit-search.service';
import { MaintenanceNoticeController } from './maintenance/maintenance-notice.controller';
import { MaintenanceModule } from '../../operations/maintenance/maintenance.module';
import { SystemQueuesController } from './queues/system-queues.controller';
import { SystemQueuesService } from './queues/system-queues.service';
import { PlatformSettingsController } from './settings/platform-settings.controller';
import { PlatformSettingsModule } from '../../operations/settings/platform-settings.module';
import { SystemRoutesController } from './system-routes.controller';
import { SystemTenantsController } from './tenants/system-tenants.controller';
import { SystemTenantsService } from './tenants/system-tenants.service';
import { TenantExitController } from './tenants/tenant-exit.controller';
import { LifecycleModule } from '../../lifecycle/lifecycle.module';

/**
 * The system admin screens (`/system/…`): tenants and their admins, system admins, platform
 * settings, audit search and export, job queues, planned-maintenance notices. The access
 * middleware of AdminModule lets only system admins from the system networks reach them.
 */
@Module({
  imports: [AdminModule, PlatformSettingsModule, MaintenanceModule, DiscoveryModule, LifecycleModule],
  controllers: [SystemTenantsController, SystemRoutesController, PlatformSettingsController, AuditSearchController, SystemQueuesController, MaintenanceNoticeController, TenantExitController],
  providers: [SystemTenantsService, AuditSearchRepository, AuditSearchService, SystemQueuesService],
})
export class SystemModule {}
