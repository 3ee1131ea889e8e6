import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { LangCookieMiddleware } from '../platform/http/lang-cookie.middleware';
import { AdminAccessMiddleware } from './access/admin-access.middleware';
import { AdminNetworksService } from './access/admin-networks.service';
import { AdminRouteCatalog } from './access/admin-routes';
import { AdminScopeGuard } from './access/admin-scope.guard';
import { AdminScopeRepository } from './access/admin-scope.repository';
import { AdminAccountsRepository } from './auth/admin-accounts.repository';
import { AdminAccountsService } from './auth/admin-accounts.service';
import { AdminAuthController } from './auth/admin-auth.controller';
import { AdminSeedService } from './auth/admin-seed.service';
import { AdminSessionService } from './auth/admin-session.service';
import { AdminSessionsRepository } from './auth/admin-sessions.repository';
import { AdminAssetsController } from './web/admin-assets.controller';
import { AdminOffersController } from './catalog/admin-offers.controller';
import { AdminOffersService } from './catalog/admin-offers.service';
import { ConsentModule } from '../consent/consent.module';
import { ConnectorsController } from './connectors/connectors.controller';
import { ConnectorsRepository } from '../exchange/connectors/connectors.repository';
import { ConnectorsService } from '../exchange/connectors/connectors.service';
import { DashboardController } from './dashboard/dashboard.controller';
import { AdminServicesController } from './services/admin-services.controller';
import { AdminServicesRepository } from './services/admin-services.repository';
import { AdminServicesService } from './services/admin-services.service';
import { DashboardRepository } from './dashboard/dashboard.repository';
import { DashboardService } from './dashboard/dashboard.service';
import { TenancyModule } from '../tenancy/tenancy.module';
import { PlatformSettingsModule } from '../operations/settings/platform-settings.module';
import { AgreementsAdminService } from './catalog/agreements-admin.service';
import { EnforcementModule } from '../exchange/enforcement/enforcement.module';
import { AgreementsController } from './catalog/agreements.controller';
import { DataUsesAdminService } from './catalog/data-uses-admin.service';
import { DataUsesController } from './catalog/data-uses.controller';

/**
 * The tenant admin screens (`/admin/…`) and what every admin screen shares: accounts, sessions,
 * the network allow-lists, the access middleware in front of `/admin` and `/system`, and the
 * global guard that keeps path IDs inside the tenant in scope.
 */
@Module({
  imports: [DiscoveryModule, PlatformSettingsModule, TenancyModule, ConsentModule, EnforcementModule],
  controllers: [AdminAuthController, AdminAssetsController, DashboardController, AdminServicesController, ConnectorsController, AdminOffersController, DataUsesController, AgreementsController],
  providers: [
    AdminNetworksService, AdminAccountsRepository, AdminAccountsService, AdminSessionsRepository, AdminSessionService,
    AdminSeedService, AdminRouteCatalog, AdminAccessMiddleware, DashboardRepository, DashboardService,
    AdminServicesRepository, AdminServicesService, AdminOffersService, ConnectorsRepository, ConnectorsService, AdminScopeRepository, DataUsesAdminService, AgreementsAdminService,
    { provide: APP_GUARD, useClass: AdminScopeGuard },
  ],
  exports: [TenancyModule, AdminAccountsService, AdminSessionService, AdminNetworksService, AdminRouteCatalog],
})
export class AdminModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(LangCookieMiddleware, AdminAccessMiddleware).forRoutes(
      { path: 'admin{/*path}', method: RequestMethod.ALL },
      { path: 'system{/*path}', method: RequestMethod.ALL },
    );
  }
}
