import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { pickLang } from '@tsunagu/web';
import { DemoDatabase } from '../database/demo-database';
import { DEMO_PROFILE, type DemoProfile } from '../demo-profile';
import { DemoRuntime } from '../demo-settings';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { LogoutTokenRefused, verifyLogoutToken } from '../hub/logout-token';
import { OidcRelyingParty, SignInDeclined, type SignedInResident } from '../hub/oidc-relying-party';
import { LinkService } from '../linking/link.service';
import { homeView, linkView, privacyView, sendHtml, signInDeclinedView, viewContext, withLang } from './demo-views';
import { SessionRepository } from './session.repository';
import {
  csrfTokenFor, destroySession, regenerateSession, sessionState, signedInLocalId, updateSessionState,
} from './session-state';

/** Name of the session cookie. Cookies ignore ports, so every service on localhost needs its own. */
export function sessionCookieName(runtime: DemoRuntime): string {
  return `${runtime.settings.serviceName.replace(/[^A-Za-z0-9_-]/g, '_')}.sid`;
}

@Controller()
export class HomeController {
  constructor(@Inject(DEMO_PROFILE) private readonly profile: DemoProfile) {}

  @Get()
  home(@Req() req: Request, @Res() res: Response): void {
    const state = sessionState(req);
    const signedIn = !!state.resident;
    sendHtml(res, 200, homeView(viewContext(req, this.profile, '/'), {
      residentName: state.resident?.name,
      localId: signedInLocalId(req),
      linkPending: signedIn && !state.localId,
      csrf: signedIn ? csrfTokenFor(req) : undefined,
    }));
  }
}

/** The service's privacy notice: the page the hub's data uses link to (catalog seed: `{service}/privacy`). */
@Controller('privacy')
export class PrivacyController {
  constructor(@Inject(DEMO_PROFILE) private readonly profile: DemoProfile, private readonly runtime: DemoRuntime) {}

  @Get()
  show(@Req() req: Request, @Res() res: Response): void {
    sendHtml(res, 200, privacyView(viewContext(req, this.profile, '/privacy'), this.runtime.settings.hubUrl));
  }
}

@Controller('health')
export class HealthController {
  constructor(private readonly db: DemoDatabase) {}

  @Get()
  async health(): Promise<{ status: 'ok' }> {
    await this.db.query('SELECT 1');
    return { status: 'ok' };
  }
}

/** Sign-in with the hub (OIDC code flow), RP-initiated logout, and back-channel logout from the hub. */
@Controller('auth')
export class AuthController {
  private readonly logger = new AppLogger(AuthController.name);

  constructor(
    private readonly rp: OidcRelyingParty,
    private readonly links: LinkService,
    private readonly runtime: DemoRuntime,
    @Inject(DEMO_PROFILE) private readonly profile: DemoProfile,
    private readonly sessions: SessionRepository,
  ) {}

  /**
   * OpenID Connect Back-Channel Logout 1.0: the hub POSTs a logout token when the resident signs
   * out at the hub or removes this service in the portal. A valid token ends the sessions it names
   * (200); any other is refused with 400 and ends nothing.
   */
  @Post('backchannel-logout')
  async backchannelLogout(@Res() res: Response, @Body() body: unknown): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    const token = body && typeof body === 'object' ? (body as { logout_token?: unknown }).logout_token : undefined;
    try {
      const { issuer, keys } = await this.rp.logoutTokenKeys();
      const target = await verifyLogoutToken(token, {
        issuer, audience: this.runtime.settings.clientId, keys, recordJti: (jti, expiresAt) => this.sessions.recordLogoutJti(jti, expiresAt),
      });
      const ended = await this.sessions.deleteSignedInWithHub(target);
      this.logger.log(LogKind.Authentication, 'Back-channel logout from the hub', { sessionsEnded: ended, bySid: !!target.sid });
      res.status(200).end();
    } catch (error) {
      if (!(error instanceof LogoutTokenRefused)) throw error;
      this.logger.warn(LogKind.Authentication, 'Back-channel logout token refused', { reason: error.reason });
      res.status(400).json({ error: 'invalid_request', error_description: 'the logout token was refused' });
    }
  }

  @Get('login')
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (signedInLocalId(req)) return res.redirect(303, withLang('/member', pickLang(req)));
    const { url, pending } = await this.rp.beginLogin(pickLang(req));
    updateSessionState(req, { pendingLogin: pending });
    res.redirect(303, url.href);
  }

  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const pending = sessionState(req).pendingLogin;
    if (pending) updateSessionState(req, { pendingLogin: undefined }); // single use, whatever happens next
    const queryAt = req.originalUrl.indexOf('?');
    const lang = pickLang(req);
    let resident: SignedInResident;
    try {
      resident = await this.rp.completeLogin(queryAt >= 0 ? req.originalUrl.slice(queryAt) : '', pending);
    } catch (error) {
      if (!(error instanceof SignInDeclined)) throw error;
      // Nothing was shared and nobody is signed in here: a fresh, empty session and a normal page.
      await regenerateSession(req);
      return sendHtml(res, 200, signInDeclinedView(viewContext(req, this.profile, '/'), error.reason));
    }
    const decision = await this.links.resolveAfterSignIn(resident);
    await regenerateSession(req);
    if (decision.linked) {
      updateSessionState(req, { resident: { ...resident, accessToken: undefined }, localId: decision.localId });
      return res.redirect(303, withLang('/member', lang));
    }
    updateSessionState(req, { resident });
    res.redirect(303, withLang('/link', lang));
  }

  @Post('logout')
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    const idToken = sessionState(req).resident?.idToken;
    const lang = pickLang(req);
    await destroySession(req);
    res.clearCookie(sessionCookieName(this.runtime), { path: '/' });
    const hubLogout = idToken ? await this.rp.endSessionUrl(idToken, lang) : undefined;
    res.redirect(303, hubLogout ?? withLang('/', lang));
  }
}

/** The 連携 page: prove the local account (ID + PIN) and link it to the Tottori ID. */
@Controller('link')
export class LinkController {
  constructor(
    private readonly links: LinkService,
    private readonly runtime: DemoRuntime,
    @Inject(DEMO_PROFILE) private readonly profile: DemoProfile,
  ) {}

  @Get()
  show(@Req() req: Request, @Res() res: Response): void {
    const state = sessionState(req);
    const lang = pickLang(req);
    if (!state.resident) return res.redirect(303, withLang('/', lang));
    if (state.localId) return res.redirect(303, withLang('/member', lang));
    sendHtml(res, 200, linkView(viewContext(req, this.profile, '/link'), {
      residentName: state.resident.name, localId: '', problems: [], csrf: csrfTokenFor(req), showDemoAccounts: this.showDemoAccounts,
    }));
  }

  @Post()
  async submit(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const state = sessionState(req);
    const lang = pickLang(req);
    if (!state.resident) return res.redirect(303, withLang('/', lang));
    if (state.localId) return res.redirect(303, withLang('/member', lang));
    const outcome = await this.links.link(state.resident, body);
    if (outcome.ok) {
      updateSessionState(req, { resident: { ...state.resident, accessToken: undefined }, localId: outcome.localId });
      return res.redirect(303, withLang('/member?linked=1', lang));
    }
    if (outcome.retryAfterSeconds) res.setHeader('retry-after', String(outcome.retryAfterSeconds));
    sendHtml(res, outcome.status, linkView(viewContext(req, this.profile, '/link'), {
      residentName: state.resident.name,
      localId: outcome.localId,
      problems: outcome.problems,
      csrf: csrfTokenFor(req),
      signInAgain: outcome.signInAgain,
      showDemoAccounts: this.showDemoAccounts,
    }));
  }

  private get showDemoAccounts(): boolean {
    return this.runtime.settings.nodeEnv !== 'production';
  }
}
