import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { CLOCK, type Clock, systemClock } from '@tsunagu/common';
import { DEFAULT_PIN_POLICY, LocalAccountService, PIN_POLICY, type PinPolicy } from './accounts/local-account.service';
import { LocalAccountRepository } from './accounts/local-account.repository';
import { DemoDatabase } from './database/demo-database';
import { DEMO_PROFILE, type DemoProfile } from './demo-profile';
import { CONNECTOR_CLIENT, connectorClientFor } from './connector/connector-data';
import { DemoRuntime, type DemoSettings } from './demo-settings';
import { HUB_FETCH, HubLinksClient, type FetchLike } from './hub/hub-links.client';
import { OidcRelyingParty } from './hub/oidc-relying-party';
import { LinkService } from './linking/link.service';
import { AuthController, HealthController, HomeController, LinkController, PrivacyController } from './web/demo.controllers';
import { SessionRepository } from './web/session.repository';
import { ErasureController } from './erasure/erasure.controller';
import { ReceivedCopiesRepository } from './erasure/received-copies.repository';

export interface DemoKitOptions {
  settings: DemoSettings;
  profile: DemoProfile;
  /** Tests only: a controllable clock, a stand-in network, another PIN policy. */
  clock?: Clock;
  fetch?: FetchLike;
  pinPolicy?: PinPolicy;
}

/**
 * Everything the two demo services share: their database, local accounts with PIN lockout, sign-in
 * with the hub, the 連携 page, sessions, the home, privacy notice and health endpoints, and the
 * erasure callback that deletes its copy of received data. An app imports it and adds
 * its own data and member page.
 */
@Module({})
export class DemoKitModule {
  static register(options: DemoKitOptions): DynamicModule {
    const shared: Provider[] = [
      { provide: DemoRuntime, useValue: new DemoRuntime(options.settings) },
      { provide: DEMO_PROFILE, useValue: options.profile },
      { provide: CLOCK, useValue: options.clock ?? systemClock },
      { provide: DemoDatabase, useFactory: () => DemoDatabase.open(options.settings) },
      LocalAccountRepository,
      LocalAccountService,
      SessionRepository,
      ReceivedCopiesRepository,
      { provide: CONNECTOR_CLIENT, useValue: connectorClientFor(options.settings) },
    ];
    return {
      module: DemoKitModule,
      controllers: [HomeController, HealthController, AuthController, LinkController, PrivacyController, ErasureController],
      providers: [
        ...shared,
        { provide: HUB_FETCH, useValue: options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init)) },
        { provide: PIN_POLICY, useValue: options.pinPolicy ?? DEFAULT_PIN_POLICY },
        OidcRelyingParty,
        HubLinksClient,
        LinkService,
      ],
      exports: shared,
    };
  }
}
