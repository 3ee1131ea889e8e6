import { Controller, Get, Header } from '@nestjs/common';
import { ConsentService } from './consent.service';

/**
 * Public keys of every key that ever signed a consent receipt. The OIDC JWKS drops a key some time
 * after rotation; receipts live for years, so their keys stay published here.
 */
@Controller('api/v1/receipts')
export class ReceiptsJwksController {
  constructor(private readonly consents: ConsentService) {}

  @Get('jwks')
  @Header('cache-control', 'public, max-age=300')
  async jwks(): Promise<{ keys: Record<string, unknown>[] }> {
    return { keys: await this.consents.archivedReceiptKeys() };
  }
}
