import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DomainExceptionFilter } from '@tsunagu/common';
import { AccountModule } from './account/account.module';
import { AdminModule } from './admin/admin.module';
import { ApiDocsController } from './api-docs/api-docs.controller';
import { AuditModule } from './audit/audit.module';
import { ConnectModule } from './connect/connect.module';
import { ConsentModule } from './consent/consent.module';
import { CoreModule, type HubRuntime } from './core.module';
import { HealthController } from './health/health.controller';
import { HomeController } from './home/home.controller';
import { IdentityModule } from './identity/identity.module';
import { JpkiModule } from './identity/jpki/jpki.module';
import { MaintenanceProcessor } from './jobs/maintenance.processor';
import { QueuesModule } from './jobs/queues.module';
import { LedgerModule } from './ledger/ledger.module';
import { LinksModule } from './links/links.module';
import { PortalModule } from './portal/portal.module';
import { SeedModule } from './seed/seed.module';
import { SystemModule } from './system/system.module';

@Module({})
export class HubModule {
  static forRoot(runtime: HubRuntime): DynamicModule {
    return {
      module: HubModule,
      imports: [CoreModule.forRoot(runtime), QueuesModule, AuditModule, IdentityModule, JpkiModule, LinksModule, AccountModule, SeedModule, ConsentModule, LedgerModule, PortalModule, AdminModule, SystemModule, ConnectModule],
      controllers: [HomeController, HealthController, ApiDocsController],
      providers: [{ provide: APP_FILTER, useClass: DomainExceptionFilter }, MaintenanceProcessor],
    };
  }
}
