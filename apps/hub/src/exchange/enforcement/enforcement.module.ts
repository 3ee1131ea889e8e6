import { Module } from '@nestjs/common';
import { ConsentModule } from '../../consent/consent.module';
import { CLOCK, systemClock } from '@tsunagu/common';
import { ConnectorRevocationEnforcementService } from './connector-revocation-enforcement.service';
import { AcknowledgementWait } from './enforcement-bounds';
import { EnforcementRepository } from './enforcement.repository';
import { RevocationSignals } from './revocation-signals';
import { WithdrawalEnforcementService } from './withdrawal-enforcement.service';

/**
 * Enforce, then answer (ARCHITECTURE.md §6): the wake-ups of the withdrawal path across replicas
 * (RevocationSignals, used by the dispatcher) and the bounded wait for connectors'
 * acknowledgements that the portal's answers (withdrawals), and the admin's (catalog changes,
 * revoked connectors), go through.
 */
@Module({
  imports: [ConsentModule],
  providers: [
    RevocationSignals, EnforcementRepository, AcknowledgementWait, WithdrawalEnforcementService, ConnectorRevocationEnforcementService,
    { provide: CLOCK, useValue: systemClock },
  ],
  exports: [RevocationSignals, WithdrawalEnforcementService, ConnectorRevocationEnforcementService],
})
export class EnforcementModule {}
