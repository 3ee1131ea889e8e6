import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { AccountController } from '../account/account.controller';
import { AccountModule } from '../account/account.module';
import { ConsentModule } from '../consent/consent.module';
import { LedgerModule } from '../ledger/ledger.module';
import { LinksModule } from '../links/links.module';
import { ResidentsModule } from '../residents/residents.module';
import { LangCookieMiddleware } from './lang-cookie.middleware';
import { ManualController } from './manual.controller';
import { ManualService } from './manual.service';
import { PortalApiController } from './portal-api.controller';
import { PortalOpenApiController } from './portal-openapi.controller';
import { PortalController } from './portal.controller';
import { PortalHomeService } from './portal-home.service';
import { ResidentGuard } from './resident.guard';

/** The resident portal (県民等向けポータル): pages, its JSON API, and the resident manual. */
@Module({
  imports: [AccountModule, ConsentModule, LedgerModule, LinksModule, ResidentsModule],
  controllers: [PortalController, PortalApiController, ManualController, PortalOpenApiController],
  providers: [ResidentGuard, PortalHomeService, ManualService],
})
export class PortalModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(LangCookieMiddleware).forRoutes(PortalController, ManualController, AccountController);
  }
}
