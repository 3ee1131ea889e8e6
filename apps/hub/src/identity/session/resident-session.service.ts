import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
import { csrfTokenMatches, deriveCsrfToken } from '@tsunagu/web';
import { setLogActor } from '@tsunagu/logger';
import { KeysService } from '../../platform/keys/keys.service';
import { OIDC_PROVIDER } from '../oidc/oidc-provider.factory';

export interface ResidentSession {
  accountId: string;
  /** Stable per browser session: CSRF tokens are derived from it. */
  uid: string;
}

/**
 * The hub's own screens reuse the single sign-on session oidc-provider keeps (cookie + Redis or
 * memory), so a resident signed in at any service is signed in at the portal, and signing out
 * anywhere signs out here too.
 */
@Injectable()
export class ResidentSessionService {
  private csrfKey?: Promise<string>;

  constructor(@Inject(OIDC_PROVIDER) private readonly provider: Provider, private readonly keys: KeysService) {}

  async current(req: Request, res: Response): Promise<ResidentSession | undefined> {
    const session = await this.provider.Session.get({ req, res } as never);
    if (!session?.accountId) return undefined;
    setLogActor({ kind: 'resident', id: session.accountId });
    return { accountId: session.accountId, uid: session.uid };
  }

  /** The session's CSRF token: an HMAC of its uid under a key all replicas share (hub_secrets). */
  async csrfToken(session: ResidentSession): Promise<string> {
    this.csrfKey ??= this.keys.sharedSecret('portal-csrf-key');
    return deriveCsrfToken(await this.csrfKey, session.uid);
  }

  async checkCsrf(session: ResidentSession, token: unknown): Promise<boolean> {
    return csrfTokenMatches(await this.csrfToken(session), token);
  }
}
