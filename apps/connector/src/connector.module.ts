import { Controller, type DynamicModule, Get, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CLOCK, type Clock, DomainExceptionFilter, type ReplayCache, systemClock } from '@tsunagu/common';
import { HttpAdapter } from './adapters/http.adapter';
import { OfferCatalog } from './adapters/offer-catalog';
import {
  CONNECTOR_CONFIG, CONNECTOR_IDENTITY, CONNECTOR_KEYS, CONNECTOR_SECRETS, type ConnectorConfig, type ConnectorIdentity, type ConnectorSecrets, HTTP_FETCH, type HttpFetch,
} from './connector.tokens';
import { HealthController } from './health/health.controller';
import { HubClient } from './hub-client/hub.client';
import { HubKeys } from './hub-client/hub-keys';
import { keepAliveFetch } from './hub-client/keep-alive-fetch';
import { OfferPublisher } from './hub-client/offer-publisher';
import type { ConnectorKeys } from './keys/connector-keys';
import { PeerController } from './peer/peer.controller';
import { PeerService } from './peer/peer.service';
import { StatisticsController } from './statistics/statistics.controller';
import { StatisticsComputationService } from './statistics/statistics.service';
import { InMemoryReplayCache, REPLAY_CACHE } from './peer/replay-cache';
import type { ProvisionStore } from './provisions/provision-outbox';
import { PROVISION_OUTBOX, PROVISIONS_OPTIONS, ProvisionReporter, provisionOutboxProvider, type ProvisionsOptions } from './provisions/provision-reporter';
import { RevocationEventsService } from './revocations/revocation-events.service';
import { ErasureRequestsService } from './erasure/erasure-requests.service';
import { ServiceErasureClient } from './erasure/service-erasure.client';
import { RevocationFeedPoller } from './revocations/revocation-feed.poller';
import { RevocationSet } from './revocations/revocation-set';
import { RevocationsController } from './revocations/revocations.controller';
import { SdkController } from './sdk/sdk.controller';
import { SdkGuard } from './sdk/sdk.guard';
import { SdkService } from './sdk/sdk.service';
import { ServiceMetrics } from '@tsunagu/metrics';
import { ConnectorMetrics } from './health/connector-metrics';

/** Everything one connector process runs on; tests replace the clock, fetch and replay cache. */
export interface ConnectorRuntime {
  config: ConnectorConfig;
  identity: ConnectorIdentity;
  keys: ConnectorKeys;
  secrets: ConnectorSecrets;
  clock?: Clock;
  fetch?: HttpFetch;
  replayCache?: ReplayCache;
  /** The provision outbox (file, retry delays); default beside the key file. */
  provisions?: ProvisionsOptions;
  /** A store in place of the outbox file (tests that control when a write completes; the benchmark's baseline). */
  provisionStore?: ProvisionStore;
  /** This process's metrics registry; default one named after the connector. */
  metrics?: ServiceMetrics;
  /** Monitoring networks (CIDRs) that may scrape /metrics, and the proxies believed for the client address; default loopback only. */
  metricsAccess?: { allowed: string; trustedProxies?: string };
}

@Module({})
export class ConnectorModule {
  static forRoot(runtime: ConnectorRuntime): DynamicModule {
    return {
      module: ConnectorModule,
      controllers: [HealthController, PeerController, StatisticsController, RevocationsController, SdkController],
      providers: [
        { provide: APP_FILTER, useClass: DomainExceptionFilter },
        { provide: CONNECTOR_CONFIG, useValue: runtime.config },
        { provide: CONNECTOR_IDENTITY, useValue: runtime.identity },
        { provide: CONNECTOR_KEYS, useValue: runtime.keys },
        { provide: CONNECTOR_SECRETS, useValue: runtime.secrets },
        { provide: CLOCK, useValue: runtime.clock ?? systemClock },
        // Keep-alive node:http for the calls the connector makes (it hands anything else to the global fetch).
        { provide: HTTP_FETCH, useValue: runtime.fetch ?? keepAliveFetch },
        { provide: REPLAY_CACHE, inject: [CLOCK], useFactory: (clock: Clock) => runtime.replayCache ?? new InMemoryReplayCache(clock) },
        { provide: PROVISIONS_OPTIONS, useValue: runtime.provisions ?? {} },
        runtime.provisionStore ? { provide: PROVISION_OUTBOX, useValue: runtime.provisionStore } : provisionOutboxProvider, ProvisionReporter,
        { provide: ServiceMetrics, useValue: runtime.metrics ?? new ServiceMetrics('connector', runtime.identity.name) }, ConnectorMetrics,
        HubKeys, HubClient, OfferPublisher, OfferCatalog, HttpAdapter, RevocationSet, RevocationFeedPoller, RevocationEventsService, ErasureRequestsService, ServiceErasureClient, PeerService, StatisticsComputationService, SdkService, SdkGuard,
      ],
    };
  }
}

/** The process without a configuration file: health only, as before the connector issue (keeps `npm start` working until it passes `CONNECTOR_CONFIG`). */
@Module({})
export class ConnectorShellModule {
  static forRoot(name: string, hubUrl: string): DynamicModule {
    @Controller('health')
    class ShellHealthController {
      @Get()
      health(): { status: 'ok'; connector: string; hub: string; configured: false } {
        return { status: 'ok', connector: name, hub: hubUrl, configured: false };
      }
    }
    return { module: ConnectorShellModule, controllers: [ShellHealthController] };
  }
}
