import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '@tsunagu/common';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';

/** The provision ledger (提供記録). Its resident-facing page and API are in the portal. */
@Module({ providers: [LedgerRepository, LedgerService, { provide: CLOCK, useValue: systemClock }], exports: [LedgerService] })
export class LedgerModule {}
