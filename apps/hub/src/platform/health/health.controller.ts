import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import type { Response } from 'express';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../redis/redis.provider';

/** Liveness and readiness for load balancers and operators. */
@Controller('health')
export class HealthController {
  constructor(private readonly db: DataSource, @Optional() @Inject(REDIS) private readonly redis?: Redis) {}

  @Get()
  async health(@Res() res: Response): Promise<void> {
    const checks: Record<string, 'up' | 'down' | 'not_configured'> = { database: 'down', redis: this.redis ? 'down' : 'not_configured' };
    await this.db.query('SELECT 1').then(() => (checks.database = 'up'), () => undefined);
    if (this.redis) await this.redis.ping().then(() => (checks.redis = 'up'), () => undefined);
    const ok = !Object.values(checks).includes('down');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks });
  }
}
