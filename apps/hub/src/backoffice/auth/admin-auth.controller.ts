import { Body, Controller, Get, Post, Query, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import { AjvBodyPipe, DomainException, statusFor, throttleHeaders } from '@tsunagu/common';
import { type AdminActionForm, adminActionFormSchema, type AdminSignInForm, adminSignInFormSchema, passwordChangeFormSchema } from '@tsunagu/contracts';
import { Lang, WantsJson, WebReply } from '@tsunagu/web';
import { AdminNetworksService } from '../access/admin-networks.service';
import { AdminException } from '../../platform/access/admin.exception';
import { type AdminPrincipal, Principal } from '../../platform/access/admin-principal';
import { AdminPageFilter, safeAdminPath } from '../web/admin-errors';
import { submitted, validForm } from '../web/admin-forms';
import { adminReply } from '../web/admin.layout';
import { AdminAccountsService } from './admin-accounts.service';
import { accountPage, loginPage, type LoginPageOptions } from './admin-auth.views';
import { AdminSessionService } from './admin-session.service';
import { authText } from './auth.messages';

/**
 * Admin sign-in, sign-out and the admin's own account page. The session and login-CSRF cookies
 * are made by AdminSessionService and set by the reply. Errors a handler does not answer itself
 * go to AdminPageFilter.
 */
@Controller('admin')
@UseFilters(AdminPageFilter)
export class AdminAuthController {
  constructor(
    private readonly accounts: AdminAccountsService,
    private readonly sessions: AdminSessionService,
    private readonly networks: AdminNetworksService,
  ) {}

  @Get('login')
  loginForm(@Req() req: Request, @Lang() lang: Lang, @Query('next') next?: string, @Query('expired') expired?: string, @Query('out') out?: string): Promise<WebReply> {
    const notice = expired === '1' ? authText.expired[lang] : out === '1' ? authText.signedOut[lang] : undefined;
    return this.signInPage(req, { lang, next: safeAdminPath(next), notice });
  }

  @Post('login')
  async login(@Req() req: Request, @Lang() lang: Lang, @WantsJson() json: boolean, @Body() body: unknown): Promise<WebReply> {
    const typed = submitted(body);
    try {
      const form: AdminSignInForm = validForm(adminSignInFormSchema, body);
      if (!(await this.sessions.checkLoginCsrf(req, form.csrf))) throw new AdminException('admin_csrf_invalid', authText.loginFormExpired);
      const address = this.networks.clientAddress(req);
      const { adminId, kind } = await this.accounts.authenticate(form.loginId, form.password, form.code, address);
      const cookie = await this.sessions.start(req, adminId, address?.toString() ?? '');
      const next = safeAdminPath(form.next);
      const fallback = kind === 'system' ? '/system/tenants' : '/admin';
      return WebReply.seeOther(next && (kind === 'system' || next.startsWith('/admin')) ? next : fallback).cookie(cookie);
    } catch (error) {
      if (!(error instanceof DomainException) || json) throw error;
      // Sign-in failures are shown on the sign-in page itself (same status codes as the API).
      const page = await this.signInPage(req, { lang, next: safeAdminPath(typed.next), loginId: typed.loginId?.slice(0, 64), error }, statusFor(error.reason));
      return Object.entries(throttleHeaders(error)).reduce((reply, [name, value]) => reply.header(name, value), page);
    }
  }

  @Post('logout')
  async logout(@Principal() principal: AdminPrincipal, @Body(new AjvBodyPipe(adminActionFormSchema)) _form: AdminActionForm): Promise<WebReply> {
    return WebReply.seeOther('/admin/login?out=1').cookie(await this.sessions.end(principal.sessionId));
  }

  @Get('account')
  account(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @Query('done') done?: string): WebReply {
    return adminReply(accountPage({ lang, principal, notice: done === 'password' ? authText.changed[lang] : undefined }));
  }

  @Post('account/password')
  async changePassword(@Lang() lang: Lang, @Principal() principal: AdminPrincipal, @WantsJson() json: boolean, @Body() body: unknown): Promise<WebReply> {
    try {
      const form = validForm(passwordChangeFormSchema, body);
      await this.accounts.changeOwnPassword(principal, form.currentPassword, form.newPassword, form.confirmPassword);
      return WebReply.seeOther('/admin/account?done=password');
    } catch (error) {
      if (!(error instanceof DomainException) || json) throw error;
      return adminReply(accountPage({ lang, principal, error }), statusFor(error.reason));
    }
  }

  /** The sign-in page with a login-CSRF token, setting the nonce cookie behind it when the browser has none yet. */
  private async signInPage(req: Request, view: Omit<LoginPageOptions, 'csrf'>, status = 200): Promise<WebReply> {
    const { token, cookie } = await this.sessions.loginCsrf(req);
    const reply = adminReply(loginPage({ ...view, csrf: token }), status);
    return cookie ? reply.cookie(cookie) : reply;
  }
}
