import { Inject, Injectable } from '@nestjs/common';
import type Provider from 'oidc-provider';
import type { Msg } from '@tsunagu/web';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { AuditService } from '../../audit/audit.service';
import { OIDC_PROVIDER, oidcStoresOf } from '../oidc/oidc-provider.factory';
import { deviceWords } from './device-words';
import { PORTAL_CLIENT_ID } from './portal-client';
import { SessionDevicesRepository } from './session-devices.repository';
import { SessionException } from './session.exception';

/** One live sign-in session of the resident, as the portal lists it. */
export interface ResidentSessionView {
  /** The session's uid (never its id: the id is the cookie's value). */
  uid: string;
  device: Msg;
  clientIp: string | null;
  signedInAt: Date;
  lastSeenAt: Date | null;
  /** The session of the browser asking. */
  current: boolean;
  /** How many services (not the portal) signed the resident in through this session. */
  services: number;
}

/** What ending sessions did. */
export interface SessionsEnded {
  sessions: number;
  grants: number;
  /** Back-channel logout tokens the services did not accept (they were told, and could not listen). */
  logoutFailures: number;
}

interface StoredAuthorization { grantId?: string; sid?: string; persistsLogout?: boolean }
/** oidc-provider's client with its back-channel logout (present when the feature is enabled). */
interface LogoutClient { backchannelLogoutUri?: string; backchannelLogout(sub: string, sid?: string): Promise<void> }

/**
 * The resident's sign-in sessions (oidc-provider's Session, in Redis or memory) with what the hub
 * recorded of each sign-in (device, address, times: `resident_session_devices`). Ending one is
 * what signing out there would do: the grants it carries that do not outlive a logout are
 * revoked, each service it signed in to is told by back-channel logout, and the session is gone.
 * After a password reset, everything goes: every session and every grant, refresh tokens included.
 */
@Injectable()
export class ResidentSessionsService {
  private readonly logger = new AppLogger(ResidentSessionsService.name);

  constructor(
    @Inject(OIDC_PROVIDER) private readonly provider: Provider,
    private readonly devices: SessionDevicesRepository,
    private readonly audit: AuditService,
  ) {}

  async list(accountId: string, currentUid: string | undefined): Promise<ResidentSessionView[]> {
    const [sessions, devices] = await Promise.all([oidcStoresOf(this.provider)('Session').listByAccount(accountId), this.devices.listForResident(accountId)]);
    const byUid = new Map(devices.map((d) => [d.session_uid, d]));
    const live = new Set<string>();
    const views: ResidentSessionView[] = [];
    for (const { payload } of sessions) {
      const uid = typeof payload.uid === 'string' ? payload.uid : undefined;
      if (!uid) continue;
      live.add(uid);
      const device = byUid.get(uid);
      const loginTs = typeof payload.loginTs === 'number' ? new Date(payload.loginTs * 1000) : undefined;
      views.push({
        uid,
        device: deviceWords(device?.user_agent),
        clientIp: device?.client_ip ?? null,
        signedInAt: loginTs ?? device?.signed_in_at ?? new Date(0),
        lastSeenAt: device?.last_seen_at ?? null,
        current: uid === currentUid,
        // The portal itself is the hub's own screen, not a service.
        services: Object.keys((payload.authorizations as Record<string, unknown> | undefined) ?? {}).filter((id) => id !== PORTAL_CLIENT_ID).length,
      });
    }
    // Rows of sessions that are gone (expired, signed out) are dropped as they are found.
    await this.devices.delete(accountId, devices.map((d) => d.session_uid).filter((uid) => !live.has(uid)));
    return views.sort((a, b) => Number(b.current) - Number(a.current) || (b.lastSeenAt ?? b.signedInAt).getTime() - (a.lastSeenAt ?? a.signedInAt).getTime());
  }

  /** Ends one of the resident's sessions, named by its uid; `session_not_found` when it is not theirs or is gone. */
  async end(accountId: string, uid: string): Promise<SessionsEnded> {
    const found = (await oidcStoresOf(this.provider)('Session').listByAccount(accountId)).find((s) => s.payload.uid === uid);
    if (!found) throw new SessionException('session_not_found');
    const ended = await this.endSessions(accountId, [found.id]);
    await this.audit.record({ type: 'session.ended', actor: { kind: 'resident', id: accountId }, subject: accountId, outcome: 'success', details: { scope: 'one', ...ended } });
    return ended;
  }

  /** Ends every session of the resident (the one asking included). */
  async endAll(accountId: string): Promise<SessionsEnded> {
    const sessions = await oidcStoresOf(this.provider)('Session').listByAccount(accountId);
    const ended = await this.endSessions(accountId, sessions.map((s) => s.id));
    await this.audit.record({ type: 'session.ended', actor: { kind: 'resident', id: accountId }, subject: accountId, outcome: 'success', details: { scope: 'all', ...ended } });
    return ended;
  }

  /**
   * After a password reset: every session, and every grant with its codes, access and refresh
   * tokens, whether or not it would outlive a logout (offline access included). Each service
   * holding one is told by back-channel logout. Audited by the caller (the reset's own event).
   */
  async revokeEverything(accountId: string): Promise<SessionsEnded> {
    const stores = oidcStoresOf(this.provider);
    const sessions = await stores('Session').listByAccount(accountId);
    const ended = await this.endSessions(accountId, sessions.map((s) => s.id), true);
    const grantStore = stores('Grant');
    const told = new Set<string>();
    const remaining = await grantStore.listByAccount(accountId);
    for (const { id, payload } of remaining) {
      await grantStore.revokeByGrantId(id);
      await grantStore.destroy(id);
      ended.grants++;
      const clientId = typeof payload.clientId === 'string' ? payload.clientId : undefined;
      if (clientId && !told.has(clientId)) {
        told.add(clientId);
        if (!(await this.logout(accountId, clientId, undefined))) ended.logoutFailures++;
      }
    }
    return ended;
  }

  private async endSessions(accountId: string, ids: string[], allGrants = false): Promise<SessionsEnded> {
    const grantStore = oidcStoresOf(this.provider)('Grant');
    const result: SessionsEnded = { sessions: 0, grants: 0, logoutFailures: 0 };
    const uids: string[] = [];
    for (const id of ids) {
      const session = await this.provider.Session.find(id);
      if (!session || session.accountId !== accountId) continue;
      const authorizations = (session.authorizations ?? {}) as Record<string, StoredAuthorization>;
      for (const [clientId, authorization] of Object.entries(authorizations)) {
        if (authorization.grantId && (allGrants || !authorization.persistsLogout)) {
          await grantStore.revokeByGrantId(authorization.grantId);
          await grantStore.destroy(authorization.grantId);
          result.grants++;
        }
        if (!(await this.logout(accountId, clientId, authorization.sid))) result.logoutFailures++;
      }
      uids.push(session.uid);
      await session.destroy();
      result.sessions++;
    }
    await this.devices.delete(accountId, uids);
    this.logger.log(LogKind.Authentication, 'Resident sessions ended', { residentId: accountId, ...result });
    return result;
  }

  /** Back-channel logout to one service: true when delivered or not registered. */
  private async logout(accountId: string, clientId: string, sid: string | undefined): Promise<boolean> {
    const client = await this.provider.Client.find(clientId) as unknown as LogoutClient | undefined;
    if (!client?.backchannelLogoutUri) return true;
    try {
      await client.backchannelLogout(accountId, sid);
      return true;
    } catch (error) {
      this.logger.warn(LogKind.Authentication, 'Back-channel logout failed', { clientId, error: (error as Error)?.message });
      return false;
    }
  }
}
