import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '@tsunagu/common';
import { CatalogChangesService } from './catalog-changes.service';
import { ConsentChanges } from './consent-changes';
import { ConsentExpiryScheduler } from './consent-expiry.scheduler';
import { ConsentRepository } from './consent.repository';
import { ConsentService } from './consent.service';
import { CatalogModule } from '../catalog/catalog.module';
import { ReceiptCheckService } from './receipt-check.service';
import { ReceiptSigner } from './receipt.signer';
import { ReceiptsJwksController } from './receipts-jwks.controller';
import { ReceiptsVerifyController } from './receipts-verify.controller';

/** Residents' consents and their signed receipts (ARCHITECTURE.md §4); re-exports the catalog they are given under. */
@Module({
  imports: [CatalogModule],
  controllers: [ReceiptsJwksController, ReceiptsVerifyController],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    ConsentRepository, ConsentService, ReceiptSigner, ReceiptCheckService, ConsentExpiryScheduler, ConsentChanges, CatalogChangesService,
  ],
  exports: [ConsentService, ConsentChanges, ReceiptCheckService, CatalogChangesService, CatalogModule, ReceiptSigner],
})
export class ConsentModule {}
