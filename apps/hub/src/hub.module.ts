import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DomainExceptionFilter } from '@tsunagu/common';
import { AdminModule } from './backoffice/admin.module';
import { ApiDocsController } from './platform/api-docs/api-docs.controller';
import { AuditModule } from './audit/audit.module';
import { ConnectModule } from './exchange/connect.module';
import { ConsentIdentityLapseModule } from './consent/identity-lapse.handler';
import { ConsentModule } from './consent/consent.module';
import { CoreModule, type HubRuntime } from './platform/core.module';
import { HealthController } from './platform/health/health.controller';
import { IdentityModule } from './identity/identity.module';
import { JpkiModule } from './identity/jpki/jpki.module';
import { MaintenanceProcessor } from './platform/jobs/maintenance.processor';
import { QueuesModule } from './platform/jobs/queues.module';
import { LedgerModule } from './exchange/ledger/ledger.module';
import { LinksModule } from './links/links.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { PortalModule } from './portal/portal.module';
import { SeedModule } from './seed/seed.module';
import { SystemModule } from './backoffice/system/system.module';
import { MonitoringModule } from './operations/monitoring/monitoring.module';
import { BackupModule } from './operations/backup/backup.module';
import { ComplianceScreensModule } from './backoffice/compliance/compliance-screens.module';

@Module({})
export class HubModule {
  static forRoot(runtime: HubRuntime): DynamicModule {
    return {
      module: HubModule,
      imports: [CoreModule.forRoot(runtime), QueuesModule, AuditModule, IdentityModule, JpkiModule, LinksModule, SeedModule, ConsentModule, ConsentIdentityLapseModule, LedgerModule, PortalModule, AdminModule, SystemModule, ConnectModule, LifecycleModule, MonitoringModule, BackupModule, ComplianceScreensModule],
      controllers: [HealthController, ApiDocsController],
      providers: [{ provide: APP_FILTER, useClass: DomainExceptionFilter }, MaintenanceProcessor],
    };
  }
}
