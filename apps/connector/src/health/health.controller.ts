import { Controller, Get, HttpCode, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { ConnectorHealth } from '@tsunagu/contracts';
import { CONNECTOR_CONFIG, CONNECTOR_IDENTITY, type ConnectorConfig, type ConnectorIdentity } from '../connector.tokens';
import { RevocationSet } from '../revocations/revocation-set';

/** Liveness plus what an operator needs first: is the revocation set fresh (else the peer endpoint refuses)? A consumer-only connector is never degraded by it. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
    @Inject(CONNECTOR_IDENTITY) private readonly identity: ConnectorIdentity,
    private readonly revocations: RevocationSet,
  ) {}

  @Get()
  health(): ConnectorHealth {
    const fresh = this.revocations.isFresh();
    const provides = this.config.offers.length > 0;
    return {
      status: fresh || !provides ? 'ok' : 'degraded',
      connector: this.identity.name,
      connectorId: this.identity.id,
      hub: this.config.hub.url,
      revocations: { fresh, lastSyncAt: this.revocations.lastSyncAt?.toISOString() ?? null, size: this.revocations.size, stalenessSeconds: this.revocations.stalenessSeconds },
    };
  }

  /**
   * Readiness for a load balancer or orchestrator: 503 while the connector would refuse exchanges
   * (a provider before its first revocation sync, or stale), so no traffic is routed to it. `/health`
   * stays 200 as liveness: a stale connector must not be restarted for the hub being away.
   */
  @Get('ready')
  @HttpCode(HttpStatus.OK)
  ready(@Res({ passthrough: true }) res: Response): ConnectorHealth {
    const health = this.health();
    if (health.status !== 'ok') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return health;
  }
}
