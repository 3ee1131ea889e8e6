import { Controller, Get, Param, Post, Query, Req, UseFilters, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { Lang, WebReply } from '@tsunagu/web';
import type { ResidentSession } from '../identity/session/resident-session.service';
import { AccountService } from './account.service';
import { ServiceAccessService } from './service-access.service';
import { accountPage, signedOutPage } from './account.views';
import { AccountPageFilter, SignInCallbackFilter } from './portal-page.filter';
import { portalReply } from './portal.layout';
import { clearedAuthCookie, PortalSignInService } from './portal-sign-in.service';
import { MaybeResident, Resident, ResidentGuard, ResidentOptional } from './resident.guard';

/**
 * The resident's own page at the hub (common ID, verification status, linked services) and the
 * portal's sign-in and sign-out. A signed-out visitor of the page goes to sign-in.
 */
@Controller('account')
export class AccountController {
  constructor(private readonly account: AccountService, private readonly signIn: PortalSignInService, private readonly links: ServiceAccessService) {}

  @Get()
  @UseGuards(ResidentGuard)
  @UseFilters(AccountPageFilter)
  async show(@Lang() lang: Lang, @Resident() session: ResidentSession, @Query('unlinked') unlinked?: string): Promise<WebReply> {
    const overview = await this.account.overview(session);
    if (!overview) return WebReply.seeOther('/account/login');
    return portalReply(accountPage({ lang, ...overview, unlinked: unlinked === '1' }));
  }

  /** Starts sign-in; `next` (a portal path) is where the resident lands afterwards. */
  @Get('login')
  async login(@Query('next') next?: string): Promise<WebReply> {
    const { location, cookie } = await this.signIn.start(next);
    return WebReply.seeOther(location).cookie(cookie);
  }

  @Get('callback')
  @UseFilters(SignInCallbackFilter)
  async callback(@Req() req: Request): Promise<WebReply> {
    const next = await this.signIn.finish(req);
    return WebReply.seeOther(next ?? '/account/login').cookie(clearedAuthCookie);
  }

  @Post('links/:id/delete')
  @UseGuards(ResidentGuard)
  @UseFilters(AccountPageFilter)
  async unlink(@Resident() session: ResidentSession, @Param('id') id: string): Promise<WebReply> {
    await this.links.removeByLink(session.accountId, id);
    return WebReply.seeOther('/account?unlinked=1');
  }

  /** Removes a service: its sign-in access and tokens are revoked, it is signed out, and unlinked. */
  @Post('links/services/:clientId/delete')
  @UseGuards(ResidentGuard)
  @UseFilters(AccountPageFilter)
  async removeService(@Resident() session: ResidentSession, @Param('clientId') clientId: string): Promise<WebReply> {
    await this.links.remove(session.accountId, clientId);
    return WebReply.seeOther('/account?unlinked=1');
  }

  @Get('logout')
  logout(): WebReply {
    return WebReply.seeOther(this.signIn.logoutUrl());
  }

  /** Where the hub's end-session lands: 「ログアウトしました」 only when it is true. */
  @Get('signed-out')
  @UseGuards(ResidentGuard)
  @ResidentOptional()
  signedOut(@Lang() lang: Lang, @MaybeResident() session?: ResidentSession): WebReply {
    return session ? WebReply.seeOther('/account') : portalReply(signedOutPage(lang));
  }
}
