import { Module } from '@nestjs/common';
import { createJobQueue, QueueName } from '@tsunagu/queue';
import type Redis from 'ioredis';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { TenancyModule } from '../tenancy/tenancy.module';
import { ConsentModule } from '../consent/consent.module';
import { LedgerModule } from './ledger/ledger.module';
import { EnforcementModule } from './enforcement/enforcement.module';
import { REDIS } from '../platform/redis/redis.provider';
import { HubMetrics } from '../platform/metrics/hub-metrics';
import { hubQueue } from '../platform/jobs/queues.module';
import { InMemoryAssertionReplayCache, RedisAssertionReplayCache } from './assertion-replay';
import { ConnectController } from './connect.controller';
import { ConnectRepository } from './connect.repository';
import { ASSERTION_REPLAY_CACHE, REVOCATIONS_QUEUE } from './connect.tokens';
import { ConnectorAuthService } from './connector-auth.service';
import { GrantRecordsRepository } from './grant-records.repository';
import { GrantsService } from './grants.service';
import { HubSigningKeyService } from './hub-signing-key.service';
import { OfferPublicationService } from './offer-publication.service';
import { ProvisionsService } from './provisions.service';
import { RegistrationService } from './registration.service';
import { RevocationDispatcher } from './revocation-dispatcher.service';
import { RevocationFeedService } from './revocation-feed.service';
import { RevocationFeedHead } from './revocation-feed-head';
import { RevocationStreamService } from './revocation-stream.service';

/**
 * The hub side of the connectors (docs/connector.md §7): JWKS, registration, grants, the signed
 * revocation feed and the push of revocation events. The revocations queue lives here (bull on
 * Redis when configured, else in process); the dispatcher closes it on shutdown.
 */
@Module({
  imports: [ConsentModule, TenancyModule, LedgerModule, EnforcementModule],
  controllers: [ConnectController],
  providers: [
    ConnectRepository, GrantRecordsRepository, HubSigningKeyService, ConnectorAuthService, RegistrationService, GrantsService, RevocationFeedService, RevocationFeedHead, RevocationStreamService, RevocationDispatcher, ProvisionsService, OfferPublicationService,
    {
      provide: ASSERTION_REPLAY_CACHE,
      inject: [HUB_CONFIG, { token: REDIS, optional: true }],
      useFactory: (config: HubConfig, redis?: Redis) => (redis ? new RedisAssertionReplayCache(redis, config.REDIS_PREFIX) : new InMemoryAssertionReplayCache()),
    },
    {
      provide: REVOCATIONS_QUEUE,
      inject: [HUB_CONFIG, HubMetrics],
      useFactory: (config: HubConfig, metrics: HubMetrics) => hubQueue(config, metrics, createJobQueue(QueueName.Revocations, { redisUrl: config.REDIS_URL, prefix: `${config.REDIS_PREFIX}bull` })),
    },
  ],
})
export class ConnectModule {}
