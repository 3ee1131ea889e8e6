import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AjvBodyPipe, DomainException } from '@tsunagu/common';
import { type JpkiChallengeResponse, type JpkiVerificationRequest, jpkiVerificationRequestSchema, type JpkiVerificationResponse } from '@tsunagu/contracts';
import { pickLang } from '@tsunagu/web';
import { type ResidentSession, ResidentSessionService } from '../identity/session/resident-session.service';
import { ResidentsService } from '../identity/residents/residents.service';
import { JpkiException } from '../identity/jpki/jpki.exception';
import { JpkiService } from '../identity/jpki/jpki.service';
import { verifyPage, verifyText } from './jpki.views';

const CSRF_HEADER = 'x-csrf-token';

/**
 * Identity proofing API for a card app (JSON, the resident's session cookie + CSRF header) and
 * the portal page that explains it (and, in development, offers the test card).
 */
@Controller()
export class JpkiController {
  constructor(private readonly jpki: JpkiService, private readonly sessions: ResidentSessionService, private readonly residents: ResidentsService) {}

  @Get('api/v1/identity/jpki')
  async status(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ verified: boolean; verifiedAt: string | null; csrfToken: string }> {
    const session = await this.session(req, res, false);
    const resident = await this.residents.findById(session.accountId);
    return { verified: !!resident?.identityVerifiedAt, verifiedAt: resident?.identityVerifiedAt?.toISOString() ?? null, csrfToken: await this.sessions.csrfToken(session) };
  }

  @Post('api/v1/identity/jpki/challenges')
  @HttpCode(201)
  async challenge(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<JpkiChallengeResponse> {
    const session = await this.session(req, res, true);
    return this.jpki.issueChallenge(session);
  }

  @Post('api/v1/identity/jpki/verifications')
  @HttpCode(200)
  async verification(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Body(new AjvBodyPipe(jpkiVerificationRequestSchema)) body: JpkiVerificationRequest): Promise<JpkiVerificationResponse> {
    const session = await this.session(req, res, true);
    return this.jpki.verify(session, body);
  }

  @Get('account/verify')
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    const session = await this.sessions.current(req, res);
    if (!session) return res.redirect(303, '/account/login');
    await this.render(req, res, session, 200, req.query.done === '1' ? verifyText.done[pickLang(req)] : undefined);
  }

  @Post('account/verify/test-card')
  async testCard(@Req() req: Request, @Res() res: Response, @Body() body: { csrf?: unknown }): Promise<void> {
    const session = await this.sessions.current(req, res);
    if (!session) return res.redirect(303, '/account/login');
    const lang = pickLang(req);
    try {
      if (!(await this.sessions.checkCsrf(session, body?.csrf))) throw this.csrfError();
      const resident = await this.residents.findById(session.accountId);
      await this.jpki.verifyWithTestCard(session, resident?.displayName ?? 'テスト');
      res.redirect(303, '/account/verify?done=1');
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      await this.render(req, res, session, error.code === 'jpki_csrf_failed' ? 403 : 400, undefined, error.bilingual[lang]);
    }
  }

  private async render(req: Request, res: Response, session: ResidentSession, status: number, notice?: string, error?: string): Promise<void> {
    const resident = await this.residents.findById(session.accountId);
    const body = verifyPage({ lang: pickLang(req), verifiedAt: resident?.identityVerifiedAt ?? null, testCard: this.jpki.testCardEnabled, csrf: await this.sessions.csrfToken(session), notice, error });
    res.status(status).type('html').send(body.value);
  }

  /** The signed-in resident; state-changing calls must also carry the CSRF token in a header. */
  private async session(req: Request, res: Response, requireCsrf: boolean): Promise<ResidentSession> {
    const session = await this.sessions.current(req, res);
    if (!session) throw new JpkiException('jpki_sign_in_required', { ja: 'ログインしてください。', en: 'Please sign in.' });
    if (requireCsrf && !(await this.sessions.checkCsrf(session, req.header(CSRF_HEADER)))) throw this.csrfError();
    return session;
  }

  private csrfError() {
    return new JpkiException('jpki_csrf_failed', { ja: '画面の有効期限が切れたか、不正なリクエストです。もう一度お試しください。', en: 'The page has expired or the request was forged. Please try again.' });
  }
}
