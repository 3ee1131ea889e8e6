import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { LifecycleModule } from '../lifecycle/lifecycle.module';
import { LeaveController } from './leave.controller';
import { AccountController } from './account.controller';
import { AccountService } from './account.service';
import { IdentityModule } from '../identity/identity.module';
import { JpkiModule } from '../identity/jpki/jpki.module';
import { ConsentModule } from '../consent/consent.module';
import { LedgerModule } from '../exchange/ledger/ledger.module';
import { LinksModule } from '../links/links.module';
import { ServicesModule } from '../tenancy/services/services.module';
import { ResidentsModule } from '../identity/residents/residents.module';
import { LangCookieMiddleware } from '../platform/http/lang-cookie.middleware';
import { HomeController } from './home.controller';
import { JpkiAppController, JpkiController } from './jpki.controller';
import { JpkiTransferService } from './jpki-transfer.service';
import { ManualController } from './manual.controller';
import { ManualService } from './manual.service';
import { SiteController } from './site.controller';
import { PortalApiController } from './portal-api.controller';
import { PortalOpenApiController } from './portal-openapi.controller';
import { PortalController } from './portal.controller';
import { PortalHomeService } from './portal-home.service';
import { ReceiptVerifyController } from './receipt-verify.controller';
import { PortalSignInService } from './portal-sign-in.service';
import { ResidentGuard } from './resident.guard';
import { ServiceAccessService } from './service-access.service';
import { CardAppLandingController, VerifyPageController } from './verify-page.controller';
import { CLOCK, systemClock } from '@tsunagu/common';
import { DataUseRevisionsRepository } from '../catalog/data-use-revisions.repository';
import { NoticesRepository } from './notices.repository';
import { NoticesService } from './notices.service';
import { TermsChangeService } from './terms-change.service';
import { ConsentDecisionsService } from './consent-decisions.service';
import { EnforcementModule } from '../exchange/enforcement/enforcement.module';
import { MaintenanceModule } from '../operations/maintenance/maintenance.module';
import { IncidentsModule } from '../compliance/incidents/incidents.module';
import { PortalNoticesService } from './portal-notices.service';
import { InquiriesModule } from '../compliance/inquiries/inquiries.module';
import { InquiryController } from './inquiry.controller';
import { PortalInquiriesService } from './portal-inquiries.service';
import { RecoveryModule } from '../identity/recovery/recovery.module';
import { AccountSecurityService } from './account-security.service';
import { RecoveryApiController, RecoveryController } from './recovery.controller';
import { SessionsController } from './sessions.controller';

/** The resident portal (県民等向けポータル): every resident page, its JSON API, identity proofing, and the resident manual. */
@Module({
  imports: [LifecycleModule, RecoveryModule, MaintenanceModule, IncidentsModule, InquiriesModule, IdentityModule, JpkiModule, ConsentModule, LedgerModule, EnforcementModule, LinksModule, ResidentsModule, ServicesModule],
  controllers: [HomeController, ReceiptVerifyController, LeaveController, PortalController, AccountController, JpkiController, JpkiAppController, VerifyPageController, CardAppLandingController, PortalApiController, ManualController, SiteController, PortalOpenApiController, InquiryController, RecoveryController, RecoveryApiController, SessionsController],
  providers: [
    ResidentGuard, PortalHomeService, AccountService, PortalSignInService, ManualService, ServiceAccessService, JpkiTransferService,
    { provide: CLOCK, useValue: systemClock }, DataUseRevisionsRepository, TermsChangeService, NoticesRepository, NoticesService, PortalNoticesService, PortalInquiriesService, ConsentDecisionsService, AccountSecurityService,
  ],
})
export class PortalModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(LangCookieMiddleware).forRoutes(PortalController, ManualController, AccountController, SiteController, HomeController, ReceiptVerifyController, InquiryController, RecoveryController, SessionsController);
  }
}
