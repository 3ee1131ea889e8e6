import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '@tsunagu/common';
import { IncidentsRepository } from './incidents.repository';
import { IncidentsService } from './incidents.service';

/** Incidents (事故報告) and their report deadlines. */
@Module({
  providers: [IncidentsRepository, IncidentsService, { provide: CLOCK, useValue: systemClock }],
  exports: [IncidentsService],
})
export class IncidentsModule {}
