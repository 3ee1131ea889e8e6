import { Injectable } from '@nestjs/common';
import { RevocationSignals } from '../../exchange/enforcement/revocation-signals';
import { FollowUpLoop } from '../erasure/follow-up-loop';
import { DepartureRepository } from './departure.repository';
import { DepartureService } from './departure.service';

/**
 * Carries every committed departure to its certificate (docs/erasure.md): DepartureService.followUp
 * for each open departure, in every replica, on a timer, on each acknowledgement and after a restart.
 */
@Injectable()
export class DepartureProcessor extends FollowUpLoop {
  constructor(private readonly repo: DepartureRepository, private readonly departures: DepartureService, signals: RevocationSignals) {
    super(DepartureProcessor.name, signals, 'Departure', 50);
  }

  protected listOpen(limit: number): Promise<{ id: string }[]> {
    return this.repo.listOpen(limit);
  }

  protected followUp(id: string): Promise<void> {
    return this.departures.followUp(id);
  }
}
