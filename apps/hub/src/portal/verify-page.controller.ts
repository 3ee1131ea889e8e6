import { Body, Controller, Get, Post, Query, UseFilters, UseGuards } from '@nestjs/common';
import { DomainException } from '@tsunagu/common';
import { Lang, WebReply } from '@tsunagu/web';
import { safeInteractionReturn } from '../identity/interaction/interaction.service';
import type { ResidentSession } from '../identity/session/resident-session.service';
import { AccountService } from './account.service';
import { verifyPage } from './jpki.views';
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
  constructor(private readonly account: AccountService) {}

  @Get()
  async page(@Lang() lang: Lang, @Resident() session: ResidentSession, @Query('done') done?: string, @Query('return') returnTo?: unknown): Promise<WebReply> {
    return portalReply(verifyPage({ lang, ...(await this.account.verification(session)), done: done === '1', returnTo: safeInteractionReturn(returnTo) }));
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
