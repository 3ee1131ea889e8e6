import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '@tsunagu/common';
import { ConsentModule } from '../consent/consent.module';
import { EnforcementModule } from '../exchange/enforcement/enforcement.module';
import { IdentityModule } from '../identity/identity.module';
import { DepartureProcessor } from './departure/departure.processor';
import { DepartureRepository } from './departure/departure.repository';
import { DepartureService } from './departure/departure.service';
import { ConnectorsRepository } from '../exchange/connectors/connectors.repository';
import { TenantExitProcessor } from './tenant-exit/tenant-exit.processor';
import { TenantExitRepository } from './tenant-exit/tenant-exit.repository';
import { TenantExitService } from './tenant-exit/tenant-exit.service';

/**
 * The resident's lifecycle beyond sign-in (issue 17, docs/erasure.md): leaving the platform (退会),
 * erasure for deceased residents, the erasure requests to connectors (sent by the exchange's
 * revocation dispatcher) and the signed erasure certificates; a tenant leaving the platform (its
 * signed archive, its deletion and its erasure certificate).
 */
@Module({
  imports: [ConsentModule, EnforcementModule, IdentityModule],
  providers: [
    { provide: CLOCK, useValue: systemClock }, DepartureRepository, DepartureService, DepartureProcessor,
    ConnectorsRepository, TenantExitRepository, TenantExitService, TenantExitProcessor,
  ],
  exports: [DepartureService, TenantExitService],
})
export class LifecycleModule {}
