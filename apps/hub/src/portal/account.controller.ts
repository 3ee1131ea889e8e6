import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import * as oidc from 'openid-client';
import { pickLang } from '@tsunagu/web';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { ConsentService } from '../consent/consent.service';
import { OIDC_PATH } from '../identity/oidc/oidc-provider.factory';
import { LinksService } from '../links/links.service';
import { ResidentsService } from '../identity/residents/residents.service';
import { accountPage, accountText } from './account.views';
import { PORTAL_CALLBACK_PATH, PORTAL_CLIENT_ID } from '../identity/session/portal-client';
import { ResidentSessionService } from '../identity/session/resident-session.service';

const AUTH_COOKIE = 'portal_auth';

/** Only the hub's own portal pages may be a destination after sign-in (no open redirect). */
function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/(portal|account)(\/[A-Za-z0-9._~\-/]*)?(\?[A-Za-z0-9._~\-=&%]*)?$/.test(next) && !next.includes('//') ? next : undefined;
}

/** The resident's own page at the hub: common ID, verification status, linked services (unlink). */
@Controller('account')
export class AccountController {
  private discovered?: Promise<oidc.Configuration>;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly sessions: ResidentSessionService,
    private readonly residents: ResidentsService,
    private readonly links: LinksService,
    private readonly consents: ConsentService,
  ) {}

  @Get()
  async show(@Req() req: Request, @Res() res: Response): Promise<void> {
    const session = await this.sessions.current(req, res);
    const resident = session && await this.residents.findById(session.accountId);
    if (!session || !resident) return res.redirect(303, '/account/login');
    const lang = pickLang(req);
    const notice = req.query.unlinked === '1' ? accountText.unlinked[lang] : undefined;
    const [links, pending, csrf] = await Promise.all([this.links.listForResident(resident.id), this.consents.pendingRequests(resident.id), this.sessions.csrfToken(session)]);
    const body = accountPage({ lang, resident, links, pending, csrf, notice });
    res.setHeader('cache-control', 'no-store');
    res.status(200).type('html').send(body.value);
  }

  /** Starts sign-in; `next` (a portal path) is where the resident lands afterwards. */
  @Get('login')
  async login(@Res() res: Response, @Query('next') next?: string): Promise<void> {
    const config = await this.client();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    res.cookie(AUTH_COOKIE, JSON.stringify({ verifier, state, next: safeNext(next) }), { httpOnly: true, sameSite: 'lax', path: '/account', maxAge: 600_000, secure: this.config.PUBLIC_URL.startsWith('https') });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${this.config.PUBLIC_URL}${PORTAL_CALLBACK_PATH}`,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    res.redirect(303, url.href);
  }

  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    let saved: { verifier?: string; state?: string; next?: string } = {};
    try {
      saved = JSON.parse(String(req.cookies?.[AUTH_COOKIE] ?? '{}'));
    } catch {
      saved = {};
    }
    res.clearCookie(AUTH_COOKIE, { path: '/account' });
    if (!saved.verifier || !saved.state) return res.redirect(303, '/account/login');
    const current = new URL(req.originalUrl, this.config.PUBLIC_URL);
    await oidc.authorizationCodeGrant(await this.client(), current, { pkceCodeVerifier: saved.verifier, expectedState: saved.state });
    res.redirect(303, safeNext(saved.next) ?? '/account');
  }

  @Post('links/:id/delete')
  @HttpCode(303)
  async unlink(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Body() body: { csrf?: unknown }): Promise<void> {
    const session = await this.sessions.current(req, res);
    if (!session) return res.redirect(303, '/account/login');
    if (!(await this.sessions.checkCsrf(session, body?.csrf))) {
      res.status(403).type('text').send('CSRF token mismatch / 不正なリクエストです');
      return;
    }
    await this.links.unlink(session.accountId, id);
    res.redirect(303, '/account?unlinked=1');
  }

  @Get('logout')
  async logout(@Res() res: Response): Promise<void> {
    const url = new URL(`${this.config.PUBLIC_URL}${OIDC_PATH}/session/end`);
    url.searchParams.set('client_id', PORTAL_CLIENT_ID);
    url.searchParams.set('post_logout_redirect_uri', `${this.config.PUBLIC_URL}/`);
    res.redirect(303, url.href);
  }

  private client(): Promise<oidc.Configuration> {
    this.discovered ??= oidc.discovery(new URL(`${this.config.PUBLIC_URL}${OIDC_PATH}`), PORTAL_CLIENT_ID, undefined, oidc.None(), {
      execute: this.config.PUBLIC_URL.startsWith('http://') ? [oidc.allowInsecureRequests] : [],
    }).catch((error) => {
      this.discovered = undefined;
      throw error;
    });
    return this.discovered;
  }
}
