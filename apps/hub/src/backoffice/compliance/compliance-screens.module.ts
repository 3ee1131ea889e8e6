import { Module } from '@nestjs/common';
import { IncidentsModule } from '../../compliance/incidents/incidents.module';
import { IncidentsController } from './incidents.controller';
import { InquiriesModule } from '../../compliance/inquiries/inquiries.module';
import { InquiriesAdminController } from './inquiries.controller';
import { HandlingLedgerModule } from '../../compliance/handling-ledger/handling-ledger.module';
import { HandlingLedgerController } from './handling-ledger.controller';
import { AvailabilityModule } from '../../compliance/availability/availability.module';
import { AvailabilityController } from './availability.controller';
import { LifecycleModule } from '../../lifecycle/lifecycle.module';
import { DeceasedController, ErasureCertificatesController } from '../erasure/erasure.controller';

/** The compliance screens of tenant and system admins: incidents, inquiries, the handling ledger, availability, erasure certificates and deceased residents. */
@Module({
  imports: [IncidentsModule, InquiriesModule, HandlingLedgerModule, AvailabilityModule, LifecycleModule],
  controllers: [IncidentsController, InquiriesAdminController, HandlingLedgerController, AvailabilityController, ErasureCertificatesController, DeceasedController],
})
export class ComplianceScreensModule {}
