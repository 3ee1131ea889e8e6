import { Controller, Get, Inject } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '../config/hub.config';
import { hubOpenApi } from './openapi';

/** Serves the OpenAPI description of the service-facing API. */
@Controller('api')
export class ApiDocsController {
  private readonly document: Record<string, unknown>;

  constructor(@Inject(HUB_CONFIG) config: HubConfig) {
    this.document = hubOpenApi(config.PUBLIC_URL);
  }

  @Get('openapi.json')
  openapi(): Record<string, unknown> {
    return this.document;
  }
}
