import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
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
    return { accountId: session.accountId, uid: session.uid };
  }

  async csrfToken(session: ResidentSession): Promise<string> {
    this.csrfKey ??= this.keys.sharedSecret('portal-csrf-key');
    return createHmac('sha256', await this.csrfKey).update(session.uid).digest('base64url');
  }

  async checkCsrf(session: ResidentSession, token: unknown): Promise<boolean> {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(await this.csrfToken(session));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
