import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { type RegisterResidentRequest, RESIDENT_ERROR_MESSAGES_WITH_VALUE } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { AuditService } from '../../audit/audit.service';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { generateCommonId } from './common-id';
import { ResidentException } from './resident.exception';
import { type ResidentRow, ResidentsRepository } from './residents.repository';

/** What the rest of the hub may know of a resident (never the password hash). */
export interface Resident {
  id: string;
  commonId: string;
  loginId: string;
  displayName: string;
  identityVerifiedAt: Date | null;
  createdAt: Date;
}

function toResident(row: ResidentRow): Resident {
  return {
    id: row.id,
    commonId: row.common_id.trim(),
    loginId: row.login_id,
    displayName: row.display_name,
    identityVerifiedAt: row.identity_verified_at,
    createdAt: row.created_at,
  };
}

/**
 * argon2id with OWASP's recommended parameters (19 MiB, t=2, p=1): strong against GPU guessing
 * while a sign-in burst on a 2-core hub replica does not take hundreds of MB of memory.
 */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Registration and password sign-in with lockout. */
@Injectable()
export class ResidentsService {
  private readonly logger = new AppLogger(ResidentsService.name);
  /** A hash to verify against when the login ID is unknown, so timing does not reveal which IDs exist. */
  private readonly dummyHash = argon2.hash('tsunagu-timing-equaliser', ARGON2_OPTIONS);

  constructor(
    private readonly repo: ResidentsRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly audit: AuditService,
  ) {}

  async register(request: RegisterResidentRequest): Promise<Resident> {
    const loginId = request.loginId.toLowerCase();
    if (request.password.toLowerCase().includes(loginId)) {
      throw new ResidentException('weak_password');
    }
    const passwordHash = await argon2.hash(request.password, ARGON2_OPTIONS);
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await this.repo.insert({ commonId: generateCommonId(), loginId, passwordHash, displayName: request.displayName.trim() });
      if (result === 'login_id_taken') {
        throw new ResidentException('login_id_taken');
      }
      if (result !== 'common_id_taken') {
        this.logger.log(LogKind.Authentication, 'Resident registered', { residentId: result.id });
        return toResident(result);
      }
      // 10^15 possible IDs: a collision is rare; draw again.
    }
    throw new Error('Could not allocate a unique common ID');
  }

  /** Checks a password; counts failures and locks the account after LOGIN_MAX_FAILURES. */
  async authenticate(loginIdInput: string, password: string): Promise<Resident> {
    const row = await this.repo.findByLoginId(loginIdInput.trim().toLowerCase());
    const invalid = () => new ResidentException('invalid_credentials');
    const locked = () => new ResidentException('account_locked', RESIDENT_ERROR_MESSAGES_WITH_VALUE.account_locked(this.config.LOGIN_LOCKOUT_MINUTES));
    if (!row) {
      await argon2.verify(await this.dummyHash, password).catch(() => false);
      this.logger.warn(LogKind.Authentication, 'Sign-in failed: unknown login ID');
      // The typed login ID is not recorded: it may be a mistyped password or someone else's name.
      await this.audit.record({ type: 'auth.sign_in_failed', actor: { kind: 'resident' }, outcome: 'failure', reason: 'unknown_login_id' });
      throw invalid();
    }
    if (await this.repo.isLocked(row.id)) {
      this.logger.warn(LogKind.Authentication, 'Sign-in refused: account locked', { residentId: row.id });
      await this.audit.record({ type: 'auth.sign_in_failed', actor: { kind: 'resident', id: row.id }, subject: row.id, outcome: 'failure', reason: 'account_locked' });
      throw locked();
    }
    const ok = await argon2.verify(row.password_hash, password).catch(() => false);
    if (!ok) {
      const { locked: nowLocked } = await this.repo.recordFailure(row.id, this.config.LOGIN_MAX_FAILURES, this.config.LOGIN_LOCKOUT_MINUTES);
      this.logger.warn(LogKind.Authentication, 'Sign-in failed: wrong password', { residentId: row.id, locked: nowLocked });
      await this.audit.record({ type: 'auth.sign_in_failed', actor: { kind: 'resident', id: row.id }, subject: row.id, outcome: 'failure', reason: 'invalid_credentials' });
      if (nowLocked) {
        await this.audit.record({
          type: 'auth.account_locked', actor: { kind: 'system' }, subject: row.id, outcome: 'success', reason: 'too_many_failures',
          details: { maxFailures: this.config.LOGIN_MAX_FAILURES, lockoutMinutes: this.config.LOGIN_LOCKOUT_MINUTES },
        });
      }
      throw nowLocked ? locked() : invalid();
    }
    await this.repo.recordSuccess(row.id);
    this.logger.log(LogKind.Authentication, 'Resident signed in', { residentId: row.id });
    await this.audit.record({ type: 'auth.sign_in', actor: { kind: 'resident', id: row.id }, subject: row.id, outcome: 'success', details: { method: 'password' } });
    return toResident(row);
  }

  async findById(id: string): Promise<Resident | undefined> {
    const row = await this.repo.findById(id);
    return row && toResident(row);
  }

  async findByLoginId(loginId: string): Promise<Resident | undefined> {
    const row = await this.repo.findByLoginId(loginId.toLowerCase());
    return row && toResident(row);
  }
}
