import { Module } from '@nestjs/common';
import { ConsentModule } from '../../consent/consent.module';
import { CLOCK, systemClock } from '@tsunagu/common';
import { EnforcementRepository } from './enforcement.repository';
import { RevocationSignals } from './revocation-signals';
import { WithdrawalEnforcementService } from './withdrawal-enforcement.service';

/**
 * Enforce, then answer (ARCHITECTURE.md §6): the wake-ups of the withdrawal path across replicas
 * (RevocationSignals, used by the dispatcher) and the bounded wait for connectors'
 * acknowledgements that the portal's answers go through.
 */
@Module({
  imports: [ConsentModule],
  providers: [RevocationSignals, EnforcementRepository, WithdrawalEnforcementService, { provide: CLOCK, useValue: systemClock }],
  exports: [RevocationSignals, WithdrawalEnforcementService],
})
export class EnforcementModule {}
