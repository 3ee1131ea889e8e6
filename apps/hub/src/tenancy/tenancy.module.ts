import { Module } from '@nestjs/common';
import { TenantsRepository } from './tenants/tenants.repository';

/**
 * Tenants. The services registry (OIDC clients) is ServicesModule, beside it; what tenants offer,
 * ask for and approve is the catalog (CatalogModule).
 */
@Module({
  providers: [TenantsRepository],
  exports: [TenantsRepository],
})
export class TenancyModule {}
