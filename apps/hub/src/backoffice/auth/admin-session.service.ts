import { setLogActor } from '@tsunagu/logger';
import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { csrfTokenMatches, deriveCsrfToken, type WebCookie } from '@tsunagu/web';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { KeysService } from '../../platform/keys/keys.service';
import { type AdminSessionRow, AdminSessionsRepository } from './admin-sessions.repository';

export const ADMIN_COOKIE = 'tsunagu_admin';
const LOGIN_COOKIE = 'tsunagu_admin_login';

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * The admin session cookie and CSRF tokens. The cookie holds a random token (HttpOnly,
 * SameSite=Strict, Secure on https); PostgreSQL holds its hash and the idle deadline. CSRF tokens
 * are an HMAC of the session ID with a key shared by all replicas (hub_secrets).
 */
@Injectable()
export class AdminSessionService {
  private csrfKey?: Promise<string>;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly repo: AdminSessionsRepository,
    private readonly keys: KeysService,
  ) {}

  private get secure(): boolean {
    return this.config.PUBLIC_URL.startsWith('https');
  }

  /**
   * The session cookie with its attributes (HttpOnly, SameSite=Strict, Secure on https), set or
   * cleared (`maxAgeMs: 0`) with the same ones.
   */
  private sessionCookie(value: string, maxAgeMs: number): WebCookie {
    return { name: ADMIN_COOKIE, value, httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/', maxAgeMs };
  }

  /**
   * Starts a session (a fresh token: no fixation; the browser's previous session ends). Returns
   * the cookie that the sign-in reply sets.
   */
  async start(req: Request, adminId: string, clientIp: string): Promise<WebCookie> {
    const previous = req.cookies?.[ADMIN_COOKIE];
    if (typeof previous === 'string') await this.repo.deleteByTokenHash(sha256(previous));
    await this.repo.deleteExpired(this.config.ADMIN_SESSION_IDLE_MINUTES, this.config.ADMIN_SESSION_MAX_HOURS);
    const token = randomBytes(32).toString('base64url');
    await this.repo.insert(sha256(token), adminId, clientIp);
    return this.sessionCookie(token, this.config.ADMIN_SESSION_MAX_HOURS * 3_600_000);
  }

  hasCookie(req: Request): boolean {
    return typeof req.cookies?.[ADMIN_COOKIE] === 'string';
  }

  /** The live session of the request, touched (the idle period starts again), or undefined. */
  async resume(req: Request): Promise<AdminSessionRow | undefined> {
    const token = req.cookies?.[ADMIN_COOKIE];
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const session = await this.repo.resume(sha256(token), this.config.ADMIN_SESSION_IDLE_MINUTES, this.config.ADMIN_SESSION_MAX_HOURS);
    if (session) setLogActor({ kind: 'admin', id: session.admin_id, tenantId: session.tenant_id ?? session.acting_tenant_id ?? undefined });
    return session;
  }

  /** Ends a session; returns the cookie that clears it in the sign-out reply. */
  async end(sessionId?: string): Promise<WebCookie> {
    if (sessionId) await this.repo.delete(sessionId);
    return this.sessionCookie('', 0);
  }

  /** Clears the cookie on a response that is not a handler's reply (the access middleware's). */
  clear(res: Response): void {
    const { name, path, httpOnly, sameSite, secure } = this.sessionCookie('', 0);
    res.clearCookie(name, { path, httpOnly, sameSite, secure });
  }

  setActingTenant(sessionId: string, tenantId: string | null): Promise<void> {
    return this.repo.setActingTenant(sessionId, tenantId);
  }

  async csrfToken(sessionId: string): Promise<string> {
    return deriveCsrfToken(await this.key(), `session:${sessionId}`);
  }

  async checkCsrf(sessionId: string, token: unknown): Promise<boolean> {
    return csrfTokenMatches(await this.csrfToken(sessionId), token);
  }

  /**
   * The sign-in form's CSRF token (login CSRF): bound to a random nonce in a short-lived cookie,
   * so a third-party page cannot sign a browser in to an account of its choosing. `cookie` is the
   * nonce's, for the reply to set, when the browser has none yet.
   */
  async loginCsrf(req: Request): Promise<{ token: string; cookie?: WebCookie }> {
    let nonce = req.cookies?.[LOGIN_COOKIE];
    let cookie: WebCookie | undefined;
    if (typeof nonce !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(nonce)) {
      nonce = randomBytes(16).toString('base64url');
      cookie = { name: LOGIN_COOKIE, value: nonce, httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/admin/login', maxAgeMs: 3_600_000 };
    }
    return { token: deriveCsrfToken(await this.key(), `login:${nonce}`), cookie };
  }

  async checkLoginCsrf(req: Request, token: unknown): Promise<boolean> {
    const nonce = req.cookies?.[LOGIN_COOKIE];
    if (typeof nonce !== 'string') return false;
    return csrfTokenMatches(deriveCsrfToken(await this.key(), `login:${nonce}`), token);
  }

  private key(): Promise<string> {
    this.csrfKey ??= this.keys.sharedSecret('admin-csrf-key').catch((error) => {
      this.csrfKey = undefined;
      throw error;
    });
    return this.csrfKey;
  }
}
