import { type DynamicModule, Global, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { HUB_CONFIG, type HubConfig } from './config/hub.config';
import { KeysRepository } from './keys/keys.repository';
import { KeysService, SECRET_BOX } from './keys/keys.service';
import type { SecretBox } from './keys/secret-box';
import { REDIS } from './redis/redis.provider';
import { ThrottleService } from './throttle/throttle.service';

export interface HubRuntime {
  config: HubConfig;
  dataSource: DataSource;
  secretBox: SecretBox;
  redis?: Redis;
}

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
      ],
      exports: [HUB_CONFIG, DataSource, SECRET_BOX, KeysService, ThrottleService, ...(runtime.redis ? [REDIS] : [])],
    };
  }
}
