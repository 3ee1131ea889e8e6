import { Body, Controller, Get, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { assertValid, DomainException } from '@tsunagu/common';
import { registerResidentRequestSchema, signInRequestSchema, type RegisterResidentRequest, type SignInRequest } from '@tsunagu/contracts';
import { pickLang, type SafeHtml } from '@tsunagu/web';
import { ResidentsService } from '../residents/residents.service';
import { InteractionErrorFilter } from './interaction-error.filter';
import { InteractionService } from './interaction.service';
import { consentPage, loginPage, registerPage } from './interaction.views';

const fieldProblem = {
  loginId: { ja: 'ログインIDは半角英数字と . _ - @ で4〜64文字にしてください。', en: 'The login ID must be 4–64 letters, digits or . _ - @.' },
  password: { ja: 'パスワードは10文字以上にしてください。', en: 'The password must be at least 10 characters.' },
  displayName: { ja: 'お名前を入力してください（64文字まで）。', en: 'Please enter your name (up to 64 characters).' },
};

function send(res: Response, status: number, body: SafeHtml): void {
  res.status(status).type('html').send(body.value);
}

/**
 * Sign-in, consent and registration screens of the OIDC flow. Each POST is bound to the
 * interaction by oidc-provider's interaction cookie (SameSite=Lax, path-scoped), which is
 * what makes a cross-site forged POST fail.
 */
@Controller('interaction/:uid')
@UseFilters(InteractionErrorFilter)
export class InteractionController {
  constructor(private readonly interactions: InteractionService, private readonly residents: ResidentsService) {}

  @Get()
  async show(@Req() req: Request, @Res() res: Response): Promise<void> {
    const lang = pickLang(req);
    const view = await this.interactions.details(req, res, lang);
    if (view.prompt === 'login') return send(res, 200, loginPage({ lang, uid: view.uid, clientName: view.clientName }));
    return send(res, 200, consentPage({ lang, uid: view.uid, clientName: view.clientName, scopes: view.missingScopes.length ? view.missingScopes : ['openid'] }));
  }

  @Post('login')
  @HttpCode(200)
  async login(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const lang = pickLang(req);
    const view = await this.interactions.details(req, res, lang);
    let form: SignInRequest;
    try {
      form = assertValid(signInRequestSchema, body);
      const resident = await this.residents.authenticate(form.loginId, form.password);
      await this.interactions.finishLogin(req, res, resident);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      const status = error.code === 'account_locked' ? 429 : error.code === 'invalid_request' ? 400 : 401;
      const message = error.code === 'invalid_request'
        ? (lang === 'ja' ? 'ログインIDとパスワードを入力してください。' : 'Please enter your login ID and password.')
        : error.bilingual[lang];
      const loginId = typeof (body as { loginId?: unknown })?.loginId === 'string' ? (body as { loginId: string }).loginId.slice(0, 64) : '';
      send(res, status, loginPage({ lang, uid: view.uid, clientName: view.clientName, error: message, loginId }));
    }
  }

  @Post('confirm')
  @HttpCode(200)
  async confirm(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.interactions.finishConsent(req, res);
  }

  @Post('abort')
  @HttpCode(200)
  async abort(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.interactions.abort(req, res);
  }

  @Get('register')
  async registerForm(@Req() req: Request, @Res() res: Response): Promise<void> {
    const lang = pickLang(req);
    const view = await this.interactions.details(req, res, lang);
    send(res, 200, registerPage({ lang, uid: view.uid }));
  }

  @Post('register')
  @HttpCode(200)
  async register(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const lang = pickLang(req);
    const view = await this.interactions.details(req, res, lang);
    const values = body as Partial<RegisterResidentRequest>;
    try {
      const form = assertValid(registerResidentRequestSchema, body);
      const resident = await this.residents.register(form);
      await this.interactions.finishLogin(req, res, resident);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      const message = error.code === 'invalid_request'
        ? (error.details ?? []).map((d) => fieldProblem[d.field as keyof typeof fieldProblem]?.[lang] ?? `${d.field}: ${d.problem}`).join(' ')
        : error.bilingual[lang];
      const status = error.code === 'login_id_taken' ? 409 : 400;
      send(res, status, registerPage({ lang, uid: view.uid, error: message, values: { loginId: String(values?.loginId ?? '').slice(0, 64), displayName: String(values?.displayName ?? '').slice(0, 64) } }));
    }
  }
}
