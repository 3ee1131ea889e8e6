import { Inject, Injectable } from '@nestjs/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { CLOCK, type Clock } from '@tsunagu/common';
import { DemoDatabase, type SqlExecutor } from '../database/demo-database';
import { LocalAccountRepository } from './local-account.repository';
import { hashPin, pinMatches } from './pin-hash';

/** How many wrong PINs lock an account's linking, and for how long. */
export interface PinPolicy {
  maxFailures: number;
  lockMinutes: number;
}
export const PIN_POLICY = Symbol('PIN_POLICY');
export const DEFAULT_PIN_POLICY: PinPolicy = { maxFailures: 5, lockMinutes: 15 };

/** Result of proving a local account with its PIN. */
export type PinCheck =
  | { outcome: 'ok' }
  | { outcome: 'unknown_account' }
  | { outcome: 'wrong_pin'; attemptsLeft: number }
  | { outcome: 'locked'; lockedUntil: Date; justLocked: boolean };

/** The rules of local accounts: PIN proof with lockout, and the local copy of hub links. */
@Injectable()
export class LocalAccountService {
  private readonly logger = new AppLogger(LocalAccountService.name);

  constructor(
    private readonly db: DemoDatabase,
    private readonly accounts: LocalAccountRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PIN_POLICY) private readonly policy: PinPolicy,
  ) {}

  get pinPolicy(): PinPolicy {
    return this.policy;
  }

  /** Creates a local account with a PIN (seeding); an existing account is left as it is. */
  async register(localId: string, pin: string, tx?: SqlExecutor): Promise<void> {
    await this.accounts.insert(localId, await hashPin(pin), tx);
  }

  exists(localId: string): Promise<boolean> {
    return this.accounts.exists(localId);
  }

  /**
   * Checks a PIN. While an account is locked every attempt is refused without being counted;
   * the `maxFailures`-th wrong PIN in a row locks it for `lockMinutes`; a right PIN clears the count.
   */
  verifyPin(localId: string, pin: string): Promise<PinCheck> {
    return this.db.transaction(async (tx) => {
      const credential = await this.accounts.findForUpdate(localId, tx);
      if (!credential) return { outcome: 'unknown_account' } as const;
      const now = this.clock.now();
      if (credential.pinLockedUntil && credential.pinLockedUntil > now) {
        return { outcome: 'locked', lockedUntil: credential.pinLockedUntil, justLocked: false } as const;
      }
      // A lock that has run out starts a fresh count.
      const failuresSoFar = credential.pinLockedUntil ? 0 : credential.failedPinAttempts;
      if (await pinMatches(pin, credential.pinHash)) {
        if (failuresSoFar !== 0 || credential.pinLockedUntil) await this.accounts.updateLockout(localId, 0, null, tx);
        return { outcome: 'ok' } as const;
      }
      const failures = failuresSoFar + 1;
      if (failures >= this.policy.maxFailures) {
        const lockedUntil = new Date(now.getTime() + this.policy.lockMinutes * 60_000);
        await this.accounts.updateLockout(localId, 0, lockedUntil, tx);
        this.logger.warn(LogKind.Authentication, 'Local account linking locked after wrong PINs', { localId, lockedUntil: lockedUntil.toISOString() });
        return { outcome: 'locked', lockedUntil, justLocked: true } as const;
      }
      await this.accounts.updateLockout(localId, failures, null, tx);
      this.logger.log(LogKind.Authentication, 'Wrong PIN for a local account', { localId, failures });
      return { outcome: 'wrong_pin', attemptsLeft: this.policy.maxFailures - failures } as const;
    });
  }

  /** Keeps the service's own copy of the hub link (pairwise subject → local account). */
  async rememberHubLink(sub: string, localId: string): Promise<void> {
    await this.accounts.upsertHubLink(sub, localId, this.clock.now());
  }

  localIdForSubject(sub: string): Promise<string | undefined> {
    return this.accounts.findLocalIdBySub(sub);
  }
}
