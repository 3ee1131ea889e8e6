import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { csrfTokenMatches, deriveCsrfToken } from '@tsunagu/web';
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

  /** Starts a session (a fresh token: no fixation; the browser's previous session ends) and sets the cookie. */
  async start(req: Request, res: Response, adminId: string, clientIp: string): Promise<string> {
    const previous = req.cookies?.[ADMIN_COOKIE];
    if (typeof previous === 'string') await this.repo.deleteByTokenHash(sha256(previous));
    await this.repo.deleteExpired(this.config.ADMIN_SESSION_IDLE_MINUTES, this.config.ADMIN_SESSION_MAX_HOURS);
    const token = randomBytes(32).toString('base64url');
    const sessionId = await this.repo.insert(sha256(token), adminId, clientIp);
    res.cookie(ADMIN_COOKIE, token, {
      httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/', maxAge: this.config.ADMIN_SESSION_MAX_HOURS * 3_600_000,
    });
    return sessionId;
  }

  hasCookie(req: Request): boolean {
    return typeof req.cookies?.[ADMIN_COOKIE] === 'string';
  }

  /** The live session of the request, touched (the idle period starts again), or undefined. */
  async resume(req: Request): Promise<AdminSessionRow | undefined> {
    const token = req.cookies?.[ADMIN_COOKIE];
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    return this.repo.resume(sha256(token), this.config.ADMIN_SESSION_IDLE_MINUTES, this.config.ADMIN_SESSION_MAX_HOURS);
  }

  async end(res: Response, sessionId?: string): Promise<void> {
    if (sessionId) await this.repo.delete(sessionId);
    this.clear(res);
  }

  clear(res: Response): void {
    res.clearCookie(ADMIN_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: this.secure });
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
   * so a third-party page cannot sign a browser in to an account of its choosing.
   */
  async loginCsrf(req: Request, res: Response): Promise<string> {
    let nonce = req.cookies?.[LOGIN_COOKIE];
    if (typeof nonce !== 'string' || !/^[A-Za-z0-9_-]{22}$/.test(nonce)) {
      nonce = randomBytes(16).toString('base64url');
      res.cookie(LOGIN_COOKIE, nonce, { httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/admin/login', maxAge: 3_600_000 });
    }
    return deriveCsrfToken(await this.key(), `login:${nonce}`);
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
