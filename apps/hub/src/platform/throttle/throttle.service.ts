import { Inject, Injectable, Optional } from '@nestjs/common';
import { type AttemptLimiter, consumeAll } from '@tsunagu/common';
import type Redis from 'ioredis';
import { HUB_CONFIG, type HubConfig } from '../config/hub.config';
import { REDIS } from '../redis/redis.provider';
import { type AttemptLimiterOptions, FlexibleAttemptLimiter } from './attempt-limiter';

/** Whose sign-in: residents' and admins' login IDs are counted apart. */
export type SignInArea = 'resident' | 'admin';

/** The key of a request whose address cannot be told (all such requests share one allowance). */
const UNKNOWN_ADDRESS = 'unknown';

/**
 * The hub's limiters, one per thing counted, on Redis when REDIS_URL is set (shared by every
 * replica) and in memory on the embedded default. Every throttled request is refused before any
 * work is done for it — no database lookup, no password hash — with `too_many_attempts`, 429 and
 * `Retry-After` (docs/security.md "Throttling and enumeration").
 */
@Injectable()
export class ThrottleService {
  /** One login ID from one address: the tight limit, progressive blocks. */
  private readonly idAtAddress: AttemptLimiter;
  /** One login ID from anywhere: guessing from many machines. */
  private readonly id: AttemptLimiter;
  /** One address, whatever the login IDs: spraying one password over many IDs. */
  private readonly signInAddress: AttemptLimiter;
  private readonly registrationAddress: AttemptLimiter;
  readonly tokenClient: AttemptLimiter;
  readonly tokenAddress: AttemptLimiter;
  private readonly jpkiResident: AttemptLimiter;
  private readonly jpkiAddress: AttemptLimiter;
  readonly connectAddress: AttemptLimiter;
  private readonly inquiryAddress: AttemptLimiter;
  private readonly recoveryAddress: AttemptLimiter;
  private readonly recoveryId: AttemptLimiter;

  constructor(@Inject(HUB_CONFIG) config: HubConfig, @Optional() @Inject(REDIS) redis?: Redis) {
    const make = (name: string, options: AttemptLimiterOptions) =>
      redis ? FlexibleAttemptLimiter.onRedis(redis, config.REDIS_PREFIX, name, options) : FlexibleAttemptLimiter.inMemory(name, options);
    const perMinute = (points: number) => ({ points, windowSeconds: 60, blockSeconds: 60, maxBlockSeconds: 3600 });
    const id = { windowSeconds: config.THROTTLE_ID_WINDOW_SECONDS, blockSeconds: config.THROTTLE_ID_BLOCK_SECONDS };
    this.idAtAddress = make('sign-in:id-address', { points: config.THROTTLE_ID_ATTEMPTS, ...id });
    this.id = make('sign-in:id', { points: config.THROTTLE_ID_ATTEMPTS_ANY_ADDRESS, ...id });
    this.signInAddress = make('sign-in:address', perMinute(config.THROTTLE_ADDRESS_SIGN_INS_PER_MINUTE));
    this.registrationAddress = make('register:address', { points: config.THROTTLE_ADDRESS_REGISTRATIONS_PER_HOUR, windowSeconds: 3600, blockSeconds: 3600 });
    this.tokenClient = make('token:client', perMinute(config.THROTTLE_TOKEN_PER_CLIENT_PER_MINUTE));
    this.tokenAddress = make('token:address', perMinute(config.THROTTLE_TOKEN_PER_ADDRESS_PER_MINUTE));
    this.jpkiResident = make('jpki:resident', perMinute(config.THROTTLE_JPKI_PER_MINUTE));
    this.jpkiAddress = make('jpki:address', perMinute(3 * config.THROTTLE_JPKI_PER_MINUTE));
    this.connectAddress = make('connect:address', perMinute(config.THROTTLE_CONNECT_PER_ADDRESS_PER_MINUTE));
    this.inquiryAddress = make('inquiry:address', { points: config.THROTTLE_INQUIRIES_PER_HOUR, windowSeconds: 3600, blockSeconds: 3600 });
    this.recoveryAddress = make('recovery:address', { points: config.THROTTLE_RECOVERY_PER_ADDRESS_PER_HOUR, windowSeconds: 3600, blockSeconds: 3600 });
    this.recoveryId = make('recovery:id', { points: config.THROTTLE_RECOVERY_PER_ID_PER_HOUR, windowSeconds: 3600, blockSeconds: 3600 });
  }

  /**
   * Counts a sign-in attempt before its password is looked at; throws `too_many_attempts` when
   * the address or the login ID is over its limit. The login ID is the typed one, normalised, so
   * an unknown ID is counted exactly like an existing one.
   */
  async signInAttempt(area: SignInArea, loginId: string, address: string | undefined): Promise<void> {
    const from = address ?? UNKNOWN_ADDRESS;
    await consumeAll([
      [this.signInAddress, `${area}:${from}`],
      [this.idAtAddress, `${area}:${loginId}@${from}`],
      [this.id, `${area}:${loginId}`],
    ]);
  }

  /** A successful sign-in: the login ID's counts (from this address and overall) start again. */
  async signInSucceeded(area: SignInArea, loginId: string, address: string | undefined): Promise<void> {
    await Promise.all([this.idAtAddress.reset(`${area}:${loginId}@${address ?? UNKNOWN_ADDRESS}`), this.id.reset(`${area}:${loginId}`)]);
  }

  /** Counts a resident registration from `address`. */
  async registrationAttempt(address: string | undefined): Promise<void> {
    await consumeAll([[this.registrationAddress, address ?? UNKNOWN_ADDRESS]]);
  }

  /** Counts an identity-proofing call (challenge or verification) of a resident from an address. */
  async jpkiAttempt(residentId: string, address: string | undefined): Promise<void> {
    await consumeAll([[this.jpkiAddress, address ?? UNKNOWN_ADDRESS], [this.jpkiResident, residentId]]);
  }

  /** Counts a connector API call from an address. */
  async connectAttempt(address: string | undefined): Promise<void> {
    await consumeAll([[this.connectAddress, address ?? UNKNOWN_ADDRESS]]);
  }

  /** Counts an inquiry sent from an address (residents' form and staff's alike). */
  async inquiryAttempt(address: string | undefined): Promise<void> {
    await consumeAll([[this.inquiryAddress, address ?? UNKNOWN_ADDRESS]]);
  }

  /**
   * Counts a password-reset step (a reset request, a card challenge, a new password, a
   * verification mail) from an address, and — when given — for one login ID or resident from
   * every address together. The login ID is the typed one, normalised: unknown IDs count alike.
   */
  async recoveryAttempt(address: string | undefined, id?: string): Promise<void> {
    await consumeAll([[this.recoveryAddress, address ?? UNKNOWN_ADDRESS], ...(id ? [[this.recoveryId, id] as [AttemptLimiter, string]] : [])]);
  }
}
