import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, TooManyAttemptsException } from '@tsunagu/common';
import {
  type CardRecoveryChallengeResponse, type CardRecoveryVerificationResponse, type JpkiVerificationRequest, RECOVERY_TOKEN_PATTERN,
} from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { AuditService } from '../../audit/audit.service';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { MAILER, type Mailer } from '../../platform/mail/mail.service';
import { ThrottleService } from '../../platform/throttle/throttle.service';
import { JpkiException } from '../jpki/jpki.exception';
import { JpkiService } from '../jpki/jpki.service';
import { ResidentException } from '../residents/resident.exception';
import { hashResidentPassword, type RequestOrigin, ResidentsService } from '../residents/residents.service';
import { ResidentSessionsService, type SessionsEnded } from '../session/resident-sessions.service';
import { recoveryMail } from './recovery.mail';
import { RecoveryException } from './recovery.exception';
import { type LinkRow, RecoveryRepository, type ResetMethod } from './recovery.repository';

const TOKEN = new RegExp(RECOVERY_TOKEN_PATTERN);

/** A one-time token: 32 random bytes, base64url. Only its SHA-256 is stored. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The resident's e-mail setting, as the portal shows it. */
export interface EmailStatus {
  /** Whether this hub can send e-mail at all (an SMTP server is configured). */
  available: boolean;
  address?: string;
  verifiedAt?: Date;
  /** An address waiting for its verification link. */
  pending?: string;
}

/** A new password, as the reset form posts it. */
export interface NewPassword {
  token: string;
  loginId: string;
  password: string;
  passwordConfirm: string;
}

/** What a finished reset did. */
export interface ResetDone {
  residentId: string;
  ended: SessionsEnded;
}

/**
 * Password reset without weakening sign-in (docs/security.md "Password reset"):
 *
 * - by **e-mail**: an optional address on the account, usable once verified by a link sent to
 *   it; a reset request names the login ID and that address, and gets the same answer whether or
 *   not they match (the mail is sent after the answer, so timing tells nothing either);
 * - by the **My Number card**: the card signs a challenge for the login ID; only the card whose
 *   keyed hash is the account's current identity verification opens a reset link.
 *
 * Links are random, stored as hashes, bound to the resident, short-lived and single-use under
 * concurrency; the new password needs the login ID typed again. Every reset ends every session
 * and OIDC grant of the resident (refresh tokens too) and is audited. Every step is throttled per
 * address, and per login ID where one is named.
 */
@Injectable()
export class RecoveryService {
  private readonly logger = new AppLogger(RecoveryService.name);
  /** Mails on their way (sent after the answer): awaited by tests and at shutdown. */
  private readonly sending = new Set<Promise<void>>();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly repo: RecoveryRepository,
    private readonly residents: ResidentsService,
    private readonly jpki: JpkiService,
    private readonly sessions: ResidentSessionsService,
    private readonly throttle: ThrottleService,
    private readonly audit: AuditService,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get emailAvailable(): boolean {
    return this.mailer.available;
  }

  /** How long a reset link works, in minutes (the pages say it). */
  get resetMinutes(): number {
    return Math.round(this.config.RECOVERY_RESET_TTL_SECONDS / 60);
  }

  get testCardEnabled(): boolean {
    return this.jpki.testCardEnabled;
  }

  async emailStatus(residentId: string): Promise<EmailStatus> {
    const [row, pending] = await Promise.all([this.repo.findEmail(residentId), this.repo.pendingEmail(residentId, this.clock.now())]);
    return {
      available: this.mailer.available,
      ...(row ? { address: row.address, ...(row.verified_at ? { verifiedAt: row.verified_at } : {}) } : {}),
      ...(pending && pending !== row?.address ? { pending } : {}),
    };
  }

  /** Sends a verification link to a new address of the signed-in resident (throttled per resident too). */
  async requestEmailVerification(residentId: string, address: string, lang: 'ja' | 'en', origin: RequestOrigin): Promise<void> {
    await this.throttled(() => this.throttle.recoveryAttempt(origin.address, `resident:${residentId}`), origin);
    if (!this.mailer.available) throw new RecoveryException('recovery_email_unavailable');
    const { token, hash } = newToken();
    const ttl = this.config.RECOVERY_EMAIL_VERIFICATION_TTL_SECONDS;
    await this.repo.insertEmailVerification(residentId, address, hash, new Date(this.clock.now().getTime() + ttl * 1000));
    const link = `${this.config.PUBLIC_URL}/account/email/verify?token=${token}`;
    try {
      await this.mailer.send({ to: address, ...recoveryMail('verify', lang, link, ttl) });
    } catch (error) {
      this.logger.error('The verification mail could not be sent', error, { residentId });
      throw new RecoveryException('recovery_email_unavailable');
    }
    await this.audit.record({ type: 'account.email_verification_sent', actor: { kind: 'resident', id: residentId }, subject: residentId, outcome: 'success' });
  }

  /** The verification link was opened and confirmed: the address becomes the account's verified one. */
  async confirmEmail(token: string): Promise<{ residentId: string }> {
    const hash = this.hashOf(token);
    const row = await this.repo.transaction(async (tx) => {
      const consumed = await this.repo.consumeEmailVerification(tx, hash, this.clock.now());
      if (consumed) {
        await this.audit.record({ type: 'account.email_verified', actor: { kind: 'resident', id: consumed.resident_id }, subject: consumed.resident_id, outcome: 'success' }, tx);
      }
      return consumed;
    });
    if (!row) throw this.linkRefusal(await this.repo.findEmailVerification(hash), undefined);
    this.logger.log(LogKind.Authentication, 'E-mail address verified', { residentId: row.resident_id });
    return { residentId: row.resident_id };
  }

  async removeEmail(residentId: string): Promise<void> {
    if (await this.repo.removeEmail(residentId)) {
      await this.audit.record({ type: 'account.email_removed', actor: { kind: 'resident', id: residentId }, subject: residentId, outcome: 'success' });
    }
  }

  /**
   * A reset by e-mail. The answer is the same whether or not the login ID and address belong
   * together: nothing to wait for either way, the mail leaves after the answer.
   */
  async requestEmailReset(loginIdInput: string, address: string, lang: 'ja' | 'en', origin: RequestOrigin): Promise<void> {
    const loginId = loginIdInput.trim().toLowerCase();
    await this.throttled(() => this.throttle.recoveryAttempt(origin.address, `login:${loginId}`), origin);
    if (!this.mailer.available) throw new RecoveryException('recovery_email_unavailable');
    const { token, hash } = newToken();
    // Housekeeping on the way, for every request alike (it tells nothing about the account).
    await this.repo.deleteExpired(this.clock.now());
    const match = await this.repo.findByLoginIdAndVerifiedEmail(loginId, address.trim());
    if (!match) {
      // The typed login ID and address are not recorded: they may be someone else's.
      await this.audit.record({ type: 'account.password_reset_requested', actor: { kind: 'resident' }, outcome: 'failure', reason: 'no_matching_account', details: { method: 'email' } });
      return;
    }
    const ttl = this.config.RECOVERY_RESET_TTL_SECONDS;
    await this.repo.insertReset(match.id, 'email', hash, new Date(this.clock.now().getTime() + ttl * 1000));
    await this.audit.record({ type: 'account.password_reset_requested', actor: { kind: 'resident', id: match.id }, subject: match.id, outcome: 'success', details: { method: 'email' } });
    this.later(this.mailer.send({ to: match.address, ...recoveryMail('reset', lang, this.resetUrl(token), ttl) }), match.id);
  }

  /** A challenge for the card to sign, for a login ID — issued alike whether the ID exists or not. */
  async issueCardChallenge(loginIdInput: string, origin: RequestOrigin): Promise<CardRecoveryChallengeResponse> {
    const loginId = loginIdInput.trim().toLowerCase();
    await this.throttled(() => this.throttle.recoveryAttempt(origin.address, `login:${loginId}`), origin);
    const challenge = randomBytes(32).toString('base64url');
    await this.repo.deleteExpired(this.clock.now());
    const expiresAt = new Date(this.clock.now().getTime() + this.config.JPKI_CHALLENGE_TTL_SECONDS * 1000);
    const { id } = await this.repo.insertCardChallenge(loginId, challenge, expiresAt);
    return { challengeId: id, challenge, expiresAt: expiresAt.toISOString() };
  }

  /**
   * The card's answer. The challenge is used up whatever the answer; the card is checked in full
   * (JPKI refusals keep their own codes: they are about the card); then only the card of the
   * account's current verification opens a reset link. Any other outcome is
   * `recovery_card_not_confirmed`, which does not say whether the login ID exists.
   */
  async verifyCard(request: JpkiVerificationRequest, origin: RequestOrigin): Promise<CardRecoveryVerificationResponse> {
    await this.throttled(() => this.throttle.recoveryAttempt(origin.address), origin);
    const challenge = await this.repo.consumeCardChallenge(request.challengeId, this.clock.now());
    if (!challenge) throw await this.cardRefusal('challenge_unusable');
    let key: string;
    try {
      key = await this.jpki.cardKeyOf(request, challenge.challenge);
    } catch (error) {
      if (error instanceof JpkiException) {
        await this.audit.record({ type: 'account.password_reset_requested', actor: { kind: 'resident' }, outcome: 'failure', reason: error.code, details: { method: 'card' } });
      }
      throw error;
    }
    const resident = await this.repo.findByLoginIdAndCard(challenge.login_id, key);
    if (!resident) throw await this.cardRefusal('card_not_bound');
    const { token, hash } = newToken();
    const expiresAt = new Date(this.clock.now().getTime() + this.config.RECOVERY_RESET_TTL_SECONDS * 1000);
    await this.repo.insertReset(resident.id, 'card', hash, expiresAt);
    await this.audit.record({ type: 'account.password_reset_requested', actor: { kind: 'resident', id: resident.id }, subject: resident.id, outcome: 'success', details: { method: 'card' } });
    return { resetUrl: this.resetUrl(token), expiresAt: expiresAt.toISOString() };
  }

  /** DEVELOPMENT ONLY: the test card of the login ID's resident answers the challenge, as a card app would. */
  async verifyWithTestCard(challengeId: string, origin: RequestOrigin): Promise<CardRecoveryVerificationResponse> {
    const open = await this.repo.findOpenCardChallenge(challengeId, this.clock.now());
    const resident = open && await this.residents.findByLoginId(open.login_id);
    if (!open || !resident || !this.jpki.testCardEnabled) throw await this.cardRefusal('challenge_unusable');
    return this.verifyCard(await this.jpki.testCardAnswer(resident.id, resident.displayName, challengeId, open.challenge), origin);
  }

  /**
   * Sets the new password with a reset link: the link and the typed login ID must belong to the
   * same resident; the link is consumed in the same transaction as the password changes. Then
   * every session and grant of the resident ends.
   */
  async resetPassword(form: NewPassword, origin: RequestOrigin): Promise<ResetDone> {
    await this.throttled(() => this.throttle.recoveryAttempt(origin.address), origin);
    const hash = this.hashOf(form.token);
    const loginId = form.loginId.trim().toLowerCase();
    if (form.password !== form.passwordConfirm) throw new RecoveryException('recovery_password_mismatch');
    if (form.password.toLowerCase().includes(loginId)) throw new ResidentException('weak_password');
    // Hashed before the transaction: argon2 takes a moment, the connection is not held meanwhile.
    const passwordHash = await hashResidentPassword(form.password);
    const consumed = await this.repo.transaction(async (tx) => {
      const row = await this.repo.consumeReset(tx, hash, loginId, this.clock.now());
      if (!row) return undefined;
      await this.repo.setPassword(tx, row.resident_id, passwordHash);
      await this.audit.record({ type: 'account.password_reset', actor: { kind: 'resident', id: row.resident_id }, subject: row.resident_id, outcome: 'success', details: { method: row.method } }, tx);
      return row;
    });
    if (!consumed) {
      const refusal = this.linkRefusal(await this.repo.findReset(hash), loginId);
      await this.audit.record({ type: 'account.password_reset_refused', actor: { kind: 'resident' }, outcome: 'failure', reason: refusal.code });
      throw refusal;
    }
    const ended = await this.sessions.revokeEverything(consumed.resident_id);
    this.logger.log(LogKind.Authentication, 'Password reset; every session and grant ended', { residentId: consumed.resident_id, method: consumed.method as ResetMethod, ...ended });
    return { residentId: consumed.resident_id, ended };
  }

  /** Waits for the mails still on their way (tests; shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.sending]);
  }

  private resetUrl(token: string): string {
    return `${this.config.PUBLIC_URL}/account/recovery/reset?token=${token}`;
  }

  private hashOf(token: string): string {
    if (!TOKEN.test(token)) throw new RecoveryException('recovery_link_invalid');
    return hashToken(token);
  }

  /** Why a link did not work: another resident's or unknown is `invalid` (never says which), else used or expired. */
  private linkRefusal(row: LinkRow | undefined, loginId: string | undefined): RecoveryException {
    if (!row || (loginId !== undefined && row.login_id !== loginId)) return new RecoveryException('recovery_link_invalid');
    if (row.used_at) return new RecoveryException('recovery_link_used');
    if (new Date(row.expires_at).getTime() <= this.clock.now().getTime()) return new RecoveryException('recovery_link_expired');
    return new RecoveryException('recovery_link_invalid');
  }

  private async cardRefusal(reason: string): Promise<RecoveryException> {
    await this.audit.record({ type: 'account.password_reset_requested', actor: { kind: 'resident' }, outcome: 'failure', reason, details: { method: 'card' } });
    return new RecoveryException('recovery_card_not_confirmed');
  }

  private later(mail: Promise<void>, residentId: string): void {
    const sent = mail.catch((error: unknown) => this.logger.error('The reset mail could not be sent', error, { residentId }));
    this.sending.add(sent);
    void sent.finally(() => this.sending.delete(sent));
  }

  /** A throttle check; the refusal that starts a block is audited once. */
  private async throttled(check: () => Promise<void>, origin: RequestOrigin): Promise<void> {
    try {
      await check();
    } catch (error) {
      if (error instanceof TooManyAttemptsException && error.blockStarted) {
        this.logger.warn(LogKind.Authentication, 'Throttled: too many password-reset attempts', { ip: origin.address, retryAfterSeconds: error.retryAfterSeconds });
        await this.audit.record({ type: 'auth.throttled', actor: { kind: 'resident' }, outcome: 'failure', reason: 'too_many_attempts', details: { area: 'recovery', ip: origin.address, retryAfterSeconds: error.retryAfterSeconds } });
      }
      throw error;
    }
  }
}
