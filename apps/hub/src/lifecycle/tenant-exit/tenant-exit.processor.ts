import { Injectable } from '@nestjs/common';
import { RevocationSignals } from '../../exchange/enforcement/revocation-signals';
import { FollowUpLoop } from '../erasure/follow-up-loop';
import { TenantExitRepository } from './tenant-exit.repository';
import { TenantExitService } from './tenant-exit.service';

/**
 * Carries every committed tenant deletion to its certificate (docs/erasure.md "Tenants leaving"):
 * TenantExitService.followUp for each open exit, in every replica, on a timer, on each
 * acknowledgement and after a restart.
 */
@Injectable()
export class TenantExitProcessor extends FollowUpLoop {
  constructor(private readonly repo: TenantExitRepository, private readonly exits: TenantExitService, signals: RevocationSignals) {
    super(TenantExitProcessor.name, signals, 'Tenant exit', 20);
  }

  protected listOpen(limit: number): Promise<{ id: string }[]> {
    return this.repo.listOpen(limit);
  }

  protected followUp(id: string): Promise<void> {
    return this.exits.followUp(id);
  }
}
