import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { AjvBodyPipe } from '@tsunagu/common';
import { type ExchangeRequest, exchangeRequestSchema, type ExchangeResponse } from '@tsunagu/contracts';
import { PeerService } from './peer.service';

/** The provider's peer endpoint: `POST /peer/v1/exchange` with `Authorization: DPoP <grant>` and `DPoP: <proof>`. */
@Controller('peer/v1')
export class PeerController {
  constructor(private readonly peer: PeerService) {}

  @Post('exchange')
  @HttpCode(200)
  exchange(
    @Headers('authorization') authorization: string | undefined,
    @Headers('dpop') dpop: string | undefined,
    @Body(new AjvBodyPipe(exchangeRequestSchema)) body: ExchangeRequest,
  ): Promise<ExchangeResponse> {
    return this.peer.exchange({ authorization, dpop, body });
  }
}
