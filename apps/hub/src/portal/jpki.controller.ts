import { Body, Controller, Get, Headers, HttpCode, Ip, Param, Post, UseGuards } from '@nestjs/common';
import { AjvBodyPipe } from '@tsunagu/common';
import {
  type JpkiAppChallengeResponse, type JpkiChallengeResponse, type JpkiTransferResponse, type JpkiTransferStatus, type JpkiVerificationRequest,
  jpkiVerificationRequestSchema, type JpkiVerificationResponse,
} from '@tsunagu/contracts';
import { JpkiException } from '../identity/jpki/jpki.exception';
import { JpkiService } from '../identity/jpki/jpki.service';
import type { ResidentSession } from '../identity/session/resident-session.service';
import { AccountService } from './account.service';
import { JpkiThrottleGuard } from './jpki-throttle.guard';
import { JpkiTransferService } from './jpki-transfer.service';
import { RefuseResidentWith, Resident, ResidentGuard, type ResidentRefusals } from './resident.guard';

/** The identity-proofing API answers with its own published codes (libs/contracts identity-proofing.ts). */
const jpkiRefusals: ResidentRefusals = {
  notSignedIn: () => new JpkiException('jpki_sign_in_required'),
  csrfInvalid: () => new JpkiException('jpki_csrf_failed'),
};

/**
 * Identity proofing API for a card app (JSON): the resident's session cookie, and the CSRF token
 * in the `x-csrf-token` header on every POST. Challenges and verifications are throttled per
 * resident and per address (JpkiThrottleGuard).
 */
@Controller('api/v1/identity/jpki')
@UseGuards(ResidentGuard)
@RefuseResidentWith(jpkiRefusals)
export class JpkiController {
  constructor(private readonly jpki: JpkiService, private readonly account: AccountService, private readonly transfers: JpkiTransferService) {}

  @Get()
  status(@Resident() session: ResidentSession): Promise<{ verified: boolean; verifiedAt: string | null; csrfToken: string }> {
    return this.account.proofingStatus(session);
  }

  @Post('challenges')
  @UseGuards(JpkiThrottleGuard)
  @HttpCode(201)
  challenge(@Resident() session: ResidentSession): Promise<JpkiChallengeResponse> {
    return this.jpki.issueChallenge(session);
  }

  @Post('verifications')
  @UseGuards(JpkiThrottleGuard)
  @HttpCode(200)
  verification(@Resident() session: ResidentSession, @Body(new AjvBodyPipe(jpkiVerificationRequestSchema)) body: JpkiVerificationRequest): Promise<JpkiVerificationResponse> {
    return this.jpki.verify(session, body);
  }

  /** A hand-over to a card app on another device: a challenge and a one-time token for the QR code. */
  @Post('transfers')
  @UseGuards(JpkiThrottleGuard)
  @HttpCode(201)
  transfer(@Resident() session: ResidentSession): Promise<JpkiTransferResponse> {
    return this.transfers.create(session);
  }

  /** What the PC page polls until the app has answered. */
  @Get('transfers/:id')
  transferStatus(@Resident() session: ResidentSession, @Param('id') id: string): Promise<JpkiTransferStatus> {
    return this.transfers.status(session, id);
  }
}

/**
 * The card app's side of a hand-over (docs/jpki-hub.md "Request format for card apps"): the
 * one-time token in `Authorization: JPKI-Transfer <token>`, no cookie, no CSRF header.
 */
@Controller('api/v1/identity/jpki/app')
export class JpkiAppController {
  constructor(private readonly transfers: JpkiTransferService) {}

  @Get('challenge')
  challenge(@Headers('authorization') authorization: string | undefined, @Ip() ip: string): Promise<JpkiAppChallengeResponse> {
    return this.transfers.challenge(authorization, ip);
  }

  @Post('verifications')
  @HttpCode(200)
  verification(
    @Headers('authorization') authorization: string | undefined, @Ip() ip: string,
    @Body(new AjvBodyPipe(jpkiVerificationRequestSchema)) body: JpkiVerificationRequest,
  ): Promise<JpkiVerificationResponse> {
    return this.transfers.verify(authorization, ip, body);
  }
}
