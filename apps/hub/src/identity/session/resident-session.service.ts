import { Inject, Injectable } from '@nestjs/common';
import { AppLogger } from '@tsunagu/logger';
import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
import { csrfTokenMatches, deriveCsrfToken } from '@tsunagu/web';
import { setLogActor } from '@tsunagu/logger';
import { KeysService } from '../../platform/keys/keys.service';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { OIDC_PROVIDER } from '../oidc/oidc-provider.factory';
import { clientAddressOf } from './session-activity';
import { SessionDevicesRepository } from './session-devices.repository';

/** A session's "last seen" is written at most this often (a page view is not worth a write each). */
const TOUCH_EVERY_MS = 60_000;

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
  private readonly logger = new AppLogger(ResidentSessionService.name);
  private csrfKey?: Promise<string>;
  private readonly touched = new Map<string, number>();
  private readonly addressOf: ReturnType<typeof clientAddressOf>;

  constructor(
    @Inject(OIDC_PROVIDER) private readonly provider: Provider,
    private readonly keys: KeysService,
    private readonly devices: SessionDevicesRepository,
    @Inject(HUB_CONFIG) config: HubConfig,
  ) {
    this.addressOf = clientAddressOf(config.ADMIN_TRUSTED_PROXIES);
  }

  async current(req: Request, res: Response): Promise<ResidentSession | undefined> {
    const session = await this.provider.Session.get({ req, res } as never);
    if (!session?.accountId) return undefined;
    setLogActor({ kind: 'resident', id: session.accountId });
    await this.touch(session.uid, session.accountId, req);
    return { accountId: session.accountId, uid: session.uid };
  }

  /** The portal was used from this session: its "last seen" (sessions page), at most once a minute per replica. */
  private async touch(uid: string, accountId: string, req: Request): Promise<void> {
    const now = Date.now();
    if ((this.touched.get(uid) ?? 0) > now - TOUCH_EVERY_MS) return;
    this.touched.set(uid, now);
    if (this.touched.size > 10_000) this.touched.clear();
    await this.devices.touch(uid, accountId, this.addressOf(req)).catch((error: unknown) => this.logger.error('Recording a session’s last use failed', error));
  }

  /** Whether the sign-in session with this uid still exists and is signed in (a card app's hand-over is bound to it). */
  async isSignedIn(uid: string, accountId: string): Promise<boolean> {
    const session = await this.provider.Session.findByUid(uid);
    return !!session && session.accountId === accountId;
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
