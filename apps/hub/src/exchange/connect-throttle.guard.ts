import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ThrottleService } from '../platform/throttle/throttle.service';

/**
 * Counts every connector API call per address before anything else runs (assertion checks cost
 * a signature verification and a Redis round trip); over the limit: 429 `too_many_attempts`
 * with `Retry-After`.
 */
@Injectable()
export class ConnectThrottleGuard implements CanActivate {
  constructor(private readonly throttle: ThrottleService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.throttle.connectAttempt(context.switchToHttp().getRequest<Request>().ip);
    return true;
  }
}
