import { Module } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { ResidentsModule } from '../residents/residents.module';
import { RESIDENT_CERTIFICATE_STATUS_CHECKER, RevocationSourceStatusChecker } from './certificate-status.checker';
import { VerificationRecheckService } from './verification-recheck.service';
import { JpkiRepository } from './jpki.repository';
import { JpkiCrlService } from './jpki-crl.service';
import { JpkiTrustService, TEST_CARD_AUTHORITY } from './jpki-trust.service';
import { JpkiProcessor } from './jpki.processor';
import { JpkiService } from './jpki.service';
import { TestCardAuthority } from './test-card.authority';

/** Identity proofing with the My Number card's signature certificate (JPKI). Its page and API are in the portal. */
@Module({
  imports: [ResidentsModule],
  providers: [
    JpkiRepository, JpkiTrustService, JpkiCrlService, JpkiService, JpkiProcessor, VerificationRecheckService,
    // The configured revocation source (stored CRLs or OCSP); a platform operator's API can take this place.
    { provide: RESIDENT_CERTIFICATE_STATUS_CHECKER, useClass: RevocationSourceStatusChecker },
    // Development only; the config refuses JPKI_TEST_CARD in production.
    { provide: TEST_CARD_AUTHORITY, inject: [HUB_CONFIG], useFactory: (c: HubConfig) => (c.JPKI_TEST_CARD ? new TestCardAuthority(c.DATA_DIR) : undefined) },
  ],
  exports: [JpkiService, JpkiRepository, VerificationRecheckService],
})
export class JpkiModule {}
