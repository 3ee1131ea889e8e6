import { Controller, Get, Inject, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { WebReply } from '@tsunagu/web';
import { REDIS } from '../redis/redis.provider';

/** Liveness and readiness for load balancers and operators: 200 when every check is up, else 503. */
@Controller('health')
export class HealthController {
  constructor(private readonly db: DataSource, @Optional() @Inject(REDIS) private readonly redis?: Redis) {}

  @Get()
  async health(): Promise<WebReply> {
    const checks: Record<string, 'up' | 'down' | 'not_configured'> = { database: 'down', redis: this.redis ? 'down' : 'not_configured' };
    await this.db.query('SELECT 1').then(() => (checks.database = 'up'), () => undefined);
    if (this.redis) await this.redis.ping().then(() => (checks.redis = 'up'), () => undefined);
    const ok = !Object.values(checks).includes('down');
    return WebReply.json({ status: ok ? 'ok' : 'degraded', checks }, ok ? 200 : 503);
  }
}
