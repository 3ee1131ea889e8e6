import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '@tsunagu/common';
import { MaintenanceModule } from '../../operations/maintenance/maintenance.module';
import { AvailabilityRepository } from './availability.repository';
import { AvailabilityService } from './availability.service';

/** The availability record from the hub's own health probes. */
@Module({
  imports: [MaintenanceModule],
  providers: [AvailabilityRepository, AvailabilityService, { provide: CLOCK, useValue: systemClock }],
  exports: [AvailabilityService],
})
export class AvailabilityModule {}
