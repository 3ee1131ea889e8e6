import { Body, Controller, Get, Header, HttpCode, Post, UseGuards } from '@nestjs/common';
import { AjvBodyPipe } from '@tsunagu/common';
import { type SdkDataRequest, sdkDataRequestSchema, type SdkDataResponse } from '@tsunagu/contracts';
import { sdkOpenApiDocument } from '@tsunagu/connector-sdk';
import { SdkGuard } from './sdk.guard';
import { SdkService } from './sdk.service';

/** The SDK endpoints a consuming service calls on its own connector (docs/connector.md). */
@Controller('sdk/v1')
export class SdkController {
  constructor(private readonly sdk: SdkService) {}

  @Post('requests')
  @HttpCode(200)
  @UseGuards(SdkGuard)
  request(@Body(new AjvBodyPipe(sdkDataRequestSchema)) body: SdkDataRequest): Promise<SdkDataResponse> {
    return this.sdk.request(body);
  }

  /** The OpenAPI 3.1 description of `/sdk/v1` (public: it describes, it serves no data). */
  @Get('openapi.json')
  @Header('cache-control', 'public, max-age=300')
  openapi(): Record<string, unknown> {
    return sdkOpenApiDocument();
  }
}
