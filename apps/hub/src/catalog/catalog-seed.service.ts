import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { SEED_DATA_OFFERS, seedDataUses } from './catalog.seed';
import { CatalogSeeder } from './catalog-seeder';

/**
 * Seeds the demo data offers, data uses and their agreements (through the services the screens use). They belong to the demo services, which SeedService
 * inserts just before the hub starts listening; Nest runs this hook after that, at listen time.
 * Idempotent and race-free across replicas (insert unless the code exists).
 */
@Injectable()
export class CatalogSeedService implements OnApplicationBootstrap {
  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig, private readonly seeder: CatalogSeeder) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.SEED_DEMO) return;
    await this.seeder.seed(SEED_DATA_OFFERS, seedDataUses({ cashless: this.config.DEMO_CASHLESS_URL, misasa: this.config.DEMO_MISASA_URL }));
  }
}
