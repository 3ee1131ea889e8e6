import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { AjvBodyPipe, DomainException, statusFor } from '@tsunagu/common';
import { type AdminActionForm, adminActionFormSchema, type AdminSignInForm, adminSignInFormSchema, type PasswordChangeForm, passwordChangeFormSchema } from '@tsunagu/contracts';
import { pickLang } from '@tsunagu/web';
import { AdminNetworksService } from '../access/admin-networks.service';
import { AdminException } from '../../platform/access/admin.exception';
import { AdminPageFilter, safeAdminPath, sendAdminError } from '../web/admin-errors';
import { sendPage, wantsJson } from '../web/admin.layout';
import { AdminAccountsService } from './admin-accounts.service';
import { accountPage, loginPage } from './admin-auth.views';
import { type AdminRequest, principalOf } from '../../platform/access/admin-principal';
import { AdminSessionService } from './admin-session.service';
import { authText } from './auth.messages';

/** Admin sign-in, sign-out and the admin's own account page. */
@Controller('admin')
@UseFilters(AdminPageFilter)
export class AdminAuthController {
  constructor(
    private readonly accounts: AdminAccountsService,
    private readonly sessions: AdminSessionService,
    private readonly networks: AdminNetworksService,
  ) {}

  @Get('login')
  async loginForm(@Req() req: AdminRequest, @Res() res: Response, @Query('next') next?: string, @Query('expired') expired?: string, @Query('out') out?: string): Promise<void> {
    const lang = pickLang(req);
    const notice = expired === '1' ? authText.expired[lang] : out === '1' ? authText.signedOut[lang] : undefined;
    sendPage(res, loginPage({ lang, csrf: await this.sessions.loginCsrf(req, res), next: safeAdminPath(next), notice }));
  }

  @Post('login')
  async login(@Req() req: AdminRequest, @Res() res: Response, @Body(new AjvBodyPipe(adminSignInFormSchema)) form: AdminSignInForm): Promise<void> {
    const lang = pickLang(req);
    try {
      if (!(await this.sessions.checkLoginCsrf(req, form.csrf))) {
        throw new AdminException('admin_csrf_invalid', {
          ja: 'ログイン画面の有効期限が切れました。もう一度入力してください。', en: 'The sign-in page expired. Please enter your details again.',
        });
      }
      const address = this.networks.clientAddress(req);
      const { adminId, kind } = await this.accounts.authenticate(form.loginId, form.password, form.code, address);
      await this.sessions.start(req, res, adminId, address?.toString() ?? '');
      const next = safeAdminPath(form.next);
      const fallback = kind === 'system' ? '/system/tenants' : '/admin';
      res.redirect(303, next && (kind === 'system' || next.startsWith('/admin')) ? next : fallback);
    } catch (error) {
      if (!(error instanceof DomainException) || wantsJson(req)) throw error;
      // Sign-in failures are shown on the sign-in page itself (same status codes as the API).
      const code = statusFor(error.reason);
      sendPage(res, loginPage({
        lang, csrf: await this.sessions.loginCsrf(req, res), next: safeAdminPath(form.next), loginId: form.loginId.slice(0, 64),
        error: { code: error.code, message: error.bilingual[lang] },
      }), code);
    }
  }

  @Post('logout')
  async logout(@Req() req: AdminRequest, @Res() res: Response, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<void> {
    await this.sessions.end(res, principalOf(req).sessionId);
    res.redirect(303, '/admin/login?out=1');
  }

  @Get('account')
  account(@Req() req: AdminRequest, @Res() res: Response, @Query('done') done?: string): void {
    const lang = pickLang(req);
    sendPage(res, accountPage({ lang, principal: principalOf(req), notice: done === 'password' ? authText.changed[lang] : undefined }));
  }

  @Post('account/password')
  async changePassword(@Req() req: AdminRequest, @Res() res: Response, @Body(new AjvBodyPipe(passwordChangeFormSchema)) form: PasswordChangeForm): Promise<void> {
    const principal = principalOf(req);
    try {
      await this.accounts.changeOwnPassword(principal, form.currentPassword, form.newPassword, form.confirmPassword);
      res.redirect(303, '/admin/account?done=password');
    } catch (error) {
      if (!(error instanceof DomainException) || wantsJson(req)) return sendAdminError(req, res, error);
      const lang = pickLang(req);
      sendPage(res, accountPage({ lang, principal, error: error.bilingual[lang] }), statusFor(error.reason));
    }
  }
}
