import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '@tsunagu/common';
import { InquiriesRepository } from './inquiries.repository';
import { InquiriesService } from './inquiries.service';

/** Inquiries (問い合わせ) from residents and staff, and the admins' inbox. */
@Module({
  providers: [InquiriesRepository, InquiriesService, { provide: CLOCK, useValue: systemClock }],
  exports: [InquiriesService],
})
export class InquiriesModule {}
