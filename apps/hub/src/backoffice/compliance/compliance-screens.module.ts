import { Module } from '@nestjs/common';
import { IncidentsModule } from '../../compliance/incidents/incidents.module';
import { IncidentsController } from './incidents.controller';

/** The compliance screens of tenant and system admins: incidents, inquiries, the handling ledger, availability. */
@Module({
  imports: [IncidentsModule],
  controllers: [IncidentsController],
})
export class ComplianceScreensModule {}
