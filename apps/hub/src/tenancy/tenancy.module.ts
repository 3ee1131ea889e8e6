import { Module } from '@nestjs/common';
import { ApiPermissionsRepository } from './permissions/api-permissions.repository';
import { ApiPermissionsService } from './permissions/api-permissions.service';
import { TenantsRepository } from './tenants/tenants.repository';

/**
 * Tenants and API permissions — the rules the grant path and the back office both ask. The
 * services registry (OIDC clients) is ServicesModule, beside it.
 */
@Module({
  providers: [TenantsRepository, ApiPermissionsRepository, ApiPermissionsService],
  exports: [TenantsRepository, ApiPermissionsRepository, ApiPermissionsService],
})
export class TenancyModule {}
