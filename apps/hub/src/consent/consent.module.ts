import { Module } from '@nestjs/common';
import { ConsentChanges } from './consent-changes';
import { CLOCK, systemClock } from './consent.clock';
import { ConsentExpiryScheduler } from './consent-expiry.scheduler';
import { ConsentRepository } from './consent.repository';
import { ConsentSeedService } from './consent-seed.service';
import { ConsentService } from './consent.service';
import { DataCatalogRepository } from './data-catalog.repository';
import { DataCatalogService } from './data-catalog.service';
import { ReceiptSigner } from './receipt.signer';
import { ReceiptsJwksController } from './receipts-jwks.controller';

/** Data offers and uses, residents' consents and their signed receipts (ARCHITECTURE.md §4). */
@Module({
  controllers: [ReceiptsJwksController],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    DataCatalogRepository, DataCatalogService, ConsentRepository, ConsentService, ReceiptSigner, ConsentSeedService, ConsentExpiryScheduler, ConsentChanges,
  ],
  exports: [ConsentService, DataCatalogService, ConsentChanges],
})
export class ConsentModule {}
