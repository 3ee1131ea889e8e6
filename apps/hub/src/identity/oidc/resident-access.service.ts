import { Inject, Injectable } from '@nestjs/common';
import type Provider from 'oidc-provider';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { clientExtra, OIDC_PROVIDER, oidcStoresOf } from './oidc-provider.factory';

/** A service (OIDC client) the resident has given access to: it holds a Grant of theirs. */
export interface ServiceAccess {
  clientId: string;
  /** When the earliest of its grants was given. */
  grantedAt: Date;
}

/** What removing a service's access did. */
export interface AccessRevocation {
  /** Grants destroyed, each with every code, access token and refresh token issued under it. */
  grants: number;
  /** The service's back-channel logout: delivered, refused or unreachable, or not registered. */
  backchannelLogout: 'delivered' | 'failed' | 'not_registered';
}

/** oidc-provider's client with its back-channel logout (present when the feature is enabled). */
interface LogoutClient { backchannelLogoutUri?: string; backchannelLogout(sub: string, sid?: string): Promise<void> }

interface StoredAuthorization { grantId?: string; sid?: string }

/**
 * The services that hold a resident's OIDC grants, and ending one service's access for good:
 * its grants and every token of them are revoked, it is dropped from the resident's sessions, and
 * it is told by back-channel logout (docs/oidc.md "Back-channel logout"). The hub's own
 * first-party screens (the portal) are not listed: they are the place where this is done.
 */
@Injectable()
export class ResidentAccessService {
  private readonly logger = new AppLogger(ResidentAccessService.name);

  constructor(@Inject(OIDC_PROVIDER) private readonly provider: Provider) {}

  async list(accountId: string): Promise<ServiceAccess[]> {
    const grants = await oidcStoresOf(this.provider)('Grant').listByAccount(accountId);
    const byClient = new Map<string, Date>();
    for (const { payload } of grants) {
      const clientId = payload.clientId;
      if (typeof clientId !== 'string' || await this.firstParty(clientId)) continue;
      const at = new Date(typeof payload.iat === 'number' ? payload.iat * 1000 : Date.now());
      const known = byClient.get(clientId);
      if (!known || at < known) byClient.set(clientId, at);
    }
    return [...byClient].map(([clientId, grantedAt]) => ({ clientId, grantedAt })).sort((a, b) => a.grantedAt.getTime() - b.grantedAt.getTime());
  }

  async revoke(accountId: string, clientId: string): Promise<AccessRevocation> {
    const stores = oidcStoresOf(this.provider);
    const grantStore = stores('Grant');
    const grants = (await grantStore.listByAccount(accountId)).filter((g) => g.payload.clientId === clientId);
    // Sessions first: their `sid` for this service goes into the logout token.
    const sids = new Set<string>();
    for (const { id } of await stores('Session').listByAccount(accountId)) {
      const session = await this.provider.Session.find(id);
      const authorization = (session?.authorizations as Record<string, StoredAuthorization> | undefined)?.[clientId];
      if (!session || !authorization) continue;
      if (authorization.sid) sids.add(authorization.sid);
      if (authorization.grantId && !grants.some((g) => g.id === authorization.grantId)) grants.push({ id: authorization.grantId, payload: {} });
      delete (session.authorizations as Record<string, StoredAuthorization>)[clientId];
      await session.persist();
    }
    for (const { id } of grants) {
      await grantStore.revokeByGrantId(id);
      await grantStore.destroy(id);
    }
    const backchannelLogout = await this.backchannelLogout(accountId, clientId, sids);
    this.logger.log(LogKind.Authentication, 'Service access revoked by the resident', { clientId, grants: grants.length, backchannelLogout });
    return { grants: grants.length, backchannelLogout };
  }

  /**
   * A departure (docs/erasure.md): every service's access ended as {@link revoke} ends one (its
   * grants, tokens and back-channel logout). Safe to repeat. The hub's own first-party screens
   * (the portal) keep their session: {@link endSessions} ends it.
   */
  async revokeAll(accountId: string): Promise<{ services: number; grants: number }> {
    let grants = 0;
    const services = await this.list(accountId);
    for (const { clientId } of services) grants += (await this.revoke(accountId, clientId)).grants;
    return { services: services.length, grants };
  }

  /** Ends every session of the account at the hub (the portal included) and destroys what grants remain. Returns the sessions ended. */
  async endSessions(accountId: string): Promise<number> {
    const stores = oidcStoresOf(this.provider);
    const sessions = await stores('Session').listByAccount(accountId);
    for (const { id } of sessions) await stores('Session').destroy(id);
    const grantStore = stores('Grant');
    for (const { id } of await grantStore.listByAccount(accountId)) {
      await grantStore.revokeByGrantId(id);
      await grantStore.destroy(id);
    }
    if (sessions.length) this.logger.log(LogKind.Authentication, 'Every session of the resident ended', { sessions: sessions.length });
    return sessions.length;
  }

  /** One logout token per session of the service (with its `sid`), or one with `sub` only. */
  private async backchannelLogout(accountId: string, clientId: string, sids: Set<string>): Promise<AccessRevocation['backchannelLogout']> {
    const client = await this.provider.Client.find(clientId) as unknown as LogoutClient | undefined;
    if (!client?.backchannelLogoutUri) return 'not_registered';
    const targets = sids.size ? [...sids] : [undefined];
    const results = await Promise.allSettled(targets.map((sid) => client.backchannelLogout(accountId, sid)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      this.logger.warn(LogKind.Authentication, 'Back-channel logout failed', { clientId, error: (failed.reason as Error)?.message });
      return 'failed';
    }
    return 'delivered';
  }

  private async firstParty(clientId: string): Promise<boolean> {
    const client = await this.provider.Client.find(clientId);
    return Boolean(clientExtra(client, 'tsunagu_first_party'));
  }
}
