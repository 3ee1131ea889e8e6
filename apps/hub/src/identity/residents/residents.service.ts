import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { TooManyAttemptsException } from '@tsunagu/common';
import type { RegisterResidentRequest } from '@tsunagu/contracts';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { AuditService } from '../../audit/audit.service';
import { type SignInArea, ThrottleService } from '../../platform/throttle/throttle.service';
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

/** A new password's hash, with the parameters of every resident password (a reset sets one). */
export function hashResidentPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** Where a web request came from, for throttling (absent for the seed and other in-process callers). */
export interface RequestOrigin {
  address: string | undefined;
}

/** Registration and password sign-in, throttled per address and per login ID (docs/security.md). */
@Injectable()
export class ResidentsService {
  private readonly logger = new AppLogger(ResidentsService.name);
  /** A hash to verify against when the login ID is unknown, so timing does not reveal which IDs exist. */
  private readonly dummyHash = argon2.hash('tsunagu-timing-equaliser', ARGON2_OPTIONS);

  constructor(
    private readonly repo: ResidentsRepository,
    private readonly throttle: ThrottleService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Registers a resident. A login ID another resident has is refused with `login_id_unavailable`,
   * a 400 like every other refusal of the form; a resident must be told to choose another ID, so
   * what stops the form from being used to test IDs is the limit per address (`origin`).
   */
  async register(request: RegisterResidentRequest, origin?: RequestOrigin): Promise<Resident> {
    if (origin) await this.throttled('resident', () => this.throttle.registrationAttempt(origin.address), origin);
    const loginId = request.loginId.toLowerCase();
    if (request.password.toLowerCase().includes(loginId)) {
      throw new ResidentException('weak_password');
    }
    const passwordHash = await argon2.hash(request.password, ARGON2_OPTIONS);
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await this.repo.insert({ commonId: generateCommonId(), loginId, passwordHash, displayName: request.displayName.trim() });
      if (result === 'login_id_taken') {
        throw new ResidentException('login_id_unavailable');
      }
      if (result !== 'common_id_taken') {
        this.logger.log(LogKind.Authentication, 'Resident registered', { residentId: result.id });
        return toResident(result);
      }
      // 10^15 possible IDs: a collision is rare; draw again.
    }
    throw new Error('Could not allocate a unique common ID');
  }

  /**
   * Checks a password. The attempt is counted first (per address and per typed login ID, existing
   * or not): a throttled one is refused before the database or argon2 is asked. An unknown login ID
   * costs one argon2 verify against a dummy hash, so neither the answer nor its timing tells which
   * IDs exist. A success starts the login ID's counts again.
   */
  async authenticate(loginIdInput: string, password: string, origin: RequestOrigin): Promise<Resident> {
    const loginId = loginIdInput.trim().toLowerCase();
    await this.throttled('resident', () => this.throttle.signInAttempt('resident', loginId, origin.address), origin);
    const row = await this.repo.findByLoginId(loginId);
    const ok = await argon2.verify(row?.password_hash ?? (await this.dummyHash), password).catch(() => false);
    if (!row) {
      this.logger.warn(LogKind.Authentication, 'Sign-in failed: unknown login ID');
      // The typed login ID is not recorded: it may be a mistyped password or someone else's name.
      await this.audit.record({ type: 'auth.sign_in_failed', actor: { kind: 'resident' }, outcome: 'failure', reason: 'unknown_login_id' });
      throw new ResidentException('invalid_credentials');
    }
    if (!ok) {
      this.logger.warn(LogKind.Authentication, 'Sign-in failed: wrong password', { residentId: row.id });
      await this.audit.record({ type: 'auth.sign_in_failed', actor: { kind: 'resident', id: row.id }, subject: row.id, outcome: 'failure', reason: 'invalid_credentials' });
      throw new ResidentException('invalid_credentials');
    }
    await this.throttle.signInSucceeded('resident', loginId, origin.address);
    this.logger.log(LogKind.Authentication, 'Resident signed in', { residentId: row.id });
    await this.audit.record({ type: 'auth.sign_in', actor: { kind: 'resident', id: row.id }, subject: row.id, outcome: 'success', details: { method: 'password' } });
    return toResident(row);
  }

  /** Runs a throttle check; the refusal that starts a block is logged and audited once (the others are not: they must stay cheap). */
  private async throttled(area: SignInArea, check: () => Promise<void>, origin: RequestOrigin): Promise<void> {
    try {
      await check();
    } catch (error) {
      if (error instanceof TooManyAttemptsException && error.blockStarted) {
        this.logger.warn(LogKind.Authentication, 'Throttled: too many attempts', { area, ip: origin.address, retryAfterSeconds: error.retryAfterSeconds });
        await this.audit.record({ type: 'auth.throttled', actor: { kind: 'resident' }, outcome: 'failure', reason: 'too_many_attempts', details: { area, ip: origin.address, retryAfterSeconds: error.retryAfterSeconds } });
      }
      throw error;
    }
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
