import { Injectable } from '@nestjs/common';
import { DomainException } from '@tsunagu/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { DataSource } from 'typeorm';
import { AgreementsService } from './agreements.service';
import type { CatalogActor } from './catalog-actor';
import type { SeedDataOffer, SeedDataUse } from './catalog.seed';
import { DataCatalogService } from './data-catalog.service';
import { DataUsesService } from './data-uses.service';
import { OffersService } from './offers.service';

const SEED_ACTOR: CatalogActor = { kind: 'system', name: 'demo-seed' };

/** Codes that mean "already there": seeding again, or another replica seeding at the same time. */
const ALREADY = new Set(['data_use_code_taken', 'agreement_transition_invalid', 'offer_transition_invalid']);

/**
 * Applies a declared catalog (the demo's) through the services the admin screens use: offers
 * published and activated, data uses written by their tenant, agreements approved by each
 * providing tenant — so the demo's rows are exactly what the screens would have left, audit rows
 * included. Idempotent and safe on replicas booting together (a second run finds everything there).
 */
@Injectable()
export class CatalogSeeder {
  private readonly logger = new AppLogger(CatalogSeeder.name);

  constructor(
    private readonly db: DataSource,
    private readonly catalog: DataCatalogService,
    private readonly offers: OffersService,
    private readonly uses: DataUsesService,
    private readonly agreements: AgreementsService,
  ) {}

  async seed(offers: SeedDataOffer[], dataUses: SeedDataUse[]): Promise<{ offers: number; uses: number; approved: number }> {
    let newOffers = 0;
    for (const clientId of new Set(offers.map((o) => o.serviceClientId))) {
      const service = await this.service(clientId);
      if (!service) continue;
      const drafts = offers.filter((o) => o.serviceClientId === clientId).map(({ serviceClientId: _service, ...draft }) => draft);
      await this.offers.publish(SEED_ACTOR, { id: service.id, tenantId: service.tenant_id }, drafts);
      // What waits as a draft is activated, as the provider's admin would (also a draft a crashed boot left).
      for (const { code } of drafts) {
        const draft = (await this.offers.find(service.tenant_id, code))?.draftVersion;
        if (draft && await this.ignoringAlready(() => this.offers.activate(SEED_ACTOR, service.tenant_id, code, draft))) newOffers++;
      }
    }
    let newUses = 0;
    let approved = 0;
    for (const { serviceClientId, ...form } of dataUses) {
      const service = await this.service(serviceClientId);
      if (!service) continue;
      if (await this.ignoringAlready(() => this.uses.create(SEED_ACTOR, service.tenant_id, { ...form, consumerServiceId: service.id }))) newUses++;
      const detail = await this.uses.find(service.tenant_id, form.code);
      for (const agreement of detail?.agreements ?? []) {
        if (agreement.state !== 'pending') continue;
        if (await this.ignoringAlready(() => this.agreements.decide(SEED_ACTOR, agreement.provider_tenant_id, agreement.id, 'approve'))) approved++;
      }
    }
    if (newOffers || newUses || approved) this.logger.log(LogKind.Operation, 'Demo catalog seeded', { offers: newOffers, uses: newUses, approved });
    this.catalog.invalidate();
    return { offers: newOffers, uses: newUses, approved };
  }

  private async service(clientId: string): Promise<{ id: string; tenant_id: string } | undefined> {
    return (await this.db.query(`SELECT id, tenant_id FROM services WHERE client_id = $1 AND active`, [clientId]))[0];
  }

  private async ignoringAlready(step: () => Promise<unknown>): Promise<boolean> {
    try {
      await step();
      return true;
    } catch (error) {
      if (error instanceof DomainException && ALREADY.has(error.code)) return false;
      throw error;
    }
  }
}
