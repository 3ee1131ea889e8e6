import { Body, Controller, Get, Header, Post, Query, UseFilters, UseGuards } from '@nestjs/common';
import { DomainException, isUuid } from '@tsunagu/common';
import { Lang, WebReply } from '@tsunagu/web';
import { safeInteractionReturn } from '../identity/interaction/interaction.service';
import type { ResidentSession } from '../identity/session/resident-session.service';
import { AccountService } from './account.service';
import { qrCodeSvg } from './qr-code';
import { JpkiTransferService } from './jpki-transfer.service';
import { cardAppLandingPage, TRANSFER_POLL_SCRIPT, type TransferView, verifyPage } from './jpki.views';
import { AccountPageFilter } from './portal-page.filter';
import { portalReply } from './portal.layout';
import { Resident, ResidentGuard } from './resident.guard';

/** Where a verification goes back to: a service's sign-in step-up (`/interaction/:uid` only), or nowhere. */
function returnOf(body: unknown): string | undefined {
  return safeInteractionReturn((body as Record<string, unknown> | undefined)?.return);
}

/**
 * The portal page that explains identity proofing (and, in development, offers the test card).
 * Opened from a service's step-up screen it carries `return=/interaction/:uid` (nothing else is
 * accepted) and goes back there once the account is verified.
 */
@Controller('account/verify')
@UseGuards(ResidentGuard)
@UseFilters(AccountPageFilter)
export class VerifyPageController {
  constructor(private readonly account: AccountService, private readonly transfers: JpkiTransferService) {}

  /** `transfer`: the hand-over this session started (a plain refresh shows how it ended; no script needed). */
  @Get()
  async page(
    @Lang() lang: Lang, @Resident() session: ResidentSession, @Query('done') done?: string, @Query('return') returnTo?: unknown, @Query('transfer') transferId?: unknown,
  ): Promise<WebReply> {
    let transfer: TransferView | undefined;
    if (typeof transferId === 'string' && isUuid(transferId)) {
      const latest = await this.transfers.latest(session);
      if (latest && latest.transferId === transferId) transfer = latest;
    }
    return portalReply(verifyPage({ lang, ...(await this.account.verification(session)), done: done === '1', returnTo: safeInteractionReturn(returnTo), transfer }));
  }

  /** Starts a hand-over to a card app on another device: the page with its QR code (the token is shown once). */
  @Post('transfer')
  async transfer(@Lang() lang: Lang, @Resident() session: ResidentSession, @Body() body: unknown): Promise<WebReply> {
    const returnTo = returnOf(body);
    try {
      const created = await this.transfers.create(session);
      const transfer: TransferView = {
        transferId: created.transferId, state: 'waiting',
        created: { link: created.link, token: created.token, expiresAt: new Date(created.expiresAt), qrSvg: await qrCodeSvg(created.link) },
      };
      return portalReply(verifyPage({ lang, ...(await this.account.verification(session)), returnTo, transfer }));
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      return portalReply(verifyPage({ lang, ...(await this.account.verification(session)), error: error.bilingual[lang], returnTo }), 400);
    }
  }

  @Get('transfer.js')
  @Header('content-type', 'application/javascript')
  script(): string {
    return TRANSFER_POLL_SCRIPT;
  }

  /** A refused test card is shown on the page itself (400), with the reason. */
  @Post('test-card')
  async testCard(@Lang() lang: Lang, @Resident() session: ResidentSession, @Body() body: unknown): Promise<WebReply> {
    const returnTo = returnOf(body);
    try {
      await this.account.verifyWithTestCard(session);
      return WebReply.seeOther(returnTo ?? '/account/verify?done=1');
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      return portalReply(verifyPage({ lang, ...(await this.account.verification(session)), error: error.bilingual[lang], returnTo }), 400);
    }
  }
}

/** Where the hand-over link lands when a phone's browser opens it instead of a card app (the token stays in the fragment). */
@Controller('jpki/app')
export class CardAppLandingController {
  @Get()
  page(@Lang() lang: Lang): WebReply {
    return portalReply(cardAppLandingPage(lang));
  }
}
