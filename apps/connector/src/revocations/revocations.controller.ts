import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { RevocationEventAck } from '@tsunagu/contracts';
import { RevocationEventsService } from './revocation-events.service';

/** `POST /revocations/v1/events`: the hub pushes one SET (`Content-Type: application/secevent+jwt`). */
@Controller('revocations/v1')
export class RevocationsController {
  constructor(private readonly events: RevocationEventsService) {}

  @Post('events')
  @HttpCode(202)
  receive(@Body() body: unknown): Promise<RevocationEventAck> {
    return this.events.receive(body);
  }
}
