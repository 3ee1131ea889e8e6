import { Controller, Get, Inject, Module, type DynamicModule } from '@nestjs/common';
import type { ConnectorConfig } from './connector.config';

const CONNECTOR_CONFIG = Symbol('CONNECTOR_CONFIG');

/** Status of the connector. The SDK, peer and revocation endpoints arrive with the connector issue. */
@Controller('health')
class ConnectorHealthController {
  constructor(@Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig) {}

  @Get()
  health(): { status: 'ok'; connector: string; hub: string } {
    return { status: 'ok', connector: this.config.CONNECTOR_NAME, hub: this.config.HUB_URL };
  }
}

@Module({})
export class ConnectorModule {
  static forRoot(config: ConnectorConfig): DynamicModule {
    return { module: ConnectorModule, controllers: [ConnectorHealthController], providers: [{ provide: CONNECTOR_CONFIG, useValue: config }] };
  }
}
