import { Body, Controller, Get, HttpCode, Ip, Post, Query, UseFilters } from '@nestjs/common';
import { AjvBodyPipe, DomainException, statusFor, TooManyAttemptsException } from '@tsunagu/common';
import {
  type CardRecoveryChallengeRequest, cardRecoveryChallengeRequestSchema, type CardRecoveryChallengeResponse, type CardRecoveryVerificationResponse,
  type JpkiVerificationRequest, jpkiVerificationRequestSchema,
} from '@tsunagu/contracts';
import { Lang, WebReply } from '@tsunagu/web';
import { RecoveryService } from '../identity/recovery/recovery.service';
import {
  type CardResetForm, cardResetFormSchema, type EmailResetForm, emailResetFormSchema, type NewPasswordForm, newPasswordFormSchema, type TestCardForm,
  testCardFormSchema, type TokenForm, tokenFormSchema,
} from './dto/recovery-forms';
import { PortalPageFilter } from './portal-page.filter';
import { portalReply } from './portal.layout';
import {
  cardChallengePage, cardResetPage, emailConfirmedPage, emailConfirmPage, emailResetPage, emailResetSentPage, newPasswordPage, recoveryStartPage, resetDonePage,
} from './recovery.views';

/** A refusal shown on the form it came from (a throttle keeps its 429 page and Retry-After: the filter's). */
function formError(error: unknown, lang: Lang): { message: string; status: number } {
  if (!(error instanceof DomainException) || error instanceof TooManyAttemptsException) throw error;
  return { message: error.bilingual[lang], status: statusFor(error.reason) };
}

/**
 * Password reset for a resident who cannot sign in, and the landing page of an e-mail
 * verification link. No session: a reset link, or the card's signature, is the proof; the hub's
 * same-origin check of forms has refused a form posted from another site before a handler runs.
 */
@Controller('account')
@UseFilters(PortalPageFilter)
export class RecoveryController {
  constructor(private readonly recovery: RecoveryService) {}

  @Get('recovery')
  start(@Lang() lang: Lang): WebReply {
    return portalReply(recoveryStartPage({ lang, emailAvailable: this.recovery.emailAvailable }));
  }

  @Get('recovery/email')
  emailForm(@Lang() lang: Lang): WebReply {
    return portalReply(emailResetPage({ lang, emailAvailable: this.recovery.emailAvailable }));
  }

  /** The same page whether or not the login ID and address match (no enumeration). */
  @Post('recovery/email')
  async emailReset(@Lang() lang: Lang, @Ip() ip: string, @Body(new AjvBodyPipe(emailResetFormSchema)) form: EmailResetForm): Promise<WebReply> {
    await this.recovery.requestEmailReset(form.loginId, form.email, lang, { address: ip });
    return portalReply(emailResetSentPage({ lang, minutes: this.recovery.resetMinutes }));
  }

  @Get('recovery/card')
  cardForm(@Lang() lang: Lang): WebReply {
    return portalReply(cardResetPage({ lang }));
  }

  @Post('recovery/card')
  async cardChallenge(@Lang() lang: Lang, @Ip() ip: string, @Body(new AjvBodyPipe(cardResetFormSchema)) form: CardResetForm): Promise<WebReply> {
    const challenge = await this.recovery.issueCardChallenge(form.loginId, { address: ip });
    return portalReply(cardChallengePage({ lang, challenge, testCard: this.recovery.testCardEnabled }));
  }

  /** DEVELOPMENT ONLY: the test card answers, and the browser goes on to the new-password form. */
  @Post('recovery/card/test-card')
  async testCard(@Lang() lang: Lang, @Ip() ip: string, @Body(new AjvBodyPipe(testCardFormSchema)) form: TestCardForm): Promise<WebReply> {
    try {
      const { resetUrl } = await this.recovery.verifyWithTestCard(form.challengeId, { address: ip });
      return WebReply.seeOther(new URL(resetUrl).pathname + new URL(resetUrl).search);
    } catch (error) {
      const { message, status } = formError(error, lang);
      return portalReply(cardResetPage({ lang, error: message }), status);
    }
  }

  @Get('recovery/reset')
  newPasswordForm(@Lang() lang: Lang, @Query('token') token?: string): WebReply {
    return portalReply(newPasswordPage({ lang, token: typeof token === 'string' ? token.slice(0, 128) : '' }));
  }

  @Post('recovery/reset')
  async reset(@Lang() lang: Lang, @Ip() ip: string, @Body(new AjvBodyPipe(newPasswordFormSchema)) form: NewPasswordForm): Promise<WebReply> {
    try {
      const { ended } = await this.recovery.resetPassword(form, { address: ip });
      return portalReply(resetDonePage({ lang, sessions: ended.sessions, grants: ended.grants }));
    } catch (error) {
      const { message, status } = formError(error, lang);
      return portalReply(newPasswordPage({ lang, token: form.token, error: message }), status);
    }
  }

  /** A verification link lands here; nothing changes until the resident confirms (mail scanners open links). */
  @Get('email/verify')
  confirmForm(@Lang() lang: Lang, @Query('token') token?: string): WebReply {
    return portalReply(emailConfirmPage({ lang, token: typeof token === 'string' ? token.slice(0, 128) : '' }));
  }

  @Post('email/verify')
  async confirm(@Lang() lang: Lang, @Body(new AjvBodyPipe(tokenFormSchema)) form: TokenForm): Promise<WebReply> {
    try {
      await this.recovery.confirmEmail(form.token);
      return portalReply(emailConfirmedPage(lang));
    } catch (error) {
      const { message, status } = formError(error, lang);
      return portalReply(emailConfirmPage({ lang, token: form.token, error: message }), status);
    }
  }
}

/**
 * Password reset by the My Number card, for a card app (JSON; docs/jpki-hub.md): a challenge for
 * a login ID, then the card's answer, which returns the one-time reset link when the card is the
 * account's. No cookie, no CSRF header: the card's signature is the proof.
 */
@Controller('api/v1/account/recovery/card')
export class RecoveryApiController {
  constructor(private readonly recovery: RecoveryService) {}

  @Post('challenges')
  @HttpCode(201)
  challenge(@Ip() ip: string, @Body(new AjvBodyPipe(cardRecoveryChallengeRequestSchema)) body: CardRecoveryChallengeRequest): Promise<CardRecoveryChallengeResponse> {
    return this.recovery.issueCardChallenge(body.loginId, { address: ip });
  }

  @Post('verifications')
  @HttpCode(200)
  verification(@Ip() ip: string, @Body(new AjvBodyPipe(jpkiVerificationRequestSchema)) body: JpkiVerificationRequest): Promise<CardRecoveryVerificationResponse> {
    return this.recovery.verifyCard(body, { address: ip });
  }
}
