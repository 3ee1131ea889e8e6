import { Module } from '@nestjs/common';
import { CatalogSeedService } from './catalog-seed.service';
import { DataCatalogRepository } from './data-catalog.repository';
import { DataCatalogService } from './data-catalog.service';
import { OffersRepository } from './offers.repository';
import { OffersService } from './offers.service';

/** Data offers and data uses (ARCHITECTURE.md §4): what providers can give, what consumers ask for and why. */
@Module({
  providers: [DataCatalogRepository, DataCatalogService, CatalogSeedService, OffersRepository, OffersService],
  exports: [DataCatalogService, OffersService],
})
export class CatalogModule {}
