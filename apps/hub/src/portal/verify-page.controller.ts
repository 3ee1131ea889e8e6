import { Controller, Get, Post, Query, UseFilters, UseGuards } from '@nestjs/common';
import { DomainException } from '@tsunagu/common';
import { Lang, WebReply } from '@tsunagu/web';
import type { ResidentSession } from '../identity/session/resident-session.service';
import { AccountService } from './account.service';
import { verifyPage } from './jpki.views';
import { AccountPageFilter } from './portal-page.filter';
import { portalReply } from './portal.layout';
import { Resident, ResidentGuard } from './resident.guard';

/** The portal page that explains identity proofing (and, in development, offers the test card). */
@Controller('account/verify')
@UseGuards(ResidentGuard)
@UseFilters(AccountPageFilter)
export class VerifyPageController {
  constructor(private readonly account: AccountService) {}

  @Get()
  async page(@Lang() lang: Lang, @Resident() session: ResidentSession, @Query('done') done?: string): Promise<WebReply> {
    return portalReply(verifyPage({ lang, ...(await this.account.verification(session)), done: done === '1' }));
  }

  /** A refused test card is shown on the page itself (400), with the reason. */
  @Post('test-card')
  async testCard(@Lang() lang: Lang, @Resident() session: ResidentSession): Promise<WebReply> {
    try {
      await this.account.verifyWithTestCard(session);
      return WebReply.seeOther('/account/verify?done=1');
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      return portalReply(verifyPage({ lang, ...(await this.account.verification(session)), error: error.bilingual[lang] }), 400);
    }
  }
}
