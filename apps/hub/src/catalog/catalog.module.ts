import { Module } from '@nestjs/common';
import { CatalogSeedService } from './catalog-seed.service';
import { CatalogSeeder } from './catalog-seeder';
import { DataCatalogRepository } from './data-catalog.repository';
import { DataCatalogService } from './data-catalog.service';
import { AgreementsRepository } from './agreements.repository';
import { AgreementsService } from './agreements.service';
import { DataUsesRepository } from './data-uses.repository';
import { DataUsesService } from './data-uses.service';

/**
 * Data offers, data uses and agreements (ARCHITECTURE.md §4): what providers can give, what
 * consumers ask for and why, and the providers' approvals.
 */
@Module({
  providers: [DataCatalogRepository, DataCatalogService, CatalogSeedService, CatalogSeeder, DataUsesRepository, DataUsesService, AgreementsRepository, AgreementsService],
  exports: [DataCatalogService, DataUsesService, AgreementsService, CatalogSeeder],
})
export class CatalogModule {}
