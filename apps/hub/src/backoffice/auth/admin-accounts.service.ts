import { Injectable } from '@nestjs/common';
import type ipaddr from 'ipaddr.js';
import { DataSource } from 'typeorm';
import { TooManyAttemptsException } from '@tsunagu/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { AuditService } from '../../audit/audit.service';
import { KeysService } from '../../platform/keys/keys.service';
import { ThrottleService } from '../../platform/throttle/throttle.service';
import { AdminNetworksService } from '../access/admin-networks.service';
import { inTransaction, type Tx } from '../../platform/database/sql';
import { AdminException } from '../../platform/access/admin.exception';
import { type AdminAccountSummary, AdminAccountsRepository } from './admin-accounts.repository';
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './admin-password';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { AdminSessionsRepository } from './admin-sessions.repository';
import { newTotpSecret, totpUri, verifyTotp } from './totp';

/** What an admin needs once, right after an account is made or reset: shown, never stored in clear. */
export interface IssuedCredentials {
  account: AdminAccountSummary;
  /** Present when the password was generated. */
  password?: string;
  totpSecret: string;
  otpauthUri: string;
}

/** The sealed-box context of an admin's TOTP secret (bound to the account's row). */
export function totpContext(loginId: string): string {
  return `admin-totp:${loginId}`;
}

const invalid = () => new AdminException('admin_invalid_credentials');

/**
 * Admin accounts: separate from residents (own table, own sign-in), password (argon2id) plus a
 * TOTP code, throttled per address and per login ID (docs/security.md), networks checked per account.
 */
@Injectable()
export class AdminAccountsService {
  private readonly logger = new AppLogger(AdminAccountsService.name);
  /** A hash to verify against for unknown login IDs, so timing does not tell which exist. */
  private readonly dummyHash = hashPassword('tsunagu-admin-timing-equaliser');

  constructor(
    private readonly db: DataSource,
    private readonly repo: AdminAccountsRepository,
    private readonly sessions: AdminSessionsRepository,
    private readonly keys: KeysService,
    private readonly networks: AdminNetworksService,
    private readonly audit: AuditService,
    private readonly throttle: ThrottleService,
  ) {}

  /**
   * Checks login ID, password and TOTP code from `address`. The attempt is counted first, per
   * address and per typed login ID (existing or not): a throttled one is refused before the
   * database or argon2 is asked, the same for every ID. Both factors are always checked, and a
   * failure does not say which one it was. The account's network and its tenant's state are
   * checked after the factors, so only who knows both learns of a refusal (403) that tells the
   * account exists.
   */
  async authenticate(loginIdInput: string, password: string, code: string, address: ipaddr.IPv4 | ipaddr.IPv6 | undefined): Promise<{ adminId: string; kind: 'tenant' | 'system' }> {
    const loginId = loginIdInput.trim().toLowerCase();
    const ip = address?.toString();
    try {
      await this.throttle.signInAttempt('admin', loginId, ip);
    } catch (error) {
      if (error instanceof TooManyAttemptsException && error.blockStarted) {
        this.logger.warn(LogKind.Authentication, 'Admin sign-in throttled: too many attempts', { ip, retryAfterSeconds: error.retryAfterSeconds });
        await this.audit.record({ type: 'auth.throttled', actor: { kind: 'admin' }, outcome: 'failure', reason: 'too_many_attempts', details: { area: 'admin', ip, retryAfterSeconds: error.retryAfterSeconds } });
      }
      throw error;
    }
    const account = await this.repo.findForSignIn(loginId);
    if (!account) {
      await verifyPassword(await this.dummyHash, password);
      this.logger.warn(LogKind.Authentication, 'Admin sign-in failed: unknown login ID', { ip });
      await this.audit.record({ type: 'auth.sign_in_failed', actor: { kind: 'admin' }, outcome: 'failure', reason: 'unknown_login_id', details: { area: 'admin', ip } });
      throw invalid();
    }
    const fail = async (reason: string, extra: Record<string, unknown> = {}) => {
      this.logger.warn(LogKind.Authentication, `Admin sign-in refused: ${reason}`, { adminId: account.id, ip });
      await this.audit.record({
        type: 'auth.sign_in_failed', actor: { kind: 'admin', id: account.id }, tenantId: account.tenant_id ?? undefined, subject: account.id,
        outcome: 'failure', reason, details: { area: 'admin', ip, ...extra },
      });
    };
    if (!account.active) {
      await verifyPassword(await this.dummyHash, password);
      await fail('account_inactive');
      throw invalid();
    }
    const secret = this.keys.open(account.totp_secret_enc, totpContext(account.login_id));
    const [passwordOk, step] = await Promise.all([
      verifyPassword(account.password_hash, password),
      verifyTotp(secret, code, account.totp_last_step === null ? null : Number(account.totp_last_step)),
    ]);
    if (!passwordOk || step === undefined) {
      await fail(passwordOk ? 'invalid_otp' : 'invalid_credentials');
      throw invalid();
    }
    // Only who knows both factors learns that the account exists but may not sign in from here or now.
    const allowed = account.tenant_id ? this.networks.tenantAllows(address, account.tenant_allowed_cidrs) : this.networks.systemAllows(address);
    if (!allowed) {
      await fail('ip_not_allowed');
      throw this.ipNotAllowed();
    }
    if (account.tenant_id && !account.tenant_active) {
      await fail('tenant_inactive');
      throw new AdminException('admin_tenant_inactive');
    }
    // Consuming the step is atomic: the same code sent twice at once signs in once.
    if (!(await this.repo.recordSuccess(account.id, step))) {
      await fail('invalid_otp');
      throw invalid();
    }
    await this.throttle.signInSucceeded('admin', loginId, ip);
    const kind = account.tenant_id ? 'tenant' : 'system';
    this.logger.log(LogKind.Authentication, 'Admin signed in', { adminId: account.id, kind, ip });
    await this.audit.record({
      type: 'auth.sign_in', actor: { kind: 'admin', id: account.id }, tenantId: account.tenant_id ?? undefined, subject: account.id,
      outcome: 'success', details: { area: 'admin', method: 'password+totp', kind, ip },
    });
    return { adminId: account.id, kind };
  }

  /**
   * Creates an account. `tenantId` null makes a system admin. Without `password`, one is
   * generated; the TOTP secret always is. `actor` is who did it (an admin, or the CLI).
   */
  async create(input: { tenantId: string | null; loginId: string; displayName: string; password?: string }, actor: { kind: 'admin' | 'system'; id: string }): Promise<IssuedCredentials> {
    const loginId = input.loginId.trim().toLowerCase();
    const password = input.password ?? generatePassword();
    const problem = passwordProblem(password, loginId);
    if (problem) throw new AdminException('weak_password', problem);
    const secret = newTotpSecret();
    const passwordHash = await hashPassword(password);
    const account = await inTransaction(this.db, async (tx) => {
      const row = await this.repo.insert(tx, {
        tenantId: input.tenantId, loginId, displayName: input.displayName.trim(), passwordHash, totpSecretEnc: this.keys.seal(secret, totpContext(loginId)),
      });
      if (row === 'login_id_taken') {
        throw new AdminException('duplicate_login_id');
      }
      await this.recordChange(tx, actor, input.tenantId, 'admin_account.create', row.id, { loginId, kind: input.tenantId ? 'tenant' : 'system' });
      return row;
    });
    return { account, password: input.password ? undefined : password, totpSecret: secret, otpauthUri: totpUri(secret, loginId) };
  }

  async changeOwnPassword(principal: AdminPrincipal, current: string, next: string, confirm: string): Promise<void> {
    const row = await this.repo.findById(principal.adminId);
    if (!row || !(await verifyPassword(row.password_hash, current))) {
      throw new AdminException('current_password_incorrect');
    }
    if (next !== confirm) throw new AdminException('password_mismatch');
    const problem = passwordProblem(next, row.login_id);
    if (problem) throw new AdminException('weak_password', problem);
    if (next === current) throw new AdminException('weak_password');
    const hash = await hashPassword(next);
    await inTransaction(this.db, async (tx) => {
      await this.repo.updatePassword(tx, row.id, hash);
      // Other sessions of this admin end: whoever knew the old password is signed out.
      await this.sessions.deleteForAdmin(tx, row.id, principal.sessionId);
      await this.recordChange(tx, { kind: 'admin', id: principal.adminId }, row.tenant_id, 'admin_account.password_change', row.id, {});
    });
  }

  listForTenant(tenantId: string): Promise<AdminAccountSummary[]> {
    return this.repo.listForTenant(tenantId);
  }

  listSystem(): Promise<AdminAccountSummary[]> {
    return this.repo.listSystem();
  }

  /** One account of `tenantId` (null: a system admin), for a confirmation page. */
  async get(tenantId: string | null, id: string): Promise<AdminAccountSummary> {
    const account = await this.repo.findInScope(this.db, tenantId, id);
    if (!account) throw new AdminException('admin_account_not_found');
    return account;
  }

  /** Lifts a lockout early (system admin). */
  async unlock(actor: AdminPrincipal, tenantId: string | null, id: string): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const account = await this.inScope(tx, tenantId, id);
      await this.repo.unlock(tx, account.id);
      await this.recordChange(tx, { kind: 'admin', id: actor.adminId }, tenantId, 'admin_account.unlock', account.id, { loginId: account.login_id });
    });
  }

  /** Deactivates or reactivates an account; deactivation ends its sessions. */
  async setActive(actor: AdminPrincipal, tenantId: string | null, id: string, active: boolean): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const account = await this.inScope(tx, tenantId, id);
      if (!active && tenantId === null && account.active && (await this.repo.countActiveSystemAdmins(tx)) <= 1) {
        throw new AdminException('last_system_admin');
      }
      await this.repo.setActive(tx, account.id, active);
      if (!active) await this.sessions.deleteForAdmin(tx, account.id);
      await this.recordChange(tx, { kind: 'admin', id: actor.adminId }, tenantId, active ? 'admin_account.activate' : 'admin_account.deactivate', account.id, { loginId: account.login_id });
    });
  }

  /** A new password and TOTP secret (lost phone, forgotten password), shown once; sessions end. */
  async resetCredentials(actor: AdminPrincipal, tenantId: string | null, id: string): Promise<IssuedCredentials> {
    const password = generatePassword();
    const secret = newTotpSecret();
    const passwordHash = await hashPassword(password);
    const account = await inTransaction(this.db, async (tx) => {
      const row = await this.inScope(tx, tenantId, id);
      await this.repo.resetCredentials(tx, row.id, { totpSecretEnc: this.keys.seal(secret, totpContext(row.login_id)), passwordHash });
      await this.sessions.deleteForAdmin(tx, row.id);
      await this.recordChange(tx, { kind: 'admin', id: actor.adminId }, tenantId, 'admin_account.reset_credentials', row.id, { loginId: row.login_id });
      return row;
    });
    return { account, password, totpSecret: secret, otpauthUri: totpUri(secret, account.login_id) };
  }

  private async inScope(tx: Tx, tenantId: string | null, id: string): Promise<AdminAccountSummary> {
    const account = await this.repo.findInScope(tx, tenantId, id);
    if (!account) throw new AdminException('admin_account_not_found');
    return account;
  }

  private recordChange(tx: Tx, actor: { kind: 'admin' | 'system'; id: string }, tenantId: string | null, action: string, subject: string, details: Record<string, unknown>) {
    return this.audit.record({ type: 'admin.change', actor, tenantId: tenantId ?? undefined, subject, outcome: 'success', details: { action, ...details } }, tx);
  }

  ipNotAllowed() {
    return new AdminException('admin_ip_not_allowed');
  }
}
