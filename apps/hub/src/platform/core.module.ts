import { type DynamicModule, Global, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { HUB_CONFIG, type HubConfig } from './config/hub.config';
import { KeysRepository } from './keys/keys.repository';
import { KeysService, SECRET_BOX } from './keys/keys.service';
import type { SecretBox } from './keys/secret-box';
import { REDIS } from './redis/redis.provider';
import { ThrottleService } from './throttle/throttle.service';
import { ServiceMetrics } from '@tsunagu/metrics';
import { HubMetrics } from './metrics/hub-metrics';
import type { EmbeddedPostgres } from '@tsunagu/database';

export interface HubRuntime {
  config: HubConfig;
  dataSource: DataSource;
  secretBox: SecretBox;
  redis?: Redis;
  /** This process's metrics registry (served at /metrics to the monitoring networks). */
  metrics: ServiceMetrics;
  /** The embedded database when there is no DATABASE_URL (its backup is a dump of its folder). */
  embedded?: EmbeddedPostgres;
}

/** Injection token of the embedded database (absent on a PostgreSQL server). */
export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

/** Process-wide resources opened before Nest starts: config, database, Redis, keys; and the throttles on them. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(runtime: HubRuntime): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: HUB_CONFIG, useValue: runtime.config },
        { provide: DataSource, useValue: runtime.dataSource },
        { provide: SECRET_BOX, useValue: runtime.secretBox },
        ...(runtime.redis ? [{ provide: REDIS, useValue: runtime.redis }] : []),
        KeysRepository,
        KeysService,
        ThrottleService,
        { provide: ServiceMetrics, useValue: runtime.metrics },
        ...(runtime.embedded ? [{ provide: EMBEDDED_DATABASE, useValue: runtime.embedded }] : []),
        HubMetrics,
      ],
      exports: [HUB_CONFIG, DataSource, SECRET_BOX, KeysService, ThrottleService, ServiceMetrics, HubMetrics, ...(runtime.embedded ? [EMBEDDED_DATABASE] : []), ...(runtime.redis ? [REDIS] : [])],
    };
  }
}
