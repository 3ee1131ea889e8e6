import { Module } from '@nestjs/common';
import { HandlingLedgerRepository } from './handling-ledger.repository';
import { HandlingLedgerService } from './handling-ledger.service';

/** The handling ledger (台帳), read from the provision ledger, the audit chain and the catalog's retention settings. */
@Module({
  providers: [HandlingLedgerRepository, HandlingLedgerService],
  exports: [HandlingLedgerService],
})
export class HandlingLedgerModule {}
