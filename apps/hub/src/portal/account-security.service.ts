import { Injectable } from '@nestjs/common';
import type { Lang } from '@tsunagu/web';
import { type EmailStatus, RecoveryService } from '../identity/recovery/recovery.service';
import { type ResidentSession, ResidentSessionService } from '../identity/session/resident-session.service';
import { type ResidentSessionView, ResidentSessionsService, type SessionsEnded } from '../identity/session/resident-sessions.service';
import { SessionException } from '../identity/session/session.exception';

/** What the account's security pages show — e-mail address and sessions — with the session's CSRF token. */
@Injectable()
export class AccountSecurityService {
  constructor(
    private readonly session: ResidentSessionService,
    private readonly sessions: ResidentSessionsService,
    private readonly recovery: RecoveryService,
  ) {}

  async emailPage(session: ResidentSession): Promise<{ status: EmailStatus; csrf: string }> {
    const [status, csrf] = await Promise.all([this.recovery.emailStatus(session.accountId), this.session.csrfToken(session)]);
    return { status, csrf };
  }

  /** Sends the verification link to a new address (a refusal — throttled, no e-mail — is the page filter's). */
  async addEmail(session: ResidentSession, address: string, lang: Lang, ip: string | undefined): Promise<{ status: EmailStatus; csrf: string; done: 'sent' }> {
    await this.recovery.requestEmailVerification(session.accountId, address.trim(), lang, { address: ip });
    return { ...(await this.emailPage(session)), done: 'sent' };
  }

  async list(session: ResidentSession): Promise<ResidentSessionView[]> {
    return this.sessions.list(session.accountId, session.uid);
  }

  /** One session for its confirmation page (all of them when `uid` is absent). */
  async confirmation(session: ResidentSession, uid: string | undefined): Promise<{ csrf: string; session?: ResidentSessionView }> {
    const csrf = await this.session.csrfToken(session);
    if (uid === undefined) return { csrf };
    const found = (await this.list(session)).find((s) => s.uid === uid);
    if (!found) throw new SessionException('session_not_found');
    return { csrf, session: found };
  }

  /** Ends one session; where the browser goes next (the signed-out page when it was its own). */
  async end(session: ResidentSession, uid: string): Promise<string> {
    await this.sessions.end(session.accountId, uid);
    return uid === session.uid ? '/account/signed-out' : '/account/sessions?ended=1';
  }

  async endAll(session: ResidentSession): Promise<SessionsEnded> {
    return this.sessions.endAll(session.accountId);
  }
}
