import { Body, Controller, Get, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { assertValid, DomainException, statusFor, throttleHeaders } from '@tsunagu/common';
import { registerResidentRequestSchema, signInRequestSchema, type RegisterResidentRequest } from '@tsunagu/contracts';
import { CSRF_FIELD, Lang, WebReply } from '@tsunagu/web';
import { ResidentsService } from '../residents/residents.service';
import { InteractionErrorFilter } from './interaction-error.filter';
import { CurrentInteraction, InteractionGuard } from './interaction.guard';
import { InteractionService, type OpenInteraction } from './interaction.service';
import { interactionPage, loginPage, registerPage, registrationProblem, signInProblem } from './interaction.views';

/** What a refused form sent back into it: the text fields only (never the password), cut to their limit. */
function submitted(body: unknown, field: keyof RegisterResidentRequest): string {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' ? value.slice(0, 64) : '';
}

/** A posted form without its anti-forgery field (InteractionGuard has checked it): what the schema validates. */
function fields(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const { [CSRF_FIELD]: _token, ...rest } = body as Record<string, unknown>;
  return rest;
}

/** A refused form's page with the refusal's headers (Retry-After when throttled). */
function withHeaders(reply: WebReply, headers: Record<string, string>): WebReply {
  return Object.entries(headers).reduce((r, [name, value]) => r.header(name, value), reply);
}

/**
 * Sign-in, consent and registration screens of the OIDC flow. Each POST is bound to the
 * interaction by oidc-provider's interaction cookie (SameSite=Lax, path-scoped) and carries the
 * interaction's own anti-forgery token, which InteractionGuard checks before a handler runs; the
 * hub's request-origin middleware has refused a form sent from another site before that.
 * A finished step goes back to oidc-provider (303).
 */
@Controller('interaction/:uid')
@UseGuards(InteractionGuard)
@UseFilters(InteractionErrorFilter)
export class InteractionController {
  constructor(private readonly interactions: InteractionService, private readonly residents: ResidentsService) {}

  @Get()
  async show(@Lang() lang: Lang, @CurrentInteraction() interaction: OpenInteraction): Promise<WebReply> {
    // Step-up: an account verified by now (back from the card verification) finishes at the card's level.
    const verified = await this.interactions.finishIfVerified(interaction);
    if (verified) return WebReply.seeOther(verified);
    return WebReply.page(interactionPage(lang, await this.interactions.view(interaction, lang)));
  }

  @Post('login')
  async login(@Req() req: Request, @Lang() lang: Lang, @CurrentInteraction() interaction: OpenInteraction, @Body() body: unknown): Promise<WebReply> {
    try {
      const form = assertValid(signInRequestSchema, fields(body));
      const resident = await this.residents.authenticate(form.loginId, form.password, { address: req.ip });
      return WebReply.seeOther(await this.interactions.finishLogin(interaction, resident));
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      const { uid, csrf, clientName } = await this.interactions.view(interaction, lang);
      const page = WebReply.page(loginPage({ lang, uid, csrf, clientName, error: signInProblem(lang, error), errorCode: error.code, loginId: submitted(body, 'loginId') }), statusFor(error.reason));
      return withHeaders(page, throttleHeaders(error));
    }
  }

  @Post('confirm')
  async confirm(@CurrentInteraction() interaction: OpenInteraction): Promise<WebReply> {
    return WebReply.seeOther(await this.interactions.finishConsent(interaction));
  }

  @Post('abort')
  async abort(@CurrentInteraction() interaction: OpenInteraction): Promise<WebReply> {
    return WebReply.seeOther(await this.interactions.abort(interaction));
  }

  /** Step-up of a voluntary request: go on at the session's level, without verifying. */
  @Post('continue-unverified')
  async continueUnverified(@CurrentInteraction() interaction: OpenInteraction): Promise<WebReply> {
    return WebReply.seeOther(await this.interactions.declineVerification(interaction));
  }

  @Get('register')
  async registerForm(@Lang() lang: Lang, @CurrentInteraction() interaction: OpenInteraction): Promise<WebReply> {
    const { uid } = interaction.details;
    return WebReply.page(registerPage({ lang, uid, csrf: await this.interactions.csrfToken(uid) }));
  }

  @Post('register')
  async register(@Req() req: Request, @Lang() lang: Lang, @CurrentInteraction() interaction: OpenInteraction, @Body() body: unknown): Promise<WebReply> {
    try {
      const resident = await this.residents.register(assertValid(registerResidentRequestSchema, fields(body)), { address: req.ip });
      return WebReply.seeOther(await this.interactions.finishLogin(interaction, resident));
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      const values = { loginId: submitted(body, 'loginId'), displayName: submitted(body, 'displayName') };
      const { uid } = interaction.details;
      const page = WebReply.page(registerPage({ lang, uid, csrf: await this.interactions.csrfToken(uid), error: registrationProblem(lang, error), errorCode: error.code, values }), statusFor(error.reason));
      return withHeaders(page, throttleHeaders(error));
    }
  }
}
