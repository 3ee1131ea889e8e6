import { Controller, Get, Inject } from '@nestjs/common';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { portalOpenApi } from './portal-openapi';

/** Serves the OpenAPI description of the resident portal's JSON API. */
@Controller('api/portal')
export class PortalOpenApiController {
  private readonly document: Record<string, unknown>;

  constructor(@Inject(HUB_CONFIG) config: HubConfig) {
    this.document = portalOpenApi(config.PUBLIC_URL);
  }

  @Get('openapi.json')
  openapi(): Record<string, unknown> {
    return this.document;
  }
}
