import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottleService } from '../platform/throttle/throttle.service';
import type { PortalRequest } from './resident.guard';

/**
 * Counts identity-proofing calls (challenges, verifications) per resident and per address; runs
 * after ResidentGuard, so only signed-in residents are counted per resident. Over the limit: 429
 * `too_many_attempts` with `Retry-After`.
 */
@Injectable()
export class JpkiThrottleGuard implements CanActivate {
  constructor(private readonly throttle: ThrottleService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<PortalRequest>();
    await this.throttle.jpkiAttempt(req.resident?.accountId ?? 'anonymous', req.ip);
    return true;
  }
}
