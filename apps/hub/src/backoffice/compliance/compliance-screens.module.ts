import { Module } from '@nestjs/common';
import { IncidentsModule } from '../../compliance/incidents/incidents.module';
import { IncidentsController } from './incidents.controller';
import { InquiriesModule } from '../../compliance/inquiries/inquiries.module';
import { InquiriesAdminController } from './inquiries.controller';
import { HandlingLedgerModule } from '../../compliance/handling-ledger/handling-ledger.module';
import { HandlingLedgerController } from './handling-ledger.controller';
import { AvailabilityModule } from '../../compliance/availability/availability.module';
import { AvailabilityController } from './availability.controller';

/** The compliance screens of tenant and system admins: incidents, inquiries, the handling ledger, availability. */
@Module({
  imports: [IncidentsModule, InquiriesModule, HandlingLedgerModule, AvailabilityModule],
  controllers: [IncidentsController, InquiriesAdminController, HandlingLedgerController, AvailabilityController],
})
export class ComplianceScreensModule {}
