import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { HUB_CONFIG, type HubConfig } from '../config/hub.config';
import { KeysService } from '../keys/keys.service';
import { REDIS } from '../redis/redis.provider';
import { ResidentsModule } from '../residents/residents.module';
import { ResidentsService } from '../residents/residents.service';
import { ServicesModule } from '../services/services.module';
import { ServicesService } from '../services/services.service';
import { InteractionController } from './interaction/interaction.controller';
import { InteractionService } from './interaction/interaction.service';
import { BearerTokenGuard } from './oidc/bearer-token.guard';
import { createOidcProvider, OIDC_PROVIDER } from './oidc/oidc-provider.factory';

/** OpenID Provider (oidc-provider), its sign-in/consent screens and bearer-token checks. */
@Module({
  imports: [ResidentsModule, ServicesModule],
  controllers: [InteractionController],
  providers: [
    {
      provide: OIDC_PROVIDER,
      inject: [HUB_CONFIG, KeysService, ResidentsService, ServicesService, { token: REDIS, optional: true }],
      useFactory: (config: HubConfig, keys: KeysService, residents: ResidentsService, services: ServicesService, redis?: Redis) =>
        createOidcProvider({ config, keys, residents, services, redis }),
    },
    InteractionService,
    BearerTokenGuard,
  ],
  exports: [OIDC_PROVIDER, BearerTokenGuard],
})
export class IdentityModule {}
