import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { KeysService } from '../platform/keys/keys.service';
import { REDIS } from '../platform/redis/redis.provider';
import { ThrottleService } from '../platform/throttle/throttle.service';
import { ResidentsModule } from './residents/residents.module';
import { ResidentsService } from './residents/residents.service';
import { ServicesModule } from '../tenancy/services/services.module';
import { ServicesService } from '../tenancy/services/services.service';
import { InteractionController } from './interaction/interaction.controller';
import { InteractionGuard } from './interaction/interaction.guard';
import { InteractionService } from './interaction/interaction.service';
import { createOidcProvider, OIDC_PROVIDER } from './oidc/oidc-provider.factory';
import { ResidentAccessService } from './oidc/resident-access.service';
import { tokenThrottle } from './oidc/token-throttle';
import { ResidentSessionService } from './session/resident-session.service';
import { ResidentSessionsService } from './session/resident-sessions.service';
import { clientAddressOf, sessionActivity } from './session/session-activity';
import { SessionDevicesRepository } from './session/session-devices.repository';

/** OpenID Provider (oidc-provider), its sign-in/consent screens, and the resident's session at the hub's own screens. */
@Module({
  imports: [ResidentsModule, ServicesModule],
  controllers: [InteractionController],
  providers: [
    {
      provide: OIDC_PROVIDER,
      inject: [HUB_CONFIG, KeysService, ResidentsService, ServicesService, ThrottleService, SessionDevicesRepository, { token: REDIS, optional: true }],
      useFactory: async (config: HubConfig, keys: KeysService, residents: ResidentsService, services: ServicesService, throttle: ThrottleService, devices: SessionDevicesRepository, redis?: Redis) => {
        const provider = await createOidcProvider({ config, keys, residents, services, redis });
        // The token endpoint is throttled per client and per address before oidc-provider handles it.
        provider.use(tokenThrottle(throttle));
        // Each sign-in's device, address and time, for the portal's list of sessions.
        provider.use(sessionActivity(devices, clientAddressOf(config.ADMIN_TRUSTED_PROXIES)));
        return provider;
      },
    },
    InteractionService,
    InteractionGuard,
    ResidentSessionService,
    ResidentAccessService,
    SessionDevicesRepository,
    ResidentSessionsService,
  ],
  exports: [OIDC_PROVIDER, ResidentSessionService, ResidentAccessService, ResidentSessionsService],
})
export class IdentityModule {}
